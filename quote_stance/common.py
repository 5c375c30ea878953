"""What every part of the project shares: its error type, worker lifelines and partial files.

Errors: `StanceError` is the one exception type that user-facing code turns into a one-line
message.

Lifelines: A process killed with SIGKILL cannot stop its worker pool, and a pool worker waiting for work
does not notice: it holds a copy of its task queue's write end, so the queue never closes.
`stance score`'s workers would wait for good, and joblib's (`stance train --jobs N`) for
loky's idle timeout of five minutes, each holding a model and its libraries; uvicorn's
workers (`stance serve --workers N`) would even go on serving the port with no supervisor.
A worker that runs `watch(parent)` at start exits within a second of its parent's death.

Partial files: Every command that writes a file or a model directory writes it first under a hidden name in
the same folder, `.NAME.partial-HOST-PID-XXXXXXXX`, and renames it over NAME only when it is
complete, so a reader (or the service reloading a model) never sees half of one. A run that
fails removes its partial itself; a run killed with SIGKILL cannot, so the next run for the
same target removes the partials of processes that no longer exist on this host. A partial
of a live process, or of another host (a shared disk), is left alone: it may still be
being written.
"""

import ctypes
import gc
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
import time
from pathlib import Path


class StanceError(Exception):
    """A problem the user can act on; its message names the file, line or setting at fault."""


def watch(parent: int, graceful: bool = False) -> None:
    """Start a thread that ends this process once `parent` is no longer its parent.

    `graceful`: by SIGTERM to itself (a server finishes the requests it has), else at once.
    """
    threading.Thread(target=_exit_with, args=(parent, graceful), name="lifeline", daemon=True).start()


def _exit_with(parent: int, graceful: bool = False) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    if graceful:
        os.kill(os.getpid(), signal.SIGTERM)
    else:
        os._exit(1)


# The host name as it may appear in a file name (no separators, no dashes: they delimit).
HOST = re.sub(r"[^A-Za-z0-9_.]", "_", socket.gethostname())[:64] or "host"


def _prefix(target: Path, kind: str) -> str:
    return f".{target.name}.{kind}-{HOST}-{os.getpid()}-"


def partial_file(target: Path) -> tuple[int, str]:
    """A new partial file for `target` (descriptor, path), after removing dead runs' partials."""
    sweep(target)
    return tempfile.mkstemp(prefix=_prefix(target, "partial"), dir=target.parent)


def partial_dir(target: Path, kind: str = "partial") -> Path:
    """A new partial folder for `target` (kind "old": where a replaced one waits to be removed)."""
    if kind == "partial":
        sweep(target)
    return Path(tempfile.mkdtemp(prefix=_prefix(target, kind), dir=target.parent))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def sweep(target: Path) -> list[Path]:
    """Remove the partials of `target` that dead processes of this host left; return them."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?:partial|old)-(?P<host>[A-Za-z0-9_.]+)-(?P<pid>\d+)-[^-]+")
    removed = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or match["host"] != HOST or _running(int(match["pid"])):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            continue  # gone already (another run swept it), or not ours to remove
        removed.append(entry)
    return removed


def settle_memory() -> None:
    """Collect what is garbage now, keep what is left (libraries, the model) out of the cyclic
    collector's later passes, and give the C heap's free pages back to the system (glibc's
    `malloc_trim`; elsewhere nothing). For after a model is loaded: loading one makes tens of
    MB of short-lived objects, whose pages glibc would otherwise keep for good, and a forked
    worker would copy every page that a later collector pass writes to (the gc module's advice)."""
    gc.unfreeze()  # after a reload, the replaced model's cycles become collectable again
    gc.collect()
    gc.freeze()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
