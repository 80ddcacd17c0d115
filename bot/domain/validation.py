"""Checks of a typed answer against its question. Pure: returns a reason key, never text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import available_timezones

from bot.domain.questions import Kind, Question

_URL = re.compile(r"^(https?://)?([\w-]+\.)+[\w-]{2,}(/\S*)?$", re.IGNORECASE)
_TELEGRAM_HANDLE = re.compile(r"^@[A-Za-z0-9_]{4,32}$")


@dataclass(frozen=True, slots=True)
class Invalid:
    key: str
    """Locale key of the explanation shown to the user."""
    params: dict[str, int | str]


def parse_text(question: Question, raw: str) -> str | Invalid:
    text = " ".join(raw.split())  # one line, single spaces: answers end up in tables
    if len(text) < question.min_len:
        return Invalid("invalid.too_short", {"min": question.min_len})
    if len(text) > question.max_len:
        return Invalid("invalid.too_long", {"max": question.max_len, "given": len(text)})
    if question.validator == "url" and not (_URL.match(text) or _TELEGRAM_HANDLE.match(text)):
        return Invalid("invalid.url", {})
    if question.validator == "timezone" and text not in _zones():
        return Invalid("invalid.timezone", {})
    return text


def parse_number(question: Question, raw: str) -> int | Invalid:
    cleaned = raw.strip().replace(" ", "").replace("\u00a0", "")
    if not (cleaned.isascii() and cleaned.isdigit()):  # "²" is a digit int() refuses
        return Invalid("invalid.number", {})
    # Very long digit strings: answer politely instead of building a huge int.
    if len(cleaned) > 12:
        return Invalid("invalid.range", {"min": question.min_value, "max": question.max_value})
    value = int(cleaned)
    if not question.min_value <= value <= question.max_value:
        return Invalid("invalid.range", {"min": question.min_value, "max": question.max_value})
    return value


def parse_typed(question: Question, raw: str) -> str | int | Invalid:
    if question.kind is Kind.NUMBER:
        return parse_number(question, raw)
    return parse_text(question, raw)


def normalize_url(text: str) -> str:
    if text.startswith("@") or text.lower().startswith(("http://", "https://")):
        return text
    return f"https://{text}"


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES  # noqa: PLW0603 - computed once; the zone list is large
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES
