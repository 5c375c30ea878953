"""Corrections through a real `stance serve`: kept through kill -9, exported, learned by the next model;
many clients at once lose nothing, on SQLite and on PostgreSQL."""

import csv
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from quote_stance.model.features import FeatureConfig
from quote_stance.model.predictor import load_model
from quote_stance.store.repository import CorrectionStore
from quote_stance.training.train import train_model
from tests.service.conftest import API_KEYS, start_server, stop_server
from tests.store.conftest import postgres_database
from tests.threads import run_at_once

# A news quote outside the small training file (tests/conftest.py takes the first 40 of each label).
QUOTE_ROW = 200


def a_quote_the_small_file_lacks(small_labeled_csv: Path) -> str:
    from quote_stance.data import corpus_paths

    news = next(p for p in corpus_paths() if p.name == "quotes_news.csv")
    with open(small_labeled_csv, encoding="utf-8", newline="") as handle:
        known = {row["text"] for row in csv.DictReader(handle)}
    with open(news, encoding="utf-8-sig", newline="") as handle:
        rows = [row["text"] for row in csv.DictReader(handle) if row["text"] not in known]
    return rows[QUOTE_ROW]


def test_a_correction_survives_kill_9_is_exported_and_changes_the_retrained_model(
        tmp_path, small_labeled_csv, stance_command):
    one_candidate = (FeatureConfig(char_ngrams=None, cues=True, news_weight=3.0),)
    before = tmp_path / "before"
    train_model([small_labeled_csv], before, folds=3, repeats=1, candidates=one_candidate)
    quote = a_quote_the_small_file_lacks(small_labeled_csv)
    predicted = load_model(before).predict_one(quote).stance
    corrected = "support" if predicted != "support" else "oppose"

    env = {"STANCE_API_KEYS": ",".join(API_KEYS), "STANCE_DATA_DIR": str(tmp_path / "data")}
    server = start_server(tmp_path / "first.log", env, before)
    try:
        with server.client() as client:
            answer = client.post("/v1/corrections", json={
                "text": quote, "label": corrected, "speaker": "a county sheriff", "predicted": predicted,
                "model_version": load_model(before).version})
        assert answer.status_code == 201, answer.text
        stored = answer.json()
        server.process.send_signal(signal.SIGKILL)  # no shutdown, no flush: what a crash leaves
        server.process.wait(timeout=10)
    finally:
        stop_server(server)

    server = start_server(tmp_path / "second.log", env, before)
    try:
        with server.client() as client:
            assert client.get("/v1/corrections").json()["corrections"] == [stored]
    finally:
        stop_server(server)

    exported = tmp_path / "corrections.csv"
    run = subprocess.run(stance_command + ["corrections", "export", str(exported)], capture_output=True, text=True,
                         env={**_environ(), "STANCE_DATA_DIR": str(tmp_path / "data")}, timeout=120)
    assert run.returncode == 0, run.stderr
    with open(exported, encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["text"], row["label"], row["speaker"], row["source"], row["created_at"]) == (
        quote, corrected, "a county sheriff", "correction", stored["created_at"])

    store = CorrectionStore(f"sqlite:///{tmp_path / 'data' / 'corrections.sqlite3'}")
    after = tmp_path / "after"
    metadata = train_model([small_labeled_csv], after, folds=3, repeats=1, candidates=one_candidate,
                           corrections=store.latest_per_text())
    store.close()
    assert load_model(after).predict_one(quote).stance == corrected != predicted
    assert metadata["training_data"]["corrections"] == {
        "rows": 1, "replaced_corpus_rows": 0, "up_to": stored["created_at"][:19] + "+00:00"}
    assert "With 1 reporters' corrections" in (after / "MODEL_CARD.md").read_text()


def _environ() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("STANCE_")}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_32_clients_at_once_lose_nothing_and_duplicate_nothing(tmp_path, backend):
    clients, each = 32, 32  # 1,024 corrections over HTTP, each its own request
    env = {"STANCE_API_KEYS": ",".join(API_KEYS), "STANCE_DATA_DIR": str(tmp_path / "data")}
    databases = postgres_database() if backend == "postgresql" else iter([None])
    url = next(databases)
    if url:
        env["STANCE_DATABASE_URL"] = url
    server = start_server(tmp_path / "server.log", env)

    def client(number: int) -> Iterator[str]:
        with httpx.Client(base_url=server.base_url, headers={"X-API-Key": API_KEYS[number % 2]}, timeout=60) as http:
            for i in range(each):
                answer = http.post("/v1/corrections", json={"text": f"client {number} quote {i}", "label": "neutral"})
                if answer.status_code != 201:
                    yield f"{answer.status_code} {answer.text}"
    try:
        assert run_at_once(clients, client) == []
        with server.client() as http:
            listed = http.get("/v1/corrections", params={"limit": 1000}).json()["corrections"]
        store = CorrectionStore(url or f"sqlite:///{tmp_path / 'data' / 'corrections.sqlite3'}")
        stored = store.all()
        store.close()
    finally:
        stop_server(server)
        for _ in databases:  # drops the test database
            pass
    assert len(stored) == clients * each == len({c.id for c in stored})
    assert sorted(c.text for c in stored) == sorted(f"client {n} quote {i}" for n in range(clients) for i in range(each))
    assert [int(c["id"]) for c in listed] == sorted((c.id for c in stored), reverse=True)[:1000]
    assert {c.key_name for c in stored} == {"key-" + k for k in _fingerprints()}


def _fingerprints() -> set[str]:
    from quote_stance.service.routes.corrections import key_name

    return {key_name(key)[4:] for key in API_KEYS}
