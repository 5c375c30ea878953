"""`stance score` and `stance train` killed with SIGKILL mid-run, for real: nothing half-written
at the target (a previous file or model untouched), no process left behind, and a rerun that
completes and clears what the killed run left."""

import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quote_stance.model.artifacts import MODEL_FILE, load_verified

STANCE = str(Path(sys.executable).with_name("stance"))


def descendants(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid:
            found += [int(entry), *descendants(int(entry))]
    return found


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def kill_when(process: subprocess.Popen, ready, timeout: float = 120, interval: float = 0.0005) -> list[int]:
    """SIGKILL `process` as soon as `ready()`; its descendants at that moment."""
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the run ended (or hung) before the moment to kill it: {process.returncode}")
        time.sleep(interval)
    children = descendants(process.pid)
    process.kill()
    process.wait()
    return children


def assert_all_end(pids: list[int], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while any(map(running, pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in pids if running(pid)], "processes outlived the killed run"


def leftovers(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}."))


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "big.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        for i in range(60_000):
            side = "sue over" if i % 3 else "comply with"
            writer.writerow([i, f"Quote {i}: the city will {side} the grant conditions, officials said."])
    return path


@pytest.mark.parametrize("previous", [False, True], ids=["no previous output", "a previous output"])
def test_score_killed_mid_write(tmp_path: Path, big_csv: Path, previous: bool):
    target = tmp_path / "out.csv"
    if previous:
        target.write_text("previous,run\n", encoding="utf-8")
    command = [STANCE, "score", str(big_csv), "--output", str(target), "--jobs", "2", "--chunk-rows", "500", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def writing() -> bool:  # the partial file has rows in it: killed mid-write
        return any(p.stat().st_size > 0 for p in tmp_path.glob(".out.csv.partial-*"))

    children = kill_when(process, writing)
    assert len(children) >= 1  # with --jobs 2 the main process scores beside one worker
    if previous:
        assert target.read_text(encoding="utf-8") == "previous,run\n"  # untouched
    else:
        assert not target.exists()
    assert len(leftovers(tmp_path, "out.csv")) == 1  # the killed run's partial: it was mid-write
    assert_all_end(children)

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with open(target, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[0] for row in rows[1:]] == [str(i) for i in range(60_000)] and all(row[2] for row in rows[1:])
    assert leftovers(tmp_path, "out.csv") == []  # the rerun removed the killed run's partial


def test_train_killed_mid_run_and_mid_write(tmp_path: Path, small_labeled_csv: Path, small_model_dir: Path):
    target = tmp_path / "model"
    shutil.copytree(small_model_dir, target)  # the model in service before the retrain
    before = load_verified(target)[1]["version"]

    def train(jobs: int) -> list[str]:
        return [STANCE, "train", "--data", str(small_labeled_csv), "--output", str(target), "--folds", "3",
                "--jobs", str(jobs), "--seed", "7"]

    # 1. In cross-validation, with joblib's workers running.
    log = tmp_path / "train.log"
    with open(log, "w") as stderr:
        process = subprocess.Popen(train(2), stdout=subprocess.DEVNULL, stderr=stderr)
        children = kill_when(process, lambda: "candidate 2/" in log.read_text(), interval=0.05)
    assert load_verified(target)[1]["version"] == before  # the served model is untouched
    assert leftovers(tmp_path, "model") == []
    assert_all_end(children)

    # 2. While the new model directory is being written. It exists for some milliseconds, so
    # the run goes at the lowest priority (on a busy machine the watcher still sees it in time),
    # on one process, and gets up to three tries.
    for _attempt in range(3):
        process = subprocess.Popen(train(1), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, preexec_fn=lambda: os.nice(19))
        kill_when(process, lambda: bool(leftovers(tmp_path, "model")))
        if leftovers(tmp_path, "model"):
            break
    else:
        pytest.fail("three runs finished writing before they could be killed")
    metadata = load_verified(target)[1]  # a complete model at the target: the old one
    assert metadata["version"] == before and (target / MODEL_FILE).is_file()
    assert leftovers(tmp_path, "model")[0].startswith(".model.partial-")

    # 3. A rerun completes, replaces the model and removes what the killed runs left.
    rerun = subprocess.run(train(2), capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert load_verified(target)[1]["version"] != before
    assert leftovers(tmp_path, "model") == []


def test_serve_killed_leaves_no_worker_serving(tmp_path: Path):
    """`stance serve --workers 2` killed with SIGKILL: its workers shut down instead of serving on."""
    import httpx

    from tests.service.conftest import start_server

    server = start_server(tmp_path / "server.log", {}, workers=2)
    workers = descendants(server.process.pid)
    assert len([pid for pid in workers if running(pid)]) >= 2
    server.process.kill()
    server.process.wait()
    assert_all_end(workers, seconds=30)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server.base_url}/v1/health", timeout=2)
