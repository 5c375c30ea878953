"""`stance corrections export` and `stance train --with-corrections`: real stores, real subprocesses."""

import csv
import json
import os
import socket
import subprocess
from pathlib import Path

from quote_stance.store.repository import CorrectionStore
from tests.store.conftest import postgres_database


def run(command: list[str], *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("STANCE_")}
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=300, env=base | env)


def fill(store: CorrectionStore) -> None:
    store.add("We will see them in court, and we will win.", "oppose", speaker="Dana Whitfield",
              speaker_role="Mayor", predicted="neutral", model_version="stance-1", note='said "twice", loudly')
    store.add("The county is reviewing the guidance.\nIt will answer on Friday.", "neutral")
    store.add("We will see them in court, and we will win.", "support")  # a second reading of the same quote


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_every_correction_oldest_first_as_a_labeled_csv(stance_command, tmp_path):
    store = CorrectionStore(f"sqlite:///{tmp_path / 'data' / 'corrections.sqlite3'}")
    (tmp_path / "data").mkdir()
    fill(store)
    stored = store.all()
    out = tmp_path / "out" / "corrections.csv"
    result = run(stance_command, "corrections", "export", str(out), env={"STANCE_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 0, result.stderr
    assert "wrote 3 correction(s)" in result.stderr
    rows = read(out)
    assert list(rows[0])[:6] == ["text", "label", "speaker", "speaker_role", "source", "created_at"]
    assert [(r["text"], r["label"], r["source"]) for r in rows] == [(c.text, c.label, "correction") for c in stored]
    assert rows[0]["speaker"] == "Dana Whitfield" and rows[0]["note"] == 'said "twice", loudly'
    assert rows[1]["speaker"] == "" and rows[1]["created_at"] == stored[1].to_dict()["created_at"]
    assert [p.name for p in out.parent.iterdir()] == ["corrections.csv"]  # no partial left beside it
    store.close()


def test_export_from_postgresql(stance_command, tmp_path):
    for url in postgres_database():
        store = CorrectionStore(url)
        fill(store)
        store.close()
        out = tmp_path / "pg.csv"
        result = run(stance_command, "corrections", "export", str(out), env={"STANCE_DATABASE_URL": url})
        assert result.returncode == 0, result.stderr
        assert [r["label"] for r in read(out)] == ["oppose", "neutral", "support"]


def test_an_unreachable_database_fails_in_one_line_and_leaves_the_old_file(stance_command, tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out = tmp_path / "corrections.csv"
    out.write_text("the previous export\n")
    result = run(stance_command, "corrections", "export", str(out),
                 env={"STANCE_DATABASE_URL": f"postgresql://nobody@127.0.0.1:{port}/none?connect_timeout=2"})
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("stance corrections: error: the corrections database is unavailable")
    assert out.read_text() == "the previous export\n" and len(list(tmp_path.iterdir())) == 1
    bad = run(stance_command, "corrections", "export", str(out), env={"STANCE_DATABASE_URL": "mysql://x@y/z"})
    assert bad.returncode == 1 and "STANCE_DATABASE_URL names 'mysql'" in bad.stderr


def test_train_with_corrections_records_them_in_the_metadata_and_card(stance_command, tmp_path, small_labeled_csv):
    with open(small_labeled_csv, encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    store = CorrectionStore(f"sqlite:///{tmp_path / 'corrections.sqlite3'}")
    relabel = "neutral" if first["label"] != "neutral" else "support"
    store.add(first["text"], relabel)  # a corpus quote the reporter reads otherwise: it replaces the row
    store.add("A new quote no file has: the grant conditions are a fine idea.", "neutral")
    latest = store.add("A new quote no file has: the grant conditions are a fine idea.", "support")
    store.close()
    out = tmp_path / "model"
    result = run(stance_command, "train", "--data", str(small_labeled_csv), "--output", str(out), "--folds", "2",
                 "--repeats", "1", "--jobs", "1", "--with-corrections", env={"STANCE_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "corrections: 2 quote(s) from sqlite:///" in result.stderr
    data = json.loads((out / "metadata.json").read_text())["training_data"]
    assert data["corrections"] == {"rows": 2, "replaced_corpus_rows": 1,
                                   "up_to": latest.created_at.isoformat(timespec="seconds")}
    assert data["rows"] == 120 - 1 + 2 and data["by_source_kind"]["correction"] == 2
    assert data["files"][-1]["file"] == "corrections (store)"
    assert "With 2 reporters' corrections" in (out / "MODEL_CARD.md").read_text()
