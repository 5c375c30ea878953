"""Where the corrections are kept: `STANCE_DATABASE_URL`, else a SQLite file in the data folder.

The data folder is `STANCE_DATA_DIR`, else the user's data folder of the platform (on Linux
`~/.local/share/quote-stance`), created on first use.
"""

import os
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from quote_stance.common import StanceError

DATABASE_FILE = "corrections.sqlite3"


class StoreConfigError(StanceError):
    """A database setting the store cannot use."""


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    chosen = environ.get("STANCE_DATA_DIR", "").strip()
    return Path(chosen).expanduser() if chosen else Path(user_data_dir("quote-stance", appauthor=False))


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """The SQLAlchemy URL of the store; a SQLite URL's folder is created here."""
    environ = os.environ if environ is None else environ
    url = environ.get("STANCE_DATABASE_URL", "").strip()
    if url:
        try:
            parsed = make_url(url)
        except (ArgumentError, ValueError):  # ValueError: a port that is not a number
            raise StoreConfigError("STANCE_DATABASE_URL is not a database URL (e.g. postgresql://user@host/db)") from None
        if parsed.get_backend_name() not in ("postgresql", "sqlite"):
            raise StoreConfigError(f"STANCE_DATABASE_URL names {parsed.get_backend_name()!r}; use postgresql or sqlite")
        if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return url
    folder = data_dir(environ)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreConfigError(f"{folder}: cannot create the data folder (STANCE_DATA_DIR): {error.strerror}") from None
    return f"sqlite:///{folder / DATABASE_FILE}"
