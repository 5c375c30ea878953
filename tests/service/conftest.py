"""A real `stance serve` on loopback, for tests that go through HTTP like a newsroom tool does."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

STANCE = str(Path(sys.executable).with_name("stance"))
API_KEYS = ("key-one-0123456789", "key-two-abcdefghij")


@dataclass
class LiveServer:
    base_url: str
    process: subprocess.Popen
    log_path: Path
    model_dir: Path | None = None

    def client(self, key: str | None = API_KEYS[0], **kwargs) -> httpx.Client:
        headers = {"X-API-Key": key} if key else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30, **kwargs)

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()

    def send_signal(self, sig: int) -> None:
        self.process.send_signal(sig)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(log_path: Path, env: dict[str, str], model_dir: Path | None = None, workers: int = 1) -> LiveServer:
    port = free_port()
    command = [STANCE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    if model_dir is not None:
        command += ["--model", str(model_dir)]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("STANCE_")} | env
    # Corrections go to a folder of this server's, never to the user's data folder.
    full_env.setdefault("STANCE_DATA_DIR", str(log_path.parent / "data"))
    log = open(log_path, "wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=full_env)
    log.close()
    server = LiveServer(f"http://127.0.0.1:{port}", process, log_path, model_dir)
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{server.base_url}/v1/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop_server(server)
            raise RuntimeError(f"stance serve did not start:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.1)


def stop_server(server: LiveServer) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The service with API keys set and the default model."""
    log_path = tmp_path_factory.mktemp("live") / "server.log"
    server = start_server(log_path, {"STANCE_API_KEYS": ",".join(API_KEYS)})
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def reloadable_server(tmp_path_factory) -> Iterator[LiveServer]:
    """An open service (no keys) serving a copy of the default model that tests may change."""
    from quote_stance.model.artifacts import default_model_dir

    root = tmp_path_factory.mktemp("reload")
    model_dir = root / "model"
    shutil.copytree(default_model_dir(), model_dir)
    server = start_server(root / "server.log", {}, model_dir)
    yield server
    stop_server(server)


@pytest.fixture
def two_worker_server(tmp_path) -> Iterator[LiveServer]:
    """Two uvicorn workers under uvicorn's supervisor, on a copy of the default model."""
    from quote_stance.model.artifacts import default_model_dir

    model_dir = tmp_path / "model"
    shutil.copytree(default_model_dir(), model_dir)
    server = start_server(tmp_path / "server.log", {}, model_dir, workers=2)
    yield server
    stop_server(server)
