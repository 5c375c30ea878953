"""Worker processes that end when the process that started them is gone.

A process killed with SIGKILL cannot stop its worker pool, and a pool worker waiting for work
does not notice: it holds a copy of its task queue's write end, so the queue never closes.
`stance score`'s workers would wait for good, and joblib's (`stance train --jobs N`) for
loky's idle timeout of five minutes, each holding a model and its libraries; uvicorn's
workers (`stance serve --workers N`) would even go on serving the port with no supervisor.
A worker that runs `watch(parent)` at start exits within a second of its parent's death.
"""

import os
import signal
import threading
import time


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
