"""Starting and stopping the servers a benchmark (or a docs script) runs."""

import socket
import subprocess


def free_port() -> int:
    """A loopback port free at the time of asking (the OS picks it; a race with others is possible)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM (a graceful shutdown), then SIGKILL if it has not exited within `timeout` s."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
