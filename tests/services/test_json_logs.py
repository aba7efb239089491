import io
import json
import logging

from services.json_logs import JsonLineFormatter, configure_json_logging


def test_one_json_object_per_event_with_the_error_type():
    stream = io.StringIO()
    logger = logging.getLogger("tests.json_logs")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLineFormatter())
    logger.addHandler(handler)
    try:
        logger.warning("first \x1b[1mbold\x1b[0m line")
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("second")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "first bold line" and first["level"] == "WARNING"
    assert first["logger"] == "tests.json_logs" and first["ts"].endswith("Z")
    assert second["error"] == "ValueError" and "boom" in second["traceback"]


def test_configure_replaces_the_root_handlers():
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    try:
        stream = io.StringIO()
        configure_json_logging(stream=stream)
        logging.getLogger("tests.any").info("hello")
        assert json.loads(stream.getvalue())["message"] == "hello"
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved:
            root.addHandler(handler)
        root.setLevel(level)
