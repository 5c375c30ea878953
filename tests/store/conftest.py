"""Stores on real databases: a SQLite file, and a PostgreSQL server when CI has started one.

`.ci/run` starts a throwaway PostgreSQL cluster (see `.ci/postgres`) and names it in
STANCE_TEST_POSTGRES_URL; each test gets a database of its own on it, dropped afterwards.
"""

import os
import uuid
from collections.abc import Iterator

import pytest

POSTGRES_URL = os.environ.get("STANCE_TEST_POSTGRES_URL", "").strip()


def postgres_database() -> Iterator[str]:
    """A new, empty database on the test server (its URL), dropped at the end."""
    if not POSTGRES_URL:
        pytest.skip("no PostgreSQL server: set STANCE_TEST_POSTGRES_URL (.ci/run starts one with .ci/postgres)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    name = f"stance_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # a server that is named but not reachable: say so, do not pass
        admin.dispose()
        pytest.fail(f"STANCE_TEST_POSTGRES_URL is set but the server cannot be used: {error}")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from postgres_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """Each test that takes it runs once on a SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corrections.sqlite3'}"
    else:
        yield from postgres_database()
