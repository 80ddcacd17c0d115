"""Per-user flood protection: past ``limit`` updates in ``period`` seconds, drop the rest.

The dropped updates never reach a handler, so nothing is saved and the FSM state stays
where it was. The user is told once per burst (a button press is always answered, so its
spinner stops). Bot admins are never limited. The window lives in this process: with
several instances each one counts the updates it receives.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.types import User as TelegramUser

from bot.domain.translate import Translate
from bot.logging_setup import log_who
from bot.outbox.limiter import Rate, SlidingWindow

logger = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

DEFAULT_RATE = Rate(20, 10.0)
_MAX_TRACKED = 10_000


class AntiFlood(BaseMiddleware):
    """Outer middleware for messages and button presses; register after the locale one."""

    def __init__(
        self,
        rate: Rate = DEFAULT_RATE,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = rate
        self._clock = clock
        self._windows: dict[int, SlidingWindow] = {}
        self._warned: set[int] = set()  # users told about the current burst

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: TelegramUser | None = data.get("event_from_user")
        if user is None or user.id in data.get("admin_ids", frozenset()):
            return await handler(event, data)
        now = self._clock()
        window = self._windows.get(user.id)
        if window is None:
            self._forget_idle(now)
            window = self._windows[user.id] = SlidingWindow(self._rate)
        if window.delay(now) <= 0:
            window.record(now)
            self._warned.discard(user.id)
            return await handler(event, data)
        await self._refuse(event, user.id, data.get("t"), who=log_who(data.get("user")))
        return None

    async def _refuse(
        self, event: TelegramObject, user_id: int, t: Translate | None, *, who: dict[str, object]
    ) -> None:
        first = user_id not in self._warned
        self._warned.add(user_id)
        if first:
            logger.warning("antiflood: dropping updates", extra=who)
        text = t("flood.slow_down") if t is not None and first else None
        try:
            if isinstance(event, CallbackQuery):
                await event.answer(text)  # always: the button stops spinning
            elif isinstance(event, Message) and text is not None:
                await event.answer(text)
        except Exception:
            logger.warning("antiflood: could not answer", extra=who)

    def _forget_idle(self, now: float) -> None:
        """Keep memory flat on a long-running process."""
        if len(self._windows) <= _MAX_TRACKED:
            return
        for user_id in [uid for uid, w in self._windows.items() if w.idle(now)]:
            del self._windows[user_id]
            self._warned.discard(user_id)
