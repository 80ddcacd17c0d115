"""Test doubles for the plumbing: a fake clock and a Bot API session that records calls."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncGenerator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetMyName, SendDocument, SendMessage, SendPhoto, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import BotName, Chat, Message

ErrorFactory = Callable[[TelegramMethod[Any]], Exception]

MONDAY = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday, 00:00 UTC


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """``utc(2026, 1, 5, 6)``: an aware UTC datetime, briefly."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


class FakeClock:
    """Wall clock, monotonic clock and sleep in one; sleeping only moves the time."""

    def __init__(self, start: datetime = MONDAY) -> None:
        self._start = start
        self.elapsed = 0.0
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self.elapsed)

    def monotonic(self) -> float:
        return 1000.0 + self.elapsed

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.elapsed += max(seconds, 0.0)

    def advance(self, **delta: float) -> None:
        self.elapsed += timedelta(**delta).total_seconds()

    def set(self, moment: datetime) -> None:
        self.elapsed = (moment - self._start).total_seconds()


class SimulatedCrash(BaseException):
    """The process dies here: nothing after this line of the sender runs."""


def retry_after(seconds: int) -> ErrorFactory:
    return lambda method: TelegramRetryAfter(method, "Too Many Requests", retry_after=seconds)


def forbidden() -> ErrorFactory:
    return lambda method: TelegramForbiddenError(method, "Forbidden: bot was blocked by the user")


def network_error() -> ErrorFactory:
    return lambda method: TelegramNetworkError(method, "Request timeout error")


def server_error() -> ErrorFactory:
    return lambda method: TelegramServerError(method, "Internal Server Error")


def bad_request() -> ErrorFactory:
    return lambda method: TelegramBadRequest(method, "Bad Request: message is too long")


class FakeSession(BaseSession):
    """Answers every send like Telegram would, unless told to fail or to crash the caller.

    ``attempts`` holds every request that reached "Telegram"; ``delivered`` the accepted ones.
    """

    def __init__(self) -> None:
        super().__init__()
        self.attempts: list[TelegramMethod[Any]] = []
        self.delivered: list[TelegramMethod[Any]] = []
        self.attempt_times: list[float] = []
        self._errors: deque[ErrorFactory] = deque()
        self._chat_errors: dict[int, deque[ErrorFactory]] = {}
        self.crash_before_call: int | None = None  # 1-based number of the call to die on
        self.crash_after_call: int | None = None
        self.on_delivered: Callable[[TelegramMethod[Any]], None] | None = None
        self.clock: FakeClock | None = None
        self._calls = 0
        self._next_message_id = 100

    def fail(self, *errors: ErrorFactory, chat_id: int | None = None) -> None:
        """Make the next requests (to ``chat_id``, or to anyone) raise these, in order."""
        if chat_id is None:
            self._errors.extend(errors)
        else:
            self._chat_errors.setdefault(chat_id, deque()).extend(errors)

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [
            str(getattr(m, "text", None) or getattr(m, "caption", None))
            for m in self.delivered
            if chat_id is None or getattr(m, "chat_id", None) == chat_id
        ]

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,
    ) -> TelegramType:
        self._calls += 1
        if self.crash_before_call == self._calls:
            raise SimulatedCrash
        self.attempts.append(method)
        if self.clock is not None:
            self.attempt_times.append(self.clock.elapsed)
        chat_id = getattr(method, "chat_id", None)
        queue = self._chat_errors.get(chat_id) if isinstance(chat_id, int) else None
        if queue:
            raise queue.popleft()(method)
        if self._errors:
            raise self._errors.popleft()(method)
        self.delivered.append(method)
        if self.on_delivered is not None:
            self.on_delivered(method)
        if self.crash_after_call == self._calls:
            raise SimulatedCrash
        return cast(TelegramType, self._result(method))

    def _result(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, SendMessage | SendDocument | SendPhoto):
            self._next_message_id += 1
            chat_id = int(method.chat_id)
            return Message(
                message_id=self._next_message_id,
                date=MONDAY,
                chat=Chat(id=chat_id, type="private" if chat_id > 0 else "group"),
                text=getattr(method, "text", None),
            )
        if isinstance(method, GetMyName):  # a bot not named yet: start-up names it
            return BotName(name="")
        return True

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""

    async def close(self) -> None:
        pass


def make_bot(session: FakeSession) -> Bot:
    return Bot("42:TEST", session=session)
