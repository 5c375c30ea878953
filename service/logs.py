"""JSON log lines: one object per line, for the service's own records and uvicorn's."""

import json
import logging
import time

SERVICE_LOGGER = "stance.service"


class JsonFormatter(logging.Formatter):
    """A record whose message is a dict becomes that dict's fields; any other, a `message` field."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        if isinstance(record.msg, dict):
            entry.update(record.msg)
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # ensure_ascii keeps a lone surrogate from a client's text from breaking the line.
        return json.dumps(entry, ensure_ascii=True, default=str)


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
