"""Every setting of the service, read from the environment in one place."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from quote_stance.common import StanceError

MiB = 1 << 20


class SettingsError(StanceError):
    """An environment variable with a value the service cannot use."""


@dataclass(frozen=True)
class Settings:
    """The service's configuration; `from_env` builds it from `STANCE_*` variables."""

    model_dir: Path | None = None  # None: the model shipped in the package
    api_keys: tuple[str, ...] = field(default=(), repr=False)
    max_body_bytes: int = 1 * MiB
    max_batch: int = 1000
    max_text_chars: int = 100_000
    cors_origins: tuple[str, ...] = ()
    log_text: bool = False
    # FastAPI's native OpenTelemetry looks up the global providers on every request; the
    # service has its own metrics and logs, so it is on only when asked for.
    opentelemetry: bool = False
    # Set by `stance serve --workers N` (N > 1): the pid of uvicorn's supervisor, which replaces
    # every worker on SIGHUP. A reload request reaches one worker only, so it asks the supervisor.
    supervisor_pid: int | None = None
    # /v1/score's micro-batcher (service/batching.py): at most this many quotes per model call,
    # and at most this long a wait for neighbours after the first quote arrives.
    micro_batch_size: int = 64
    micro_batch_latency_ms: float = 1.0

    @property
    def auth_enabled(self) -> bool:
        return bool(self.api_keys)


def _int(environ: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise SettingsError(f"{name}={value} is below the minimum of {minimum}")
    return value


def _float(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a number") from None
    if not 0 <= value <= 1000:
        raise SettingsError(f"{name}={value} is outside 0 to 1000")
    return value


def _list(environ: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in environ.get(name, "").split(",") if item.strip())


def _bool(environ: Mapping[str, str], name: str) -> bool:
    raw = environ.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name}={raw!r} is not one of 1/0, true/false, yes/no, on/off")


def from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from `environ` (default: the process environment); a bad value raises SettingsError."""
    environ = os.environ if environ is None else environ
    model_dir = environ.get("STANCE_MODEL_DIR", "").strip()
    return Settings(
        model_dir=Path(model_dir) if model_dir else None,
        api_keys=_list(environ, "STANCE_API_KEYS"),
        max_body_bytes=_int(environ, "STANCE_MAX_BODY_BYTES", Settings.max_body_bytes),
        max_batch=_int(environ, "STANCE_MAX_BATCH", Settings.max_batch),
        max_text_chars=_int(environ, "STANCE_MAX_TEXT_CHARS", Settings.max_text_chars),
        cors_origins=_list(environ, "STANCE_CORS_ORIGINS"),
        log_text=_bool(environ, "STANCE_LOG_TEXT"),
        opentelemetry=_bool(environ, "STANCE_OPENTELEMETRY"),
        supervisor_pid=_int(environ, "STANCE_SUPERVISOR_PID", 0) or None,
        micro_batch_size=_int(environ, "STANCE_MICRO_BATCH_SIZE", Settings.micro_batch_size),
        micro_batch_latency_ms=_float(environ, "STANCE_MICRO_BATCH_LATENCY_MS", Settings.micro_batch_latency_ms),
    )
