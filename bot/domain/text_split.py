"""Splitting long Telegram HTML under the 4,096-character limit of one message."""

from __future__ import annotations

import re

TELEGRAM_LIMIT = 4096
_TAG = re.compile(r"<[^>]+>")


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split Telegram HTML into parts of at most ``limit`` characters.

    Cuts at paragraph breaks, then line breaks, then spaces; never inside a tag or an
    entity, and closes tags left open at a cut (reopening them in the next part).
    """
    if limit < 100:
        raise ValueError("limit too small for HTML parts")
    parts: list[str] = []
    carry = ""  # tags reopened at the start of the next part
    rest = text
    while rest:
        budget = limit - len(carry)
        if len(rest) <= budget - _closing_len(carry + rest):
            parts.append(carry + rest)
            break
        cut = _cut_point(rest, budget - 60)  # room for closing tags
        chunk = rest[:cut]
        open_tags = _open_tags(carry + chunk)
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        parts.append((carry + chunk).rstrip() + closing)
        carry = "".join(tag for _, tag in open_tags)
        rest = rest[cut:].lstrip("\n ")
    return [p for p in parts if _TAG.sub("", p).strip()]


def _closing_len(text: str) -> int:
    return sum(len(name) + 3 for name, _ in _open_tags(text))


def _cut_point(text: str, budget: int) -> int:
    window = text[:budget]
    for separator in ("\n\n", "\n", " "):
        index = window.rfind(separator)
        if index > budget // 3:
            return _safe(text, index + len(separator))
    return _safe(text, budget)


def _safe(text: str, index: int) -> int:
    """Move a cut back out of a tag or an entity."""
    lt, gt = text.rfind("<", 0, index), text.rfind(">", 0, index)
    if lt > gt:
        index = lt
    amp, semi = text.rfind("&", 0, index), text.rfind(";", 0, index)
    if amp > semi and index - amp < 10:
        index = amp
    return max(index, 1)


_TAG_PARTS = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def _open_tags(text: str) -> list[tuple[str, str]]:
    stack: list[tuple[str, str]] = []
    for match in _TAG_PARTS.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i]
                    break
        else:
            stack.append((name, match.group(0)))
    return stack
