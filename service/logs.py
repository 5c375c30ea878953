"""JSON log lines: one object per line, for the service's own records and uvicorn's."""

import json
import logging
import time

SERVICE_LOGGER = "stance.service"
# One encoder for every line (json.dumps with options builds a new one per call); ensure_ascii
# keeps a lone surrogate from a client's text from breaking the line.
_encode = json.JSONEncoder(ensure_ascii=True, default=str).encode


class CallerlessLogger(logging.Logger):
    """A logger that does not look up its caller's source file and line (a walk up the stack for
    every record): no line here shows them. Asked for a stack (stack_info=True), it looks."""

    def findCaller(self, stack_info: bool = False, stacklevel: int = 1):
        if stack_info:
            return super().findCaller(stack_info, stacklevel)
        return "(unknown file)", 0, "(unknown function)", None


def service_logger() -> logging.Logger:
    """The service's logger, a CallerlessLogger: it writes one record per request.

    Made here, when this module is first imported, so the service's modules (which import it
    from here) and logging's dictConfig all get this instance rather than a plain Logger.
    """
    previous = logging.getLoggerClass()
    logging.setLoggerClass(CallerlessLogger)
    try:
        return logging.getLogger(SERVICE_LOGGER)
    finally:
        logging.setLoggerClass(previous)


# Made at import, before dictConfig (which `stance serve` runs before the app loads) asks by name.
service_logger()


def lighten_records() -> None:
    """Stop logging from looking up the thread, process and multiprocessing names, which no line
    here shows: the switches of the logging HOWTO's "Optimization" section. The caller lookup,
    the costliest, is skipped by the service's logger itself (CallerlessLogger)."""
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


class JsonFormatter(logging.Formatter):
    """A record whose message is a dict becomes that dict's fields; any other, a `message` field."""

    _second: tuple[int, str] = (-1, "")  # the last whole second formatted, and its text

    def _timestamp(self, created: float, msecs: float) -> str:
        second, text = self._second
        if int(created) != second:  # strftime once a second, not once a line
            second = int(created)
            text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._second = (second, text)
        return f"{text}.{int(msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self._timestamp(record.created, record.msecs),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        if isinstance(record.msg, dict):
            entry.update(record.msg)
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _encode(entry)


def log_config(level: str = "info") -> dict:
    """A `logging.config.dictConfig` for uvicorn.run: every logger writes JSON to stderr."""
    level = level.upper()
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            SERVICE_LOGGER: {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }
