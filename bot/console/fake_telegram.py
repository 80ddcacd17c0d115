"""A pretend Telegram: the replies the Bot API would give, with no network.

Console mode and the test harness both need ``sendMessage`` to come back as a Message with a
fresh id in the right chat, an edit to keep what it did not change, ``getMe`` to name the
bot, and so on. The bookkeeping lives here once so that both behave alike.
Replies are plain JSON-like values; a session turns them into aiogram objects through
``BaseSession.check_response``, the same path a real HTTP reply takes.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiogram.client.default import Default
from aiogram.methods import (
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    GetMyName,
    GetUpdates,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import InlineKeyboardMarkup, InputFile, InputMediaDocument, InputMediaPhoto

from bot.console.render import TelegramHTMLError, html_to_entities

if TYPE_CHECKING:
    from aiogram import Bot

BOT_FIRST_NAME = "Library SMM bot"
BOT_USERNAME = "library_smm_bot"
# Where a chat given as "@name" is placed; real ids of such chats are negative too.
_NAMED_CHAT_ID = -1_001_000_000_001
_PHOTO_SIZE = (1280, 720)


MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


class UnsupportedMethodError(LookupError):
    """The pretend Telegram has no believable reply for this method."""


class TelegramRejectionError(Exception):
    """Telegram would answer this call with ``400 Bad Request: <description>``."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def rejection_reply(error: TelegramRejectionError) -> dict[str, Any]:
    """The Bot API body of a refusal; ``check_response`` turns it into TelegramBadRequest."""
    return {"ok": False, "error_code": 400, "description": error.description}


