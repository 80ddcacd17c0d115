"""Drive a conversation through the real Dispatcher as a Telegram user would."""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Iterator
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
    InlineKeyboardMarkup,
    Message,
    PhotoSize,
    Sticker,
    Update,
)

from tests import factories
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
        self.user = factories.user(user_id, first_name, language_code=language_code)
        self.chat = factories.private_chat(user_id)
        self._seen = 0
        self._tolerated: list[tuple[str, list[str]]] = []

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

    async def feed(
        self, update: Update, *, expect_error: bool = False, expect_refused: bool = False
    ) -> list[Any]:
        """Feed one update; returns the API calls it caused (the bot may be shared).

        Fails when a handler crashed (the generic error handler answered, or an error was
        logged) or when Telegram refused a request the bot made, unless the test says it
        expects exactly that (``expect_error`` / ``expect_refused``). Refusals the test queued
        itself (``fail_next``, ``add_result_for(ok=False)``) are expected by construction.
        """
        self._seen = len(self.bot.session.requests)
        with _FailureLog() as failures:
            result = await self.dispatcher.feed_update(self.bot, update)
        assert result is not UNHANDLED, "no handler took the update"
        fresh = self.new_requests()
        refused = [
            f"{type(refusal.request).__name__}: {refusal.error}"
            for request in fresh
            if (refusal := self.bot.session.refusal(request)) is not None and not refusal.queued
        ]
        if expect_refused:
            assert refused, "Telegram was expected to refuse a request, and it did not"
        else:
            assert not refused, f"Telegram refused: {refused}"
        generic = self._generic_error_texts()
        crashes = [
            message for message in map(_message, failures.records) if not self._tolerate(message)
        ]
        crashes += [
            text for text in self._all_texts(fresh) + self._alerts(fresh) if text in generic
        ]
        if expect_error:
            assert crashes, "the update was expected to fail, and it did not"
        else:
            assert not crashes, f"a handler failed: {crashes}; see the log for the traceback"
        return fresh

    @contextlib.contextmanager
    def tolerating(self, prefix: str) -> Iterator[list[str]]:
        """Errors logged with ``prefix`` are part of the scenario, not a crash; yields them.

        For failures the bot logs and works around (the user sees no error), over several
        updates: ``with anna.tolerating("audience source failed") as logged: ...``.
        """
        logged: list[str] = []
        self._tolerated.append((prefix, logged))
        try:
            yield logged
        finally:
            self._tolerated.remove((prefix, logged))

    def _tolerate(self, message: str) -> bool:
        for prefix, logged in self._tolerated:
            if message.startswith(prefix):
                logged.append(message)
                return True
        return False

    def _generic_error_texts(self) -> set[str]:
        """The generic error answer in every language (none for a bot without i18n)."""
        i18n = self.dispatcher.workflow_data.get("i18n")
        if i18n is None:
            return set()
        return {i18n.gettext("error.generic", locale=locale) for locale in i18n.available_locales}

    async def send(
        self, text: str, *, expect_error: bool = False, expect_refused: bool = False
    ) -> list[Any]:
        return await self.feed(
            self.message_update(text), expect_error=expect_error, expect_refused=expect_refused
        )

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

    async def press(
        self,
        label: str,
        *,
        exact: bool = False,
        expect_error: bool = False,
        expect_refused: bool = False,
    ) -> list[Any]:
        """Press the button whose text contains (or, ``exact``, is) ``label``.

        Looks at the latest keyboard; a leading check mark does not count for ``exact``.
        """
        message_id, markup = self.last_keyboard()
        for row in markup.inline_keyboard:
            for button in row:
                text = button.text.removeprefix("✅ ")
                if (text == label if exact else label in button.text) and button.callback_data:
                    return await self.feed(
                        self.callback_update(button.callback_data, message_id),
                        expect_error=expect_error,
                        expect_refused=expect_refused,
                    )
        raise AssertionError(f"no button {label!r} in {self.button_texts()}")

    async def press_data(
        self,
        data: str,
        message_id: int | None = None,
        *,
        expect_error: bool = False,
        expect_refused: bool = False,
    ) -> list[Any]:
        """Press a button by its callback data, on the newest message with buttons by default
        (an edit of it then meets the message Telegram really holds)."""
        if message_id is None:
            try:
                message_id, _ = self.last_keyboard()
            except AssertionError:
                message_id = 1
        return await self.feed(
            self.callback_update(data, message_id),
            expect_error=expect_error,
            expect_refused=expect_refused,
        )

    # -- reading --------------------------------------------------------------------------
    def new_requests(self) -> list[Any]:
        fresh = self.bot.session.requests[self._seen :]
        self._seen = len(self.bot.session.requests)
        return fresh

    @staticmethod
    def _all_texts(requests: list[Any]) -> list[str]:
        return [
            r.text for r in requests if isinstance(r, SendMessage | EditMessageText) and r.text
        ]

    @staticmethod
    def _alerts(requests: list[Any]) -> list[str]:
        return [r.text or "" for r in requests if isinstance(r, AnswerCallbackQuery)]

    def texts(self, requests: list[Any] | None = None) -> list[str]:
        """Texts the user got (sent or edited in); requests Telegram refused do not count."""
        pool = self.bot.session.accepted(requests)
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
        return self._alerts(self.bot.session.accepted(requests))

    def last_keyboard(self) -> tuple[int, InlineKeyboardMarkup]:
        """(message id, markup) of the newest accepted message in this chat that shows buttons."""
        session = self.bot.session
        for request, result in zip(
            reversed(session.requests), reversed(session.results), strict=True
        ):
            if session.refusal(request) is not None:
                continue
            if getattr(request, "chat_id", self.chat.id) != self.chat.id:
                continue  # the bot is shared: another user's keyboard is not on my screen
            if isinstance(request, SendMessage | EditMessageText | EditMessageReplyMarkup):
                markup = request.reply_markup
                if isinstance(markup, InlineKeyboardMarkup):
                    message_id = result.message_id if isinstance(result, Message) else 1
                    return message_id, markup
        raise AssertionError("no keyboard was shown")

    def button_texts(self) -> list[str]:
        _, markup = self.last_keyboard()
        return [button.text for row in markup.inline_keyboard for button in row]


def _message(record: logging.LogRecord) -> str:
    return record.getMessage()


class _FailureLog(logging.Handler):
    """Collects errors logged while one update is fed: "update failed" from the generic error
    handler, and any other error the bot logged and swallowed (say, a failing audience source).
    """

    _LOGGERS = ("bot", "handlers", "aiogram")

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> _FailureLog:
        for name in self._LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *_: object) -> None:
        for name in self._LOGGERS:
            logging.getLogger(name).removeHandler(self)
