"""Telegram HTML read back as text: plain text with entities, or text for a terminal.

The console prints what the bot sends, and the pretend Telegram behind it must return
messages the way Telegram does (plain ``text`` plus ``entities``), so both views come from
one parse of the subset of HTML that Telegram accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

# Telegram's tag names (and their aliases) -> entity types.
_ENTITY_OF_TAG = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
}
_NOT_A_TAG = re.compile(r"<(?!/?[A-Za-z])([^\s>/]*)")
_IGNORED_TAGS = {"tg-emoji", "tg-time"}  # accepted by Telegram, nothing to show here
_ANSI_OF_ENTITY = {"bold": "1", "italic": "3", "underline": "4", "strikethrough": "9"}
_ANSI_RESET = "\x1b[0m"


class TelegramHTMLError(ValueError):
    """HTML that Telegram refuses with "can't parse entities"."""


@dataclass
class _Tag:
    entity: str
    url: str | None = None
    text: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Event:
    kind: str  # "text", "open" or "close"
    text: str = ""
    tag: _Tag | None = None


class _TelegramHTML(HTMLParser):
    """Turns Telegram HTML into a flat list of events; unknown tags are dropped, text kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.events: list[_Event] = []
        self.problems: list[str] = []
        self._open: list[tuple[str, _Tag]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        entity = _ENTITY_OF_TAG.get(tag)
        if tag == "span" and attributes.get("class") == "tg-spoiler":
            entity = "spoiler"
        if entity is None:
            if tag not in _IGNORED_TAGS:
                self.problems.append(f'Unsupported start tag "{tag}"')
            return
        opened = _Tag(entity, url=attributes.get("href") if tag == "a" else None)
        self._open.append((tag, opened))
        self.events.append(_Event("open", tag=opened))

    def handle_endtag(self, tag: str) -> None:
        # Close the innermost tag of this name and anything left open inside it.
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                for _, closed in reversed(self._open[index:]):
                    self.events.append(_Event("close", tag=closed))
                del self._open[index:]
                return
        if tag not in _IGNORED_TAGS and tag != "span":
            self.problems.append(f'Unexpected end tag "{tag}"')

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self._text(unescape(f"&#{name};"))

    def _text(self, data: str) -> None:
        for _, opened in self._open:
            opened.text.append(data)
        self.events.append(_Event("text", text=data))

    def finish(self) -> list[_Event]:
        self.close()
        if self._open:
            self.problems.append(
                f'Can\'t find end tag corresponding to start tag "{self._open[-1][0]}"'
            )
        for _, closed in reversed(self._open):
            self.events.append(_Event("close", tag=closed))
        self._open.clear()
        return self.events


def _parse(html: str, *, strict: bool = False) -> list[_Event]:
    parser = _TelegramHTML()
    parser.feed(html)
    events = parser.finish()
    if strict:
        # A "<" that starts no tag Python knows ("<спасибо>", "a < b") is still a tag to
        # Telegram, which refuses it; an escaped "&lt;" is what it expects.
        stray = _NOT_A_TAG.search(html)
        if stray:
            name = stray.group(1)
            raise TelegramHTMLError(
                f'Unsupported start tag "{name}"' if name else "Empty tag name"
            )
        if parser.problems:
            raise TelegramHTMLError(parser.problems[0])
    return events


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def html_to_entities(html: str) -> tuple[str, list[dict[str, object]]]:
    """Plain text and Bot API ``MessageEntity`` dicts, as Telegram returns a sent message.

    Raises :class:`TelegramHTMLError` where Telegram would refuse the text: an unknown tag
    (typically user text that missed ``html.escape``), or a tag not closed or not opened.
    """
    text: list[str] = []
    offset = 0
    starts: dict[int, int] = {}
    found: list[tuple[int, int, _Tag]] = []
    for event in _parse(html, strict=True):
        if event.kind == "text":
            text.append(event.text)
            offset += _utf16_length(event.text)
        elif event.tag is not None and event.kind == "open":
            starts[id(event.tag)] = offset
        elif event.tag is not None:
            start = starts.pop(id(event.tag))
            if offset > start:
                found.append((start, offset - start, event.tag))
    # Telegram lists entities by offset, an enclosing entity before the ones inside it.
    found.sort(key=lambda item: (item[0], -item[1]))
    entities: list[dict[str, object]] = []
    for start, length, tag in found:
        entity: dict[str, object] = {"type": tag.entity, "offset": start, "length": length}
        if tag.url is not None:
            entity["url"] = tag.url
        entities.append(entity)
    return "".join(text), entities


def html_to_terminal(html: str, *, color: bool) -> str:
    """Text for a terminal: bold/italic/… as ANSI when ``color``, links as ``text (url)``."""
    return "".join(_terminal_pieces(_parse(html), color=color))


def _terminal_pieces(events: Iterable[_Event], *, color: bool) -> Iterator[str]:
    styles: list[str] = []
    for event in events:
        if event.kind == "text":
            yield event.text
            continue
        tag = event.tag
        if tag is None:
            continue
        code = _ANSI_OF_ENTITY.get(tag.entity)
        if event.kind == "open":
            if code is not None:
                styles.append(code)
                if color:
                    yield f"\x1b[{code}m"
            continue
        if code is not None:
            styles.remove(code)
            if color:
                # A reset ends every style, so the ones still open are switched back on.
                yield _ANSI_RESET + "".join(f"\x1b[{active}m" for active in styles)
        if tag.url is not None and tag.url != "".join(tag.text).strip():
            yield f" ({tag.url})"
