"""Structured log lines: fields, quoting, JSON, token masking."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logging_setup import setup_logging

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_key_value_lines_carry_extras_and_quote_when_needed() -> None:
    stream = io.StringIO()
    setup_logging("INFO", stream=stream)
    log = logging.getLogger("bot.test")
    log.debug("hidden")
    log.info("outbox: sent", extra={"chat_id": 7, "note": 'two words "quoted"'})

    [line] = stream.getvalue().splitlines()
    assert " level=INFO logger=bot.test " in line
    assert 'msg="outbox: sent"' in line
    assert " chat_id=7" in line
    assert 'note="two words \\"quoted\\""' in line
    assert line.startswith("ts=20")


def test_json_lines_with_exception_and_masked_token() -> None:
    stream = io.StringIO()
    setup_logging("DEBUG", fmt="json", stream=stream)
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{TOKEN}/sendMessage failed")
    except RuntimeError:
        logging.getLogger("bot.test").exception("request failed", extra={"attempt": 2})

    [line] = stream.getvalue().splitlines()  # the traceback stays on one line
    record = json.loads(line)
    assert record["level"] == "ERROR"
    assert record["attempt"] == 2
    assert "RuntimeError" in record["exc"]
    assert TOKEN not in line
    assert "<token>" in line


def test_level_comes_from_settings_value() -> None:
    setup_logging("WARNING", stream=io.StringIO())
    assert logging.getLogger().level == logging.WARNING
    assert logging.getLogger("aiohttp.access").level == logging.WARNING
