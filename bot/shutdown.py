"""Stopping cleanly on SIGTERM (docker stop) or Ctrl+C.

Order matters: stop taking updates and let those in flight finish (they may enqueue
messages), stop the background loops, send what the outbox holds that is due, then close
the Bot session and the database. What cannot be sent within ``flush_timeout`` stays in the
outbox and goes out after the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject
from aiohttp import web

from bot.db.engine import Database
from bot.outbox.sender import OutboxSender

logger = logging.getLogger(__name__)


def install_signal_handlers(stop_event: asyncio.Event) -> None:
    """SIGTERM and SIGINT set ``stop_event`` instead of killing the process mid-write."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows event loops
            loop.add_signal_handler(signum, stop_event.set)


class UpdatesInFlight(BaseMiddleware):
    """Counts updates being handled, so shutdown can wait for them.

    Polling runs handlers as tasks that ``Dispatcher.stop_polling`` does not wait for, and
    a webhook update slower than aiogram's 55 s moves to the background; this covers both.
    Register first: ``dispatcher.update.outer_middleware(in_flight)``.
    """

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def count(self) -> int:
        return self._count

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        self._count += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()

    async def wait_idle(self) -> None:
        """Return once no update is being handled (wrap in ``asyncio.timeout``)."""
        await self._idle.wait()


async def graceful_shutdown(
    *,
    stop_event: asyncio.Event,
    runner: web.BaseRunner | None = None,
    in_flight: UpdatesInFlight | None = None,
    background: Iterable[asyncio.Task[None]] = (),
    sender: OutboxSender | None = None,
    bot: Bot | None = None,
    db: Database | None = None,
    updates_timeout: float = 20.0,
    loops_timeout: float = 5.0,
    flush_timeout: float = 10.0,
) -> None:
    """Shut down in order; each step runs even if an earlier one failed.

    ``runner``: the webhook's AppRunner; create it with ``shutdown_timeout`` below the
    container's stop grace period. In polling mode ``await dispatcher.stop_polling()``
    first (start polling with ``handle_signals=False, close_bot_session=False``) and pass
    no runner. ``in_flight``: the middleware counting updates still being handled.
    ``background``: tasks running ``OutboxSender.run_forever`` / ``Scheduler.run_forever``
    with the same ``stop_event``.
    """
    stop_event.set()
    if runner is not None:
        try:
            await runner.cleanup()  # stop listening, finish requests, Dispatcher shutdown
        except Exception:
            logger.exception("shutdown: web server cleanup failed")
    if in_flight is not None:
        try:
            async with asyncio.timeout(updates_timeout):
                await in_flight.wait_idle()
        except TimeoutError:
            logger.warning("shutdown: updates still running", extra={"updates": in_flight.count})
    tasks = list(background)
    if tasks:
        _, pending = await asyncio.wait(tasks, timeout=loops_timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    if sender is not None:
        try:
            sent = await asyncio.wait_for(sender.send_due(), timeout=flush_timeout)
            logger.info("shutdown: outbox flushed", extra={"sent": sent})
        except TimeoutError:
            logger.warning("shutdown: outbox flush timed out; the rest goes after restart")
        except Exception:
            logger.exception("shutdown: outbox flush failed")
    if bot is not None:
        await bot.session.close()
    if db is not None:
        await db.close()
