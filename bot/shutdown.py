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
from collections.abc import Iterable

import aiosqlite
from aiogram import Bot
from aiohttp import web

from bot.outbox.sender import OutboxSender

logger = logging.getLogger(__name__)


def install_signal_handlers(stop_event: asyncio.Event) -> None:
    """SIGTERM and SIGINT set ``stop_event`` instead of killing the process mid-write."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows event loops
            loop.add_signal_handler(signum, stop_event.set)


async def graceful_shutdown(
    *,
    stop_event: asyncio.Event,
    runner: web.BaseRunner | None = None,
    background: Iterable[asyncio.Task[None]] = (),
    sender: OutboxSender | None = None,
    bot: Bot | None = None,
    db: aiosqlite.Connection | None = None,
    loops_timeout: float = 10.0,
    flush_timeout: float = 10.0,
) -> None:
    """Shut down in order; each step runs even if an earlier one failed.

    ``runner``: the webhook's AppRunner (its ``shutdown_timeout`` bounds the wait for
    updates in flight). In polling mode stop polling first and pass no runner.
    ``background``: tasks running ``OutboxSender.run_forever`` / ``Scheduler.run_forever``
    with the same ``stop_event``.
    """
    stop_event.set()
    if runner is not None:
        try:
            await runner.cleanup()  # stop listening, finish requests, Dispatcher shutdown
        except Exception:
            logger.exception("shutdown: web server cleanup failed")
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
