"""A Bot whose session records every API call and answers with realistic defaults.

Like aiogram's own tests/mocked_bot.py, but first-in first-out, and with a default result
for each method, so a whole conversation runs without queueing responses by hand.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import (
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Message, User


class MockedSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        self.results: list[Any] = []
        self._queued: dict[type, deque[Any]] = {}
        self._message_ids = itertools.count(1000)

    def add_result_for(self, method: type, result: Any) -> None:
        """Queue a result (or an exception instance to raise) for the next call of ``method``."""
        self._queued.setdefault(method, deque()).append(result)

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.requests.append(method)
        queued = self._queued.get(type(method))
        if queued:
            result = queued.popleft()
            if isinstance(result, BaseException):
                raise result
            self.results.append(result)
            return result  # type: ignore[no-any-return]
        result = self._default(bot, method)
        self.results.append(result)
        return result  # type: ignore[no-any-return]

    def _default(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return User(
                id=bot.id, is_bot=True, first_name="Library bot", username="library_smm_bot"
            )
        if isinstance(method, SendMessage | SendDocument | SendPhoto):
            return Message(
                message_id=next(self._message_ids),
                date=datetime.now(UTC),
                chat=Chat(id=int(method.chat_id), type="private"),
                text=getattr(method, "text", None),
                reply_markup=method.reply_markup,
            )
        if isinstance(method, EditMessageText | EditMessageReplyMarkup):
            return Message(
                message_id=method.message_id or 0,
                date=datetime.now(UTC),
                chat=Chat(id=int(method.chat_id or 0), type="private"),
                text=getattr(method, "text", None),
                reply_markup=method.reply_markup,
            )
        return True

    async def close(self) -> None:
        pass

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:  # pragma: no cover - no downloads in tests
        yield b""


class MockedBot(Bot):
    session: MockedSession

    def __init__(self) -> None:
        super().__init__(
            "42:TEST",
            session=MockedSession(),
            default=DefaultBotProperties(parse_mode=ParseMode.HTML),
        )
