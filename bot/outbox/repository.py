"""The ``outbox`` table: enqueue, claim atomically, and record each delivery outcome.

Delivery guarantee (see :mod:`bot.outbox.sender` for the sending side): a row is claimed
(``pending`` -> ``sending``) by one UPDATE … RETURNING and committed before any request
leaves, and marked ``sent`` in one statement right after Telegram answers. Rows left in
``sending`` by a crash go back to ``pending`` at the next start (:meth:`Outbox.release_claims`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from aiogram.types import (
    ForceReply,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.clock import Now, from_db, to_db, utc_now
from bot.db.engine import Database, RowLike
from bot.db.reads import fetch_all, fetch_one
from bot.db.units import unit_of_work

KEEP_FINISHED = timedelta(days=60)
"""Sent, failed and blocked notifications (files included) are kept this long: longer than
any dedupe key matters (digest keys name their week). /privacy tells staff this number."""

Kind = Literal["message", "document", "photo"]
Status = Literal["pending", "sending", "sent", "failed", "blocked"]
ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply

_MARKUP_TYPES: dict[str, type[ReplyMarkup]] = {
    cls.__name__: cls
    for cls in (InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, ForceReply)
}

_COLUMNS = (
    "id, chat_id, kind, payload, file_data, dedupe_key, status, attempts, next_attempt_at, "
    "last_error, message_id"
)


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    chat_id: int
    kind: Kind
    payload: dict[str, Any]
    file_data: bytes | None
    dedupe_key: str | None
    status: Status
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    message_id: int | None

    @property
    def reply_markup(self) -> ReplyMarkup | None:
        stored = self.payload.get("reply_markup")
        if stored is None:
            return None
        return _MARKUP_TYPES[stored["type"]].model_validate(stored["data"])


@dataclass(frozen=True, slots=True)
class Enqueued:
    id: int
    created: bool
    """False when a row with the same ``dedupe_key`` already existed (nothing new stored)."""
    status: Status


def _row(row: RowLike) -> OutboxRow:
    return OutboxRow(
        id=row[0],
        chat_id=row[1],
        kind=row[2],
        payload=json.loads(row[3]),
        file_data=None if row[4] is None else bytes(row[4]),
        dedupe_key=row[5],
        status=row[6],
        attempts=row[7],
        next_attempt_at=from_db(row[8]),
        last_error=row[9],
        message_id=row[10],
    )


def _payload(
    *,
    text: str | None = None,
    parse_mode: str | None = None,
    reply_markup: ReplyMarkup | None = None,
    filename: str | None = None,
    file_id: str | None = None,
) -> str:
    payload: dict[str, Any] = {}
    if text is not None:
        payload["text"] = text
    if parse_mode is not None:  # absent: the Bot's default parse mode applies
        payload["parse_mode"] = parse_mode
    if reply_markup is not None:
        payload["reply_markup"] = {
            "type": type(reply_markup).__name__,
            "data": reply_markup.model_dump(mode="json", exclude_none=True),
        }
    if filename is not None:
        payload["filename"] = filename
    if file_id is not None:  # a file Telegram already has: sent by id, no bytes stored
        payload["file_id"] = file_id
    return json.dumps(payload, ensure_ascii=False)


class Outbox:
    def __init__(self, db: Database, *, now: Now = utc_now) -> None:
        self._db = db
        self._now = now

    # --- enqueue (handlers, scheduled jobs) ---

    async def enqueue_message(
        self,
        chat_id: int,
        text: str,
        *,
        parse_mode: str | None = None,
        reply_markup: ReplyMarkup | None = None,
        dedupe_key: str | None = None,
        not_before: datetime | None = None,
    ) -> Enqueued:
        payload = _payload(text=text, parse_mode=parse_mode, reply_markup=reply_markup)
        return await self._insert(
            chat_id,
            "message",
            payload,
            file_data=None,
            dedupe_key=dedupe_key,
            not_before=not_before,
        )

    async def enqueue_document(
        self,
        chat_id: int,
        data: bytes,
        filename: str,
        *,
        caption: str | None = None,
        parse_mode: str | None = None,
        reply_markup: ReplyMarkup | None = None,
        dedupe_key: str | None = None,
        not_before: datetime | None = None,
    ) -> Enqueued:
        payload = _payload(
            text=caption, parse_mode=parse_mode, reply_markup=reply_markup, filename=filename
        )
        return await self._insert(
            chat_id,
            "document",
            payload,
            file_data=data,
            dedupe_key=dedupe_key,
            not_before=not_before,
        )

    async def enqueue_photo(
        self,
        chat_id: int,
        data: bytes,
        *,
        filename: str = "photo.png",
        file_id: str | None = None,
        caption: str | None = None,
        parse_mode: str | None = None,
        reply_markup: ReplyMarkup | None = None,
        dedupe_key: str | None = None,
        not_before: datetime | None = None,
    ) -> Enqueued:
        """A photo from ``data``, or (``file_id``) one Telegram already holds."""
        payload = _payload(
            text=caption,
            parse_mode=parse_mode,
            reply_markup=reply_markup,
            filename=filename,
            file_id=file_id,
        )
        return await self._insert(
            chat_id,
            "photo",
            payload,
            file_data=None if file_id else data,
            dedupe_key=dedupe_key,
            not_before=not_before,
        )

    async def _insert(
        self,
        chat_id: int,
        kind: Kind,
        payload: str,
        *,
        file_data: bytes | None,
        dedupe_key: str | None,
        not_before: datetime | None,
    ) -> Enqueued:
        # A user who blocked the bot gets the row recorded as 'blocked': kept, never sent.
        inserted = await fetch_one(
            self._db,
            """INSERT INTO outbox (chat_id, kind, payload, file_data, dedupe_key, status,
                                   next_attempt_at)
               VALUES (?, ?, ?, ?, ?,
                       CASE WHEN EXISTS (SELECT 1 FROM users WHERE id = ? AND blocked_bot = 1)
                            THEN 'blocked' ELSE 'pending' END,
                       ?)
               ON CONFLICT(dedupe_key) DO NOTHING
               RETURNING id, status""",
            (
                chat_id,
                kind,
                payload,
                file_data,
                dedupe_key,
                chat_id,
                to_db(not_before or self._now()),
            ),
        )
        await self._db.commit()
        if inserted is not None:
            return Enqueued(int(inserted[0]), True, inserted[1])
        existing = await fetch_one(
            self._db, "SELECT id, status FROM outbox WHERE dedupe_key = ?", (dedupe_key,)
        )
        assert existing is not None  # the conflict was on this key
        return Enqueued(int(existing[0]), False, existing[1])

    # --- reading ---

    async def get(self, row_id: int) -> OutboxRow | None:
        row = await fetch_one(self._db, f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (row_id,))
        return None if row is None else _row(row)

    async def counts(self) -> dict[str, int]:
        """Rows per status (for health checks and logs)."""
        return {
            str(row[0]): int(row[1])
            for row in await fetch_all(
                self._db, "SELECT status, COUNT(*) FROM outbox GROUP BY status"
            )
        }

    async def next_due_at(self) -> datetime | None:
        """When the earliest pending row becomes due; None when nothing is pending."""
        row = await fetch_one(
            self._db, "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'"
        )
        return None if row is None or row[0] is None else from_db(row[0])

    async def purge_finished(self, *, before: datetime) -> int:
        """Delete sent, failed and blocked rows created before ``before``; return how many.

        Their dedupe keys go with them, so keep more history than any key's useful life
        (digest keys name their week: a month is plenty).
        """
        cursor = await self._db.execute(
            """DELETE FROM outbox
               WHERE status IN ('sent', 'failed', 'blocked') AND created_at < ?""",
            (to_db(before),),
        )
        await self._db.commit()
        return cursor.rowcount

    # --- the sender's side ---

    @property
    def shared(self) -> bool:
        """Other processes may send from this outbox too (PostgreSQL)."""
        return self._db.dialect == "postgresql"

    def now(self) -> datetime:
        return self._now()

    async def claim_due(self, limit: int = 100) -> list[OutboxRow]:
        """Take up to ``limit`` due rows for sending, atomically, oldest first.

        Pending rows of users marked as having blocked the bot become 'blocked' instead.
        On PostgreSQL several senders claim at once: ``SKIP LOCKED`` lets each take rows no
        other one is taking, and the re-checked ``status`` keeps a row from being taken twice.
        """
        now = to_db(self._now())
        lock = " FOR UPDATE SKIP LOCKED" if self._db.dialect == "postgresql" else ""
        async with unit_of_work(self._db, "outbox:claim"):
            await self._db.execute(
                """UPDATE outbox SET status = 'blocked', last_error = 'user blocked the bot'
                   WHERE status = 'pending'
                     AND chat_id IN (SELECT id FROM users WHERE blocked_bot = 1)"""
            )
            rows = [
                _row(row)
                for row in await fetch_all(
                    self._db,
                    # Picked once (MATERIALIZED): as a plain subquery PostgreSQL may scan it
                    # again per row, skip the rows this statement already locked, and so
                    # claim far more than ``limit``.
                    f"""WITH picked AS MATERIALIZED (
                        SELECT id FROM outbox
                        WHERE status = 'pending' AND next_attempt_at <= ?
                        ORDER BY id LIMIT ?{lock})
                    UPDATE outbox SET status = 'sending', claimed_at = ?
                    WHERE status = 'pending' AND id IN (SELECT id FROM picked)
                    RETURNING {_COLUMNS}""",
                    (now, limit, now),
                )
            ]
        # The unit has committed: the claim is durable before any request leaves.
        return sorted(rows, key=lambda row: row.id)

    async def cancel(self, row_id: int, reason: str) -> bool:
        """Take back a row that has not been claimed for sending; True if it was."""
        cursor = await self._db.execute(
            """UPDATE outbox SET status = 'failed', last_error = ?
               WHERE id = ? AND status = 'pending'""",
            (reason[:1000], row_id),
        )
        await self._db.commit()
        return cursor.rowcount == 1

    async def release_claims(self, *, claimed_before: datetime | None = None) -> int:
        """Return rows a dead sender left in 'sending' to 'pending'; return how many.

        Without ``claimed_before`` every such row (SQLite: one process owns the file, so at
        its start no other sender is alive). With several processes on PostgreSQL only
        claims older than any send could take, so a living sender's rows stay its own.
        """
        sql = "UPDATE outbox SET status = 'pending', claimed_at = NULL WHERE status = 'sending'"
        parameters: tuple[str, ...] = ()
        if claimed_before is not None:
            sql += " AND claimed_at < ?"
            parameters = (to_db(claimed_before),)
        cursor = await self._db.execute(sql, parameters)
        await self._db.commit()
        return cursor.rowcount

    async def mark_sent(self, row_id: int, message_id: int | None) -> None:
        await self._db.execute(
            """UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, last_error = NULL,
                   file_data = NULL
               WHERE id = ?""",
            (to_db(self._now()), message_id, row_id),
        )
        await self._db.commit()

    async def retry_later(
        self, row_id: int, *, at: datetime, error: str, count_attempt: bool = True
    ) -> None:
        await self._db.execute(
            """UPDATE outbox SET status = 'pending', claimed_at = NULL, next_attempt_at = ?,
                   last_error = ?, attempts = attempts + ?
               WHERE id = ?""",
            (to_db(at), error[:1000], int(count_attempt), row_id),
        )
        await self._db.commit()

    async def mark_failed(self, row_id: int, error: str, *, count_attempt: bool = True) -> None:
        await self._db.execute(
            """UPDATE outbox SET status = 'failed', claimed_at = NULL, last_error = ?,
                   attempts = attempts + ?
               WHERE id = ?""",
            (error[:1000], int(count_attempt), row_id),
        )
        await self._db.commit()

    async def mark_chat_blocked(self, chat_id: int, error: str) -> int:
        """Every unsent row of ``chat_id`` becomes 'blocked'; return how many."""
        cursor = await self._db.execute(
            """UPDATE outbox SET status = 'blocked', claimed_at = NULL, last_error = ?
               WHERE chat_id = ? AND status IN ('pending', 'sending')""",
            (error[:1000], chat_id),
        )
        await self._db.commit()
        return cursor.rowcount

    async def retarget(self, row_id: int, chat_id: int) -> None:
        """A group became a supergroup: send the row to its new id."""
        await self._db.execute(
            """UPDATE outbox SET chat_id = ?, status = 'pending', claimed_at = NULL
               WHERE id = ?""",
            (chat_id, row_id),
        )
        await self._db.commit()
