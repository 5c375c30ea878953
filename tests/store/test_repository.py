"""The corrections store on real databases: what is kept, in which order, by many writers at once."""

import sqlite3
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, inspect, text

from quote_stance.common import StanceError
from quote_stance.store.repository import CorrectionStore, StoreUnavailable
from tests.threads import run_at_once


@pytest.fixture
def store(database_url):
    store = CorrectionStore(database_url)
    yield store
    store.close()


def test_a_correction_keeps_every_field_and_unknown_ones_are_null(store):
    before = datetime.now(timezone.utc)
    stored = store.add("We will see them in court.", "oppose", speaker="Dana Whitfield", speaker_role="Mayor",
                       predicted="neutral", model_version="stance-20261127", note="vows to sue", key_name="key-abc")
    assert stored.id >= 1
    assert (stored.text, stored.label, stored.speaker, stored.speaker_role) == (
        "We will see them in court.", "oppose", "Dana Whitfield", "Mayor")
    assert (stored.predicted, stored.model_version, stored.note, stored.key_name) == (
        "neutral", "stance-20261127", "vows to sue", "key-abc")
    assert before <= stored.created_at <= datetime.now(timezone.utc)
    [read] = store.newest()
    assert read == stored
    bare = store.add("  The county is reviewing the guidance.  ", "neutral", speaker="  ", note="")
    assert bare.text == "The county is reviewing the guidance."
    assert (bare.speaker, bare.speaker_role, bare.predicted, bare.note, bare.key_name) == (None,) * 5
    assert bare.to_dict()["id"] == str(bare.id) and bare.to_dict()["created_at"].endswith("+00:00")


def test_a_quote_corrected_twice_keeps_both_and_the_latest_counts(store):
    first = store.add("Sanctuary cities protect criminals.", "neutral")
    store.add("We are reviewing the order.", "neutral")
    second = store.add("Sanctuary cities protect criminals.", "support")
    assert [c.id for c in store.all()] == [first.id, first.id + 1, second.id]
    assert [c.id for c in store.newest(2)] == [second.id, first.id + 1]
    latest = store.latest_per_text()
    assert [(c.text, c.label) for c in latest] == [
        ("We are reviewing the order.", "neutral"), ("Sanctuary cities protect criminals.", "support")]


def test_bad_values_are_refused_before_the_database(store):
    with pytest.raises(StanceError, match="unknown label 'maybe'"):
        store.add("text", "maybe")
    with pytest.raises(StanceError, match="empty text"):
        store.add("   ", "oppose")
    with pytest.raises(StanceError, match="unknown predicted label"):
        store.add("text", "oppose", predicted="yes")
    assert store.count() == 0


def test_migrations_run_once_and_a_second_store_finds_the_schema(database_url):
    one, two = CorrectionStore(database_url), CorrectionStore(database_url)
    one.add("We will sue.", "oppose")
    assert [c.text for c in two.all()] == ["We will sue."]
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == ["0001"]
    assert {"corrections", "alembic_version"} <= set(inspect(engine).get_table_names())
    engine.dispose()
    one.close()
    two.close()


def test_concurrent_writers_lose_nothing_and_duplicate_nothing(database_url):
    """32 writers x 1,000 corrections each, every one a transaction of its own, through one
    store (one engine, one pool) as the service uses it; then every one read back once."""
    clients, each = 32, 1000
    store = CorrectionStore(database_url)
    store.count()  # migrated before the race: the race is on the inserts

    def client(number: int) -> None:
        for i in range(each):
            store.add(f"client {number} correction {i}", ("support", "oppose", "neutral")[i % 3])

    assert run_at_once(clients, client) == []
    stored = store.all()
    store.close()
    assert len(stored) == clients * each
    assert len({c.id for c in stored}) == clients * each
    assert sorted(c.text for c in stored) == sorted(
        f"client {n} correction {i}" for n in range(clients) for i in range(each))


def test_sqlite_runs_in_wal_mode(tmp_path):
    path = tmp_path / "corrections.sqlite3"
    store = CorrectionStore(f"sqlite:///{path}")
    store.add("We will sue.", "oppose")
    store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_unreachable_database_is_reported_not_raised_raw(tmp_path):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = CorrectionStore(f"postgresql+psycopg://nobody@127.0.0.1:{port}/none?connect_timeout=2")
    with pytest.raises(StoreUnavailable, match="the corrections database is unavailable"):
        store.add("We will sue.", "oppose")
    store = CorrectionStore(f"sqlite:///{tmp_path / 'no-such-folder' / 'corrections.sqlite3'}")
    with pytest.raises(StoreUnavailable, match="the corrections database is unavailable"):
        store.count()


def test_a_setting_the_store_cannot_use_is_reported_as_unavailable(tmp_path, monkeypatch):
    monkeypatch.setenv("STANCE_DATABASE_URL", "not a url")
    with pytest.raises(StoreUnavailable, match="STANCE_DATABASE_URL is not a database URL"):
        CorrectionStore().count()
    monkeypatch.delenv("STANCE_DATABASE_URL")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("STANCE_DATA_DIR", str(blocker / "data"))
    with pytest.raises(StoreUnavailable, match="cannot create the data folder"):
        CorrectionStore().count()
    monkeypatch.setenv("STANCE_DATABASE_URL", "postgresql://x@127.0.0.1:notaport/db")
    with pytest.raises(StoreUnavailable):
        CorrectionStore().count()
