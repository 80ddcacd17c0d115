"""Structured logs with the standard library: one line per event, key=value or JSON.

``logger.info("outbox: sent", extra={"chat_id": 7})`` becomes
``ts=2026-01-05T06:00:00.123Z level=INFO logger=bot.outbox.sender msg="outbox: sent" chat_id=7``
or the same fields as a JSON object. Anything shaped like a bot token is masked, since
HTTP client errors can carry the API URL.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

LogFormat = Literal["kv", "json"]

_TOKEN = re.compile(r"(?<![0-9])\d{3,20}:[A-Za-z0-9_-]{30,64}")  # also inside ".../bot<token>/..."
_BARE = re.compile(r"^[A-Za-z0-9_.:/@+-]+$")
# Attributes every LogRecord has; everything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


def _fields(record: logging.LogRecord, formatter: logging.Formatter) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "ts": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
        + "Z",
        "level": record.levelname,
        "logger": record.name,
        "msg": record.getMessage(),
    }
    for key, value in vars(record).items():
        if key not in _STANDARD and not key.startswith("_"):
            fields[key] = value
    if record.exc_info:
        fields["exc"] = formatter.formatException(record.exc_info)
    elif record.exc_text:
        fields["exc"] = record.exc_text
    if record.stack_info:
        fields["stack"] = formatter.formatStack(record.stack_info)
    return fields


def _mask(text: str) -> str:
    return _TOKEN.sub("<token>", text)


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        parts = []
        for key, value in _fields(record, self).items():
            text = value if isinstance(value, str) else json.dumps(value, default=str)
            if not text or not _BARE.match(text):
                text = json.dumps(text, ensure_ascii=False)  # quotes, escapes newlines
            parts.append(f"{key}={text}")
        return _mask(" ".join(parts))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return _mask(json.dumps(_fields(record, self), ensure_ascii=False, default=str))


def setup_logging(
    level: str = "INFO",
    *,
    fmt: LogFormat = "kv",
    stream: TextIO | None = None,
    also: TextIO | None = None,
) -> None:
    """Configure the root logger once, at start-up (``Settings.log_level``).

    ``also`` adds a second stream to the handlers already set instead of replacing them.
    """
    handler = logging.StreamHandler(also or stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else KeyValueFormatter())
    root = logging.getLogger()
    if also is None:
        for old in list(root.handlers):
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Each webhook request would otherwise add an access line at INFO.
    logging.getLogger("aiohttp.access").setLevel(max(root.level, logging.WARNING))
