"""The service's log records: its logger skips the caller lookup; the JSON line is unchanged by it."""

import io
import json
import logging

from quote_stance.service.logs import SERVICE_LOGGER, CallerlessLogger, JsonFormatter, service_logger


def test_the_service_modules_share_one_callerless_logger():
    from quote_stance.service import app, errors, observe

    logger = logging.getLogger(SERVICE_LOGGER)  # as logging's dictConfig finds it by name
    assert isinstance(logger, CallerlessLogger)
    assert app.log is errors.log is observe.log is logger


def test_a_record_has_no_caller_and_the_line_keeps_its_fields():
    logger = service_logger()
    stream, records = io.StringIO(), []
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(lambda record: records.append(record) or True)
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        logger.info({"event": "request", "status": 200})
        logger.info("plain %s", "text", stack_info=True)  # a stack, when asked for, is still found
    finally:
        logger.setLevel(level)
        logger.removeHandler(handler)
    assert (records[0].pathname, records[0].lineno, records[0].funcName) == ("(unknown file)", 0, "(unknown function)")
    assert records[1].lineno > 0 and "test_logs.py" in records[1].stack_info
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert list(first) == ["ts", "level", "logger", "event", "status"]
    assert (first["level"], first["logger"], first["status"]) == ("info", SERVICE_LOGGER, 200)
    assert second["message"] == "plain text"
