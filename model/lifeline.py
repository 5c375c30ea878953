"""Worker processes that end when the process that started them is gone.

A process killed with SIGKILL cannot stop its worker pool, and a pool worker waiting for work
does not notice: it holds a copy of its task queue's write end, so the queue never closes.
`stance score`'s workers would wait for good, and joblib's (`stance train --jobs N`) for
loky's idle timeout of five minutes, each holding a model and its libraries. A worker that
runs `watch(parent)` at start exits within a second of its parent's death instead.
"""

import os
import threading
import time


def watch(parent: int) -> None:
    """Start a thread that ends this process once `parent` is no longer its parent."""
    threading.Thread(target=_exit_with, args=(parent,), name="lifeline", daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
