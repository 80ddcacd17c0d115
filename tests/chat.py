"""Drive a conversation through the real Dispatcher as a Telegram user would."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from aiogram import Dispatcher
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from aiogram.types import (
    CallbackQuery,
    Chat,
    InlineKeyboardMarkup,
    Message,
    PhotoSize,
    Sticker,
    Update,
    User,
)

from tests.mocked_bot import MockedBot

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


class ChatUser:
    """One private chat: ``send`` text, ``press`` a button by its label, read what came back."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: MockedBot,
        user_id: int = 100,
        *,
        language_code: str = "ru",
        first_name: str = "Анна",
    ) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.user = User(
            id=user_id, is_bot=False, first_name=first_name, language_code=language_code
        )
        self.chat = Chat(id=user_id, type="private")
        self._seen = 0

    # -- sending --------------------------------------------------------------------------
    def message_update(self, text: str | None = None, **content: Any) -> Update:
        message = Message(
            message_id=next(_message_ids),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            text=text,
            **content,
        )
        return Update(update_id=next(_update_ids), message=message)

    def callback_update(self, data: str, message_id: int = 1) -> Update:
        message = Message(message_id=message_id, date=datetime.now(UTC), chat=self.chat, text="…")
        query = CallbackQuery(
            id=str(next(_update_ids)),
            from_user=self.user,
            chat_instance="chat",
            data=data,
            message=message,
        )
        return Update(update_id=next(_update_ids), callback_query=query)

    async def feed(self, update: Update) -> list[Any]:
        """Feed one update; returns the API calls it caused (the bot may be shared)."""
        self._seen = len(self.bot.session.requests)
        result = await self.dispatcher.feed_update(self.bot, update)
        assert result is not UNHANDLED, "no handler took the update"
        return self.new_requests()

    async def send(self, text: str) -> list[Any]:
        return await self.feed(self.message_update(text))

    async def send_sticker(self) -> list[Any]:
        sticker = Sticker(
            file_id="s",
            file_unique_id="s",
            type="regular",
            width=1,
            height=1,
            is_animated=False,
            is_video=False,
        )
        return await self.feed(self.message_update(sticker=sticker))

    async def send_photo(self) -> list[Any]:
        photo = [PhotoSize(file_id="p", file_unique_id="p", width=1, height=1)]
        return await self.feed(self.message_update(photo=photo))

    async def press(self, label: str, *, exact: bool = False) -> list[Any]:
        """Press the button whose text contains (or, ``exact``, is) ``label``.

        Looks at the latest keyboard; a leading check mark does not count for ``exact``.
        """
        message_id, markup = self.last_keyboard()
        for row in markup.inline_keyboard:
            for button in row:
                text = button.text.removeprefix("✅ ")
                if (text == label if exact else label in button.text) and button.callback_data:
                    return await self.feed(self.callback_update(button.callback_data, message_id))
        raise AssertionError(f"no button {label!r} in {self.button_texts()}")

    async def press_data(self, data: str, message_id: int = 1) -> list[Any]:
        return await self.feed(self.callback_update(data, message_id))

    # -- reading --------------------------------------------------------------------------
    def new_requests(self) -> list[Any]:
        fresh = self.bot.session.requests[self._seen :]
        self._seen = len(self.bot.session.requests)
        return fresh

    def texts(self, requests: list[Any] | None = None) -> list[str]:
        pool = self.bot.session.requests if requests is None else requests
        texts: list[str] = []
        for r in pool:
            if isinstance(r, SendMessage | EditMessageText):
                # aiogram types EditMessageText.text as optional; every edit here carries text.
                assert r.text is not None, f"{type(r).__name__} without text"
                texts.append(r.text)
        return texts

    def last_text(self) -> str:
        return self.texts()[-1]

    def alerts(self, requests: list[Any]) -> list[str]:
        return [r.text or "" for r in requests if isinstance(r, AnswerCallbackQuery)]

    def last_keyboard(self) -> tuple[int, InlineKeyboardMarkup]:
        """(message id, markup) of the newest message that still shows buttons."""
        session = self.bot.session
        for request, result in zip(
            reversed(session.requests), reversed(session.results), strict=True
        ):
            if isinstance(request, SendMessage | EditMessageText | EditMessageReplyMarkup):
                markup = request.reply_markup
                if isinstance(markup, InlineKeyboardMarkup):
                    message_id = result.message_id if isinstance(result, Message) else 1
                    return message_id, markup
        raise AssertionError("no keyboard was shown")

    def button_texts(self) -> list[str]:
        _, markup = self.last_keyboard()
        return [button.text for row in markup.inline_keyboard for button in row]
