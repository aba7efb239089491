"""One JSON object per log event on stdout, for production (`python -m ui.prod`).

    {"ts": "2026-12-05T07:41:02.153Z", "level": "INFO", "logger": "ui.prod", "message": "..."}

Log calls must never carry personal data (names, phones, e-mail addresses, file names,
invoice values): a case code or a callback reference is enough to find the rest in the
database. An exception adds "error" (its type) and "traceback".
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from datetime import UTC, datetime
from typing import TextIO

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": _ANSI.sub("", record.getMessage()).strip(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            event["error"] = record.exc_info[0].__name__
            event["traceback"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return json.dumps(event, ensure_ascii=False)


def json_handler(stream: TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonLineFormatter())
    return handler


def configure_json_logging(level: int | str = logging.INFO, stream: TextIO | None = None) -> logging.Handler:
    """Route the root logger (and everything that propagates to it) to JSON lines."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    handler = json_handler(stream)
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    return handler
