"""Bring a database to the newest schema with the migrations shipped in this package.

Run on first use by the store, so users need no alembic.ini and no separate step. Several
processes may start at once (uvicorn workers, a CLI beside the service): PostgreSQL serialises
them with an advisory lock, SQLite with a lock file beside the database.
"""

import fcntl
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).with_name("migrations")
# An arbitrary constant naming "quote-stance migrations" among the server's advisory locks.
_PG_LOCK = 0x51_5354_4E43


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@contextmanager
def _sqlite_lock(engine: Engine):
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(Path(database).with_name(Path(database).name + ".migrate-lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(engine: Engine) -> None:
    """Apply every migration the database has not had, once, even with concurrent callers."""
    config = alembic_config()
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return
    with _sqlite_lock(engine), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