@dataclass
class FakeTelegram:
    """The server side of a private chat: message ids, what each message says, the bot."""

    bot_first_name: str = BOT_FIRST_NAME
    bot_username: str = BOT_USERNAME
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    _last_message_id: dict[int, int] = field(default_factory=dict)
    _file_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def next_message_id(self, chat_id: int) -> int:
        """Ids are per chat and shared by both sides, as in a private chat in Telegram."""
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def bot_user(self, bot: Bot) -> dict[str, Any]:
        return {
            "id": bot.id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        return self.messages.get((chat_id, message_id))

    def reply(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        """The ``result`` Telegram would send back for ``method``.

        Raises :class:`TelegramRejectionError` for what Telegram refuses (too long, bad HTML,
        oversized callback data, an edit that changes nothing) so tests catch those bugs.
        """
        _check_markup(getattr(method, "reply_markup", None))
        if isinstance(method, GetMe):
            return self.bot_user(bot)
        if isinstance(method, GetUpdates):
            return []
        if isinstance(method, GetMyName):
            return {"name": self.bot_first_name}
        if isinstance(method, SendMediaGroup):
            return [
                self._send_file(bot, item, method.chat_id)
                for item in method.media
                if isinstance(item, InputMediaPhoto | InputMediaDocument)
            ]
        if isinstance(method, SendMessage):
            content = self._text(bot, method.text, method.parse_mode)
            return self._send(bot, method.chat_id, method.reply_markup, **content)
        if isinstance(method, SendDocument | SendPhoto):
            return self._send_file(bot, method)
        if isinstance(method, EditMessageText | EditMessageCaption | EditMessageReplyMarkup):
            return self._edit(bot, method)
        if method.__returning__ is bool:
            # answerCallbackQuery, setMyCommands, sendChatAction, deleteMessage, close, …
            return True
        raise UnsupportedMethodError(method.__api_method__)

    def _send(
        self, bot: Bot, chat_id: int | str, markup: object, **content: Any
    ) -> dict[str, Any]:
        chat = chat_of(chat_id)
        message: dict[str, Any] = {
            "message_id": self.next_message_id(chat["id"]),
            "from": self.bot_user(bot),
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        if isinstance(markup, InlineKeyboardMarkup):
            message["reply_markup"] = markup.model_dump(mode="json", exclude_none=True)
        self.messages[chat["id"], message["message_id"]] = message
        return message

    def _send_file(
        self,
        bot: Bot,
        method: SendDocument | SendPhoto | InputMediaPhoto | InputMediaDocument,
        chat_id: int | str | None = None,
    ) -> dict[str, Any]:
        """A file message; the items of a media group come with their album's chat."""
        number = next(self._file_ids)
        content: dict[str, Any] = {}
        if method.caption is not None:
            content.update(self._caption(bot, method.caption, method.parse_mode))
        if isinstance(method, SendDocument | InputMediaDocument):
            document: dict[str, Any] = {
                "file_id": f"document-{number}",
                "file_unique_id": f"u-document-{number}",
            }
            upload = method.document if isinstance(method, SendDocument) else method.media
            if isinstance(upload, InputFile) and upload.filename:
                document["file_name"] = upload.filename
            content["document"] = document
        else:
            width, height = _PHOTO_SIZE
            content["photo"] = [
                {
                    "file_id": f"photo-{number}",
                    "file_unique_id": f"u-photo-{number}",
                    "width": width,
                    "height": height,
                }
            ]
        if isinstance(method, InputMediaPhoto | InputMediaDocument):
            assert chat_id is not None
            return self._send(bot, chat_id, None, **content)
        return self._send(bot, method.chat_id, method.reply_markup, **content)

    def _edit(
        self, bot: Bot, method: EditMessageText | EditMessageCaption | EditMessageReplyMarkup
    ) -> dict[str, Any] | bool:
        if method.inline_message_id is not None or method.chat_id is None:
            return True  # edits of inline messages answer with True
        chat = chat_of(method.chat_id)
        message_id = method.message_id or 0
        message = self.messages.get((chat["id"], message_id)) or {
            "message_id": message_id,
            "from": self.bot_user(bot),
            "chat": chat,
            "date": int(time.time()),
        }
        known = (chat["id"], message_id) in self.messages
        before = dict(message)
        message = dict(message)
        if isinstance(method, EditMessageText) and method.text is not None:
            message.pop("entities", None)
            message.update(self._text(bot, method.text, method.parse_mode))
        elif isinstance(method, EditMessageCaption):
            message.pop("caption_entities", None)
            message.update(self._caption(bot, method.caption or "", method.parse_mode))
        # Telegram drops an inline keyboard that an edit does not repeat.
        message.pop("reply_markup", None)
        if method.reply_markup is not None:
            message["reply_markup"] = method.reply_markup.model_dump(
                mode="json", exclude_none=True
            )
        if known and _content(message) == _content(before):
            raise TelegramRejectionError(NOT_MODIFIED)
        message["edit_date"] = int(time.time())
        self.messages[chat["id"], message_id] = message
        return message

    def _text(self, bot: Bot, text: str, parse_mode: object) -> dict[str, Any]:
        text, entities = as_sent(bot, text, parse_mode)
        if not text.strip():
            raise TelegramRejectionError("Bad Request: message text is empty")
        if _utf16_length(text) > MAX_TEXT_LENGTH:
            raise TelegramRejectionError("Bad Request: message is too long")
        return {"text": text, "entities": entities} if entities else {"text": text}

    def _caption(self, bot: Bot, caption: str, parse_mode: object) -> dict[str, Any]:
        text, entities = as_sent(bot, caption, parse_mode)
        if _utf16_length(text) > MAX_CAPTION_LENGTH:
            raise TelegramRejectionError("Bad Request: message caption is too long")
        return {"caption": text, "caption_entities": entities} if entities else {"caption": text}


def resolve_parse_mode(bot: Bot, parse_mode: object) -> str | None:
    """A method's ``parse_mode``, with the bot-wide default filled in."""
    if isinstance(parse_mode, Default):
        parse_mode = bot.default[parse_mode.name]
    return parse_mode if isinstance(parse_mode, str) else None


def as_sent(bot: Bot, text: str, parse_mode: object) -> tuple[str, list[dict[str, object]]]:
    """What Telegram stores for ``text``: HTML becomes plain text plus entities."""
    if (resolve_parse_mode(bot, parse_mode) or "").upper() == "HTML":
        try:
            return html_to_entities(text)
        except TelegramHTMLError as error:
            raise TelegramRejectionError(f"Bad Request: can't parse entities: {error}") from None
    return text, []


def _check_markup(markup: object) -> None:
    if not isinstance(markup, InlineKeyboardMarkup):
        return
    for row in markup.inline_keyboard:
        for button in row:
            data = button.callback_data
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise TelegramRejectionError("Bad Request: BUTTON_DATA_INVALID")


def _content(message: dict[str, Any]) -> tuple[object, ...]:
    keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
    return tuple(message.get(key) for key in keys)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def chat_of(chat_id: int | str) -> dict[str, Any]:
    """A chat object for ``chat_id``: positive ids are private chats, as in Telegram."""
    if isinstance(chat_id, str):
        if not chat_id.lstrip("-").isdigit():
            return {"id": _NAMED_CHAT_ID, "type": "channel", "username": chat_id.lstrip("@")}
        chat_id = int(chat_id)
    return {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
