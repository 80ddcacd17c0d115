"""Delivering the outbox through an aiogram :class:`~aiogram.Bot`.

Exactly once, with one documented window of at-least-once:

1. ``claim_due`` moves due rows ``pending`` -> ``sending`` in one UPDATE … RETURNING and
   commits before the first request, so two senders never take the same row.
2. Each row is sent, then marked ``sent`` by one UPDATE committed immediately.
3. At start, :meth:`OutboxSender.recover` returns rows left in ``sending`` to ``pending``.

A crash after the claim but before a request leaves only delays the row (it is sent once
after the restart). The only duplicate is a crash, or a lost connection, between Telegram
accepting a request and step 2 committing: Telegram has no idempotency key, so the row is
sent again after the restart. That window is one HTTP response plus one SQLite commit.

Errors: flood control (``TelegramRetryAfter``) pauses all sending for ``retry_after`` and
retries the row without counting an attempt; network errors and 5xx retry with exponential
backoff up to ``max_attempts`` and then fail; ``TelegramForbiddenError`` (blocked, kicked)
marks the user and every unsent row of the chat ``blocked``; other API errors (bad request,
chat not found) fail at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from aiogram import Bot
from aiogram.client.default import Default
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile

from bot.clock import Now, Sleep, real_sleep, utc_now
from bot.db.engine import Database
from bot.db.repositories import Users
from bot.outbox.limiter import RateLimiter
from bot.outbox.repository import Outbox, OutboxRow

logger = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=10)
"""A claim this old on a shared outbox belongs to a sender that died (a send takes seconds)."""

# Errors worth trying again later: the request may succeed once Telegram or the network
# recovers. Unauthorized/Conflict mean the token is revoked or used elsewhere: an operator
# fixes that, and the rows should still be there.
_TRANSIENT = (
    TelegramNetworkError,
    TelegramServerError,
    TelegramUnauthorizedError,
    TelegramConflictError,
)


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        db: Database,
        *,
        limiter: RateLimiter | None = None,
        now: Now = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = real_sleep,
        max_attempts: int = 5,
        backoff_base: float = 2.0,
        backoff_cap: float = 600.0,
        batch_size: int = 50,
        poll_interval: float = 1.0,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._bot = bot
        self._outbox = Outbox(db, now=now)
        self._users = Users(db)
        self._limiter = limiter or RateLimiter()
        self._now = now
        self._monotonic = monotonic
        self._sleep = sleep
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._resume_at = float("-inf")  # monotonic time a flood-control pause ends
        self._wake = asyncio.Event()

    @property
    def outbox(self) -> Outbox:
        return self._outbox

    def backoff(self, attempts: int) -> float:
        """Seconds before try number ``attempts + 1``: base, 2·base, 4·base, … up to the cap."""
        return float(min(self._backoff_cap, self._backoff_base * 2 ** (attempts - 1)))

    def wake(self) -> None:
        """Skip the rest of the idle wait (call after enqueueing something urgent)."""
        self._wake.set()

    async def recover(self) -> int:
        """Requeue rows a previous process left in 'sending'. Call once, before sending.

        With a shared outbox (PostgreSQL) only claims older than :data:`STALE_CLAIM`: the
        others belong to senders still at work in other processes.
        """
        if self._outbox.shared:
            released = await self._outbox.release_claims(
                claimed_before=self._outbox.now() - STALE_CLAIM
            )
        else:
            released = await self._outbox.release_claims()
        if released:
            logger.warning("outbox: requeued rows left in sending", extra={"rows": released})
        return released

    async def send_due(self, stop_event: asyncio.Event | None = None) -> int:
        """Claim the rows due now and send them within the limits; return how many were sent.

        If ``stop_event`` is set in between, unsent claimed rows go back to 'pending'.
        """
        if self._outbox.shared:
            # A process that died mid-send leaves its claims; the living take them over.
            await self.recover()
        queue = await self._outbox.claim_due(self._batch_size)
        sent = 0
        blocked_chats: set[int] = set()
        try:
            while queue:
                if stop_event is not None and stop_event.is_set():
                    break
                row = await self._next_ready(queue)
                if row is None:
                    continue
                queue.remove(row)
                if row.chat_id in blocked_chats:
                    continue  # already marked 'blocked' with the rest of that chat
                self._limiter.record(row.chat_id, self._monotonic())
                if await self._send_one(row):
                    sent += 1
                elif (stored := await self._outbox.get(row.id)) and stored.status == "blocked":
                    blocked_chats.add(row.chat_id)
        except asyncio.CancelledError:
            await self._release(queue)
            raise
        await self._release(queue)
        return sent

    async def drain(self) -> int:
        """Send until nothing is pending, sleeping (injected ``sleep``) until retries fall due.

        Ends when every row is sent, failed or blocked. For tests and one-off scripts.
        """
        total = 0
        while True:
            total += await self.send_due()
            due = await self._outbox.next_due_at()
            if due is None:
                return total
            wait = (due - self._now()).total_seconds()
            if wait > 0:
                await self._sleep(wait)

    async def run_forever(self, stop_event: asyncio.Event) -> None:
        """Recover, then send what falls due until ``stop_event`` is set."""
        await self.recover()
        while not stop_event.is_set():
            try:
                sent = await self.send_due(stop_event)
            except Exception:
                # A locked or broken database must not end delivery for good.
                logger.exception("outbox: sending pass failed")
                sent = 0
            if sent == 0:
                await self._idle(stop_event)

    async def _idle(self, stop_event: asyncio.Event) -> None:
        waiters = {
            asyncio.ensure_future(stop_event.wait()),
            asyncio.ensure_future(self._wake.wait()),
        }
        try:
            await asyncio.wait(
                waiters, timeout=self._poll_interval, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for waiter in waiters:
                waiter.cancel()
            self._wake.clear()

    async def _next_ready(self, queue: list[OutboxRow]) -> OutboxRow | None:
        """The oldest row whose chat may be sent to now; else sleep until one may."""
        now = self._monotonic()
        if self._resume_at > now:
            await self._sleep(self._resume_at - now)
            return None
        waits = []
        for row in queue:
            wait = self._limiter.delay(row.chat_id, now)
            if wait <= 0:
                return row
            waits.append(wait)
        await self._sleep(min(waits))
        return None

    async def _release(self, rows: list[OutboxRow]) -> None:
        for row in rows:
            await self._outbox.retry_later(
                row.id, at=self._now(), error=row.last_error or "", count_attempt=False
            )

    async def _send_one(self, row: OutboxRow) -> bool:
        """Send one claimed row and record the outcome; True if Telegram accepted it."""
        log = {"outbox_id": row.id, "chat_id": row.chat_id, "kind": row.kind}
        try:
            message_id = await self._deliver(row)
        except TelegramRetryAfter as error:
            self._resume_at = self._monotonic() + error.retry_after
            logger.warning(
                "outbox: flood control", extra={**log, "retry_after": error.retry_after}
            )
            await self._outbox.retry_later(
                row.id,
                at=self._now() + timedelta(seconds=error.retry_after),
                error=str(error),
                count_attempt=False,
            )
            return False
        except TelegramForbiddenError as error:
            logger.info("outbox: chat blocked the bot", extra=log)
            await self._users.mark_blocked(row.chat_id)  # no such user for a group: no-op
            await self._outbox.mark_chat_blocked(row.chat_id, str(error))
            return False
        except TelegramMigrateToChat as error:
            logger.info(
                "outbox: group migrated",
                extra={**log, "new_chat_id": error.migrate_to_chat_id},
            )
            await self._outbox.retarget(row.id, error.migrate_to_chat_id)
            return False
        except TelegramEntityTooLarge as error:  # a NetworkError subclass, but permanent
            logger.error("outbox: file too large", extra=log)
            await self._outbox.mark_failed(row.id, str(error))
            return False
        except _TRANSIENT as error:
            await self._retry_or_fail(row, error)
            return False
        except TelegramAPIError as error:  # bad request, chat not found: retrying won't help
            logger.error("outbox: rejected", extra={**log, "error": str(error)})
            await self._outbox.mark_failed(row.id, str(error))
            return False
        except Exception as error:  # e.g. an undecodable response: treat as transient
            logger.exception("outbox: unexpected error", extra=log)
            await self._retry_or_fail(row, error)
            return False
        # From Telegram accepting the request to this commit is the at-least-once window.
        await self._outbox.mark_sent(row.id, message_id)
        logger.debug("outbox: sent", extra=log)
        return True

    async def _retry_or_fail(self, row: OutboxRow, error: Exception) -> None:
        attempts = row.attempts + 1
        text = f"{type(error).__name__}: {error}"
        if attempts >= self._max_attempts:
            logger.error("outbox: giving up", extra={"outbox_id": row.id, "attempts": attempts})
            await self._outbox.mark_failed(row.id, text)
            return
        delay = self.backoff(attempts)
        logger.warning(
            "outbox: will retry",
            extra={"outbox_id": row.id, "attempts": attempts, "delay": delay},
        )
        await self._outbox.retry_later(
            row.id, at=self._now() + timedelta(seconds=delay), error=text
        )

    async def _deliver(self, row: OutboxRow) -> int:
        payload = row.payload
        parse_mode: str | Default = payload.get("parse_mode") or Default("parse_mode")
        if row.kind == "message":
            message = await self._bot.send_message(
                chat_id=row.chat_id,
                text=payload["text"],
                parse_mode=parse_mode,
                reply_markup=row.reply_markup,
            )
        else:
            upload = BufferedInputFile(row.file_data or b"", filename=payload["filename"])
            if row.kind == "document":
                message = await self._bot.send_document(
                    chat_id=row.chat_id,
                    document=upload,
                    caption=payload.get("text"),
                    parse_mode=parse_mode,
                    reply_markup=row.reply_markup,
                )
            else:
                message = await self._bot.send_photo(
                    chat_id=row.chat_id,
                    photo=payload.get("file_id") or upload,
                    caption=payload.get("text"),
                    parse_mode=parse_mode,
                    reply_markup=row.reply_markup,
                )
        return message.message_id
