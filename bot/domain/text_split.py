"""Splitting long HTML messages under Telegram's 4,096-character limit."""

from __future__ import annotations

TELEGRAM_LIMIT = 4096


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split at paragraph, then line boundaries so that no part exceeds ``limit``.

    Our messages open and close their tags on one line, so line boundaries are safe; a
    single line longer than the limit (only possible with user text) is cut hard.
    """
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for raw_line in text.split("\n"):
        line = raw_line
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            cut = _safe_cut(line, limit)
            parts.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return [part for part in parts if part.strip()]


def _safe_cut(line: str, limit: int) -> int:
    """A cut position at or before ``limit`` that does not split an entity or a tag."""
    cut = limit
    for opener, closer in (("&", ";"), ("<", ">")):
        start = line.rfind(opener, 0, cut)
        if start > 0 and line.find(closer, start, cut) == -1:
            cut = start
    return cut
