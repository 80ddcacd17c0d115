"""Turning messages into text: HTML for Telegram, plain text for documents."""

from __future__ import annotations

import html
import re

from bot.advice.models import Msg, MsgList, Param, UserText
from bot.domain.translate import Translate

_TAG = re.compile(r"<[^>]+>")


def render(message: Msg, t: Translate) -> str:
    """The message as Telegram HTML; user text escaped, nested messages translated."""
    params = {name: _param(value, t) for name, value in message.params.items()}
    try:
        if message.count:
            count = message.params.get(message.count, 0)
            number = count if isinstance(count, int) else 0
            params.pop("n", None)
            return t.plural(message.key, number, **params)
        return t(message.key, **params)
    except (KeyError, IndexError, ValueError):
        # A catalog text whose placeholders do not match: show the text unformatted rather
        # than failing the whole strategy.
        return t(message.key)


def _param(value: Param, t: Translate) -> str:
    if isinstance(value, UserText):
        return html.escape(value.value)
    if isinstance(value, Msg):
        return render(value, t)
    if isinstance(value, MsgList):
        parts = [_param(v, t) for v in value.items]
        return t("advice.list_sep").join(parts) if parts else t("advice.list_empty")
    if isinstance(value, float):
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if t.locale == "ru" else text
    return str(value)


def to_plain(text: str) -> str:
    """HTML of a message as plain text for DOCX and calendars."""
    text = re.sub(r"<br\s*/?>", "\n", text)
    return html.unescape(_TAG.sub("", text))


def render_param(value: Param, t: Translate) -> str:
    """One parameter (a label, a typed text, a list) as Telegram HTML."""
    return _param(value, t)
