"""Checks of a typed answer against its question. Pure: returns a reason key, never text."""

from __future__ import annotations

import re
import unicodedata
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


# Characters that print nothing: controls, format marks (zero-width space, joiners, direction
# marks, BOM), private use, surrogates, unassigned code points.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
# Letters by category that still render blank (Hangul fillers, a known way to fake a name).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Joiners shape emoji and some scripts: kept inside a name, never counted as visible.
_JOINERS = "\u200c\u200d"


def visible_text(raw: str) -> str:
    """``raw`` as one line with single spaces and without characters that print nothing."""
    kept = "".join(
        char
        for char in raw
        if char in _JOINERS
        or (unicodedata.category(char) not in _INVISIBLE_CATEGORIES and char not in _BLANK_LETTERS)
    )
    return " ".join(kept.split()).strip(_JOINERS + " ")


def has_letters(text: str) -> bool:
    """True when at least one letter or digit would be seen."""
    return any(
        unicodedata.category(char)[0] in "LN" and char not in _BLANK_LETTERS for char in text
    )


def parse_name(raw: str, max_len: int, min_len: int = 1) -> str | Invalid:
    """A typed name (a library, a place, a survey, a link): visible letters, within limits.

    The one rule for every name typed into the bot, so a name made of zero-width or blank
    characters never reaches a title, a table or a poster.
    """
    text = visible_text(raw)
    if not has_letters(text):
        return Invalid("invalid.no_letters", {})
    if len(text) < min_len:
        return Invalid("invalid.too_short", {"min": min_len})
    if len(text) > max_len:
        return Invalid("invalid.too_long", {"max": max_len, "given": len(text)})
    return text


def parse_text(question: Question, raw: str) -> str | Invalid:
    if question.validator == "name":
        return parse_name(raw, question.max_len, question.min_len)
    text = visible_text(raw)  # one line, single spaces: answers end up in tables
    if not text:
        return Invalid("invalid.no_letters", {})
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
