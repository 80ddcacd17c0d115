"""Long polling that confirms an update to Telegram only once it has been handled.

Telegram forgets an update once ``getUpdates`` is called with a higher ``offset``.
aiogram's own polling asks for the next batch (confirming the last) as soon as it has
started handling it, so a crash then loses every update in flight. Here the offset never
passes the oldest update still being handled: a process killed mid-update gets it again
after the restart, and the processed-update ids kept in each update's own transaction
(bot/middlewares.py) make an update that did commit a no-op the second time.

While an old update is still running, ``getUpdates`` (its offset held back) answers at once
with what we already have; the loop then waits for an update to finish, or a short while,
before asking again, instead of spinning.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.types import Update

logger = logging.getLogger(__name__)

BUSY_WAIT = 0.2
"""How long to wait for a running update before asking Telegram again (seconds)."""


class ConfirmingPoller:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        *,
        allowed_updates: Sequence[str] | None = None,
        timeout: int = 25,
        busy_wait: float = BUSY_WAIT,
    ) -> None:
        self._dispatcher = dispatcher
        self._bot = bot
        self._allowed = list(allowed_updates) if allowed_updates is not None else None
        self._timeout = timeout
        self._busy_wait = busy_wait
        self._running: dict[int, asyncio.Task[None]] = {}
        self._next = 0
        """One past the highest update id seen. Telegram sends ids in order, so every id
        below it is running or done: what comes again (held back behind an older update
        still running, or from a poll that was in flight meanwhile) is not taken twice."""

    @property
    def offset(self) -> int | None:
        """The offset to ask with: the oldest unfinished update, else one past the newest."""
        if self._running:
            return min(self._running)
        return self._next or None

    async def run(self, stop_event: asyncio.Event) -> None:
        """Poll until ``stop_event``; then wait for the updates in flight and confirm them."""
        failures = 0
        try:
            while not stop_event.is_set():
                if self._running:
                    stopped = asyncio.ensure_future(stop_event.wait())
                    await asyncio.wait(
                        [*self._running.values(), stopped],
                        timeout=self._busy_wait,
                        return_when=asyncio.FIRST_COMPLETED,
                    )
                    stopped.cancel()
                    if stop_event.is_set():
                        break
                try:
                    updates = await self._fetch(stop_event)
                except TelegramRetryAfter as error:
                    await self._sleep(stop_event, error.retry_after)
                    continue
                except (TelegramNetworkError, TelegramServerError) as error:
                    failures += 1
                    delay = min(60.0, 0.5 * 2**failures)
                    logger.warning("polling: getUpdates failed", extra={"error": str(error)})
                    await self._sleep(stop_event, delay)
                    continue
                failures = 0
                for update in updates or ():
                    self._take(update)
        finally:
            if self._running:
                await asyncio.gather(*self._running.values(), return_exceptions=True)
            await self._confirm()

    async def _fetch(self, stop_event: asyncio.Event) -> list[Update] | None:
        # Long polling only when nothing is running; otherwise Telegram answers at once.
        timeout = 0 if self._running else self._timeout
        fetch = asyncio.ensure_future(
            self._bot.get_updates(
                offset=self.offset,
                timeout=timeout,
                allowed_updates=self._allowed,
                request_timeout=timeout + 10,
            )
        )
        stopped = asyncio.ensure_future(stop_event.wait())
        await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not fetch.done():
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await fetch
            return None
        return fetch.result()

    def _take(self, update: Update) -> None:
        update_id = update.update_id
        if update_id < self._next:
            return
        self._next = update_id + 1
        task = asyncio.create_task(self._handle(update), name=f"update-{update_id}")
        self._running[update_id] = task

    async def _handle(self, update: Update) -> None:
        try:
            await self._dispatcher.feed_update(self._bot, update)
        except Exception:
            # The error handlers already logged and answered; what is left is a bug in them.
            logger.exception("polling: update failed", extra={"update_id": update.update_id})
        finally:
            del self._running[update.update_id]

    async def _confirm(self) -> None:
        """Tell Telegram what is done (an offset past it), so a restart does not repeat it."""
        if self._next and not self._running:
            with contextlib.suppress(Exception):
                await self._bot.get_updates(offset=self._next, timeout=0, limit=1)

    @staticmethod
    async def _sleep(stop_event: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop_event.wait(), timeout=seconds)
