"""The corrections store: add one, list the newest, read them all, the latest per quote.

One `CorrectionStore` per process holds a SQLAlchemy engine (a connection pool) and is safe
to use from many threads. The schema is brought up to date on first use.
"""

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, create_engine, event, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from quote_stance.common import StanceError
from quote_stance.model.labels import LABELS
from quote_stance.store import location, migrate
from quote_stance.store.location import StoreConfigError
from quote_stance.store.schema import corrections

FIELDS = ("text", "label", "speaker", "speaker_role", "predicted", "model_version", "note", "key_name")
# SQLite: wait this long for another writer's lock rather than fail at once.
SQLITE_BUSY_MS = 30_000


class StoreUnavailable(StanceError):
    """The database cannot be reached or refused the operation (not a problem of the input)."""


@dataclass(frozen=True)
class Correction:
    """A correction as stored."""

    id: int
    text: str
    label: str
    speaker: str | None
    speaker_role: str | None
    predicted: str | None
    model_version: str | None
    note: str | None
    created_at: datetime
    key_name: str | None

    def to_dict(self) -> dict:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["id"] = str(self.id)
        data["created_at"] = self.created_at.isoformat(timespec="microseconds")
        return data


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers do not block the writer; NORMAL sync in WAL mode keeps every committed
    # correction through a crash of the process (kill -9), losing at most the last ones on
    # a power cut, at a fraction of FULL's fsyncs.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, pool_size=8, max_overflow=32, pool_timeout=60)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_size=8, max_overflow=24, pool_timeout=60, pool_pre_ping=True)


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _from_row(row: Mapping) -> Correction:
    created = row["created_at"]
    if created.tzinfo is None:  # SQLite keeps no zone: every stored time is UTC
        created = created.replace(tzinfo=timezone.utc)
    return Correction(**{**row, "created_at": created})


class CorrectionStore:
    def __init__(self, url: str | None = None) -> None:
        self.url = url  # None: from the environment, on first use (see location.py)
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def _ready(self) -> Engine:
        # Built and migrated on first use, so that a service starts (and scores) with the
        # database down; a failed attempt is retried by the next call.
        with self._lock:
            if self._engine is None:
                try:
                    self.url = self.url or location.database_url()
                    engine = make_engine(self.url)
                except StoreConfigError as error:
                    raise StoreUnavailable(f"the corrections database is unavailable: {error}") from None
                except SQLAlchemyError as error:  # a URL the driver cannot use
                    raise StoreUnavailable(f"the corrections database is unavailable: {_reason(error)}") from None
                try:
                    migrate.upgrade(engine)
                except (SQLAlchemyError, OSError) as error:  # OSError: the lock file beside a SQLite file
                    engine.dispose()
                    raise StoreUnavailable(f"the corrections database is unavailable: {_reason(error)}") from None
                self._engine = engine
            return self._engine

    @property
    def where(self) -> str:
        """The database's URL, without a password, for messages."""
        return make_url(self.url or location.database_url()).render_as_string(hide_password=True)

    def add(self, text: str, label: str, **fields: str | None) -> Correction:
        """Store one correction; blank optional fields are kept as unknown (NULL)."""
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise TypeError(f"unknown correction fields: {', '.join(sorted(unknown))}")
        if label not in LABELS:
            raise StanceError(f"unknown label {label!r} (expected one of {', '.join(LABELS)})")
        if fields.get("predicted") and fields["predicted"] not in LABELS:
            raise StanceError(f"unknown predicted label {fields['predicted']!r}")
        if not text.strip():
            raise StanceError("empty text")
        values = {name: _blank_to_none(fields.get(name)) for name in FIELDS[2:]}
        values |= {"text": text.strip(), "label": label, "created_at": datetime.now(timezone.utc)}
        engine = self._ready()
        try:
            with engine.begin() as connection:
                row = connection.execute(insert(corrections).values(values).returning(*corrections.c)).mappings().one()
        except SQLAlchemyError as error:
            raise StoreUnavailable(f"the correction was not stored: {_reason(error)}") from None
        return _from_row(row)

    def newest(self, limit: int = 100) -> list[Correction]:
        return self._select(select(corrections).order_by(corrections.c.id.desc()).limit(limit))

    def all(self) -> list[Correction]:
        """Every correction, oldest first."""
        return self._select(select(corrections).order_by(corrections.c.id))

    def latest_per_text(self) -> list[Correction]:
        """One correction per quote text, the latest; oldest first. A quote corrected twice counts once."""
        latest: dict[str, Correction] = {}
        for correction in self.all():
            latest.pop(correction.text, None)  # re-inserted: the order follows the latest
            latest[correction.text] = correction
        return list(latest.values())

    def count(self) -> int:
        engine = self._ready()
        try:
            with engine.connect() as connection:
                return int(connection.execute(select(func.count()).select_from(corrections)).scalar_one())
        except SQLAlchemyError as error:
            raise StoreUnavailable(f"the corrections could not be read: {_reason(error)}") from None

    def _select(self, query) -> list[Correction]:
        engine = self._ready()
        try:
            with engine.connect() as connection:
                return [_from_row(row) for row in connection.execute(query).mappings()]
        except SQLAlchemyError as error:
            raise StoreUnavailable(f"the corrections could not be read: {_reason(error)}") from None

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None


def _reason(error: Exception) -> str:
    """The driver's first line, without SQL or parameters (which may hold a source's words)."""
    original = getattr(error, "orig", None) or error
    first = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    return first[:300]


def open_store(environ: Mapping[str, str] | None = None) -> CorrectionStore:
    """The store the settings in `environ` (default: the process environment) name."""
    return CorrectionStore(location.database_url(environ))


