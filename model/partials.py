"""Temporary files and folders written beside a target, renamed over it when complete.

Every command that writes a file or a model directory writes it first under a hidden name in
the same folder, `.NAME.partial-HOST-PID-XXXXXXXX`, and renames it over NAME only when it is
complete, so a reader (or the service reloading a model) never sees half of one. A run that
fails removes its partial itself; a run killed with SIGKILL cannot, so the next run for the
same target removes the partials of processes that no longer exist on this host. A partial
of a live process, or of another host (a shared disk), is left alone: it may still be
being written.
"""

import os
import re
import shutil
import socket
import tempfile
from pathlib import Path

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
