"""The outbox against a real SQLite file and a recording Bot API session."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.methods import SendDocument, SendMessage, SendPhoto
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.connection import open_database
from bot.db.engine import Database
from bot.db.repositories import Users
from bot.outbox import Outbox, OutboxSender
from bot.outbox.sender import STALE_CLAIM
from bot.scheduling.jobs import OUTBOX_KEEP, OUTBOX_PURGE_INTERVAL, outbox_purge_job
from bot.scheduling.scheduler import Scheduler
from tests.engines import Reopen
from tests.ops.fakes import (
    FakeClock,
    FakeSession,
    SimulatedCrash,
    bad_request,
    forbidden,
    make_bot,
    network_error,
    retry_after,
    server_error,
    utc,
)


def sender_for(bot: Bot, db: Database, clock: FakeClock, *, max_attempts: int = 5) -> OutboxSender:
    return OutboxSender(
        bot,
        db,
        now=clock.now,
        monotonic=clock.monotonic,
        sleep=clock.sleep,
        max_attempts=max_attempts,
    )


async def claims_go_stale(sender: OutboxSender, clock: FakeClock) -> None:
    """On a shared outbox (PostgreSQL) another process's claims are its own until they are
    older than STALE_CLAIM: a restarted sender leaves them, then takes them over."""
    if sender.outbox.shared:
        assert await sender.recover() == 0
        clock.advance(seconds=STALE_CLAIM.total_seconds() + 1)


async def statuses(db: Database) -> dict[int, str]:
    async with db.execute("SELECT id, status FROM outbox ORDER BY id") as cursor:
        return {int(row[0]): str(row[1]) for row in await cursor.fetchall()}


async def test_enqueued_messages_are_sent_and_marked(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    first = await outbox.enqueue_message(1, "<b>hello</b>", parse_mode="HTML")
    second = await outbox.enqueue_message(2, "world")

    assert await sender_for(bot, db, clock).drain() == 2

    assert session.texts() == ["<b>hello</b>", "world"]
    sent = await outbox.get(first.id)
    assert sent is not None
    assert sent.status == "sent"
    assert sent.message_id is not None
    assert isinstance(session.delivered[0], SendMessage)
    assert session.delivered[0].parse_mode == "HTML"
    assert await statuses(db) == {first.id: "sent", second.id: "sent"}


async def test_dedupe_key_stores_a_notification_once(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    first = await outbox.enqueue_message(1, "digest", dedupe_key="digest:7:2026-01-05")
    again = await outbox.enqueue_message(1, "digest", dedupe_key="digest:7:2026-01-05")
    assert first.created
    assert not again.created
    assert again.id == first.id

    await sender_for(bot, db, clock).drain()
    after_send = await outbox.enqueue_message(1, "digest", dedupe_key="digest:7:2026-01-05")

    assert not after_send.created
    assert after_send.status == "sent"
    assert session.texts() == ["digest"]


async def test_documents_and_photos_keep_bytes_caption_and_keyboard(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Open", callback_data="open:1")]]
    )
    outbox = Outbox(db, now=clock.now)
    await outbox.enqueue_document(
        5, b"%PDF-1.7 fake", "plan.docx", caption="Your plan", reply_markup=keyboard
    )
    await outbox.enqueue_photo(5, b"\x89PNG fake", caption="Chart")

    await sender_for(bot, db, clock).drain()

    document, photo = session.delivered
    assert isinstance(document, SendDocument)
    assert document.caption == "Your plan"
    assert document.reply_markup == keyboard
    assert getattr(document.document, "data", None) == b"%PDF-1.7 fake"
    assert getattr(document.document, "filename", None) == "plan.docx"
    assert isinstance(photo, SendPhoto)
    assert getattr(photo.photo, "data", None) == b"\x89PNG fake"


async def test_crash_after_claim_sends_every_pending_message_exactly_once(
    db: Database, reopen: Reopen, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    for chat in range(1, 6):
        await outbox.enqueue_message(chat, f"note {chat}")
    dying_session = FakeSession()
    dying_session.crash_before_call = 3  # dies with rows 3..5 claimed, unsent
    with pytest.raises(SimulatedCrash):
        await sender_for(make_bot(dying_session), db, clock).drain()
    assert list((await statuses(db)).values()) == ["sent", "sent", "sending", "sending", "sending"]

    # A new process: its own connection to the same database, its own sender.
    restarted_db = await reopen()
    try:
        session = FakeSession()
        sender = sender_for(make_bot(session), restarted_db, clock)
        await claims_go_stale(sender, clock)
        assert await sender.recover() == 3
        assert await sender.drain() == 3
        assert set((await statuses(restarted_db)).values()) == {"sent"}
    finally:
        await restarted_db.close()

    all_texts = dying_session.texts() + session.texts()
    assert sorted(all_texts) == [f"note {chat}" for chat in range(1, 6)]


async def test_crash_between_accept_and_mark_is_the_one_duplicate_window(
    db: Database, reopen: Reopen, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    for chat in range(1, 4):
        await outbox.enqueue_message(chat, f"note {chat}")
    dying_session = FakeSession()
    dying_session.crash_after_call = 2  # Telegram accepted "note 2", then the process died
    with pytest.raises(SimulatedCrash):
        await sender_for(make_bot(dying_session), db, clock).drain()

    restarted_db = await reopen()
    try:
        session = FakeSession()
        sender = sender_for(make_bot(session), restarted_db, clock)
        await claims_go_stale(sender, clock)
        await sender.recover()
        await sender.drain()
    finally:
        await restarted_db.close()

    all_texts = sorted(dying_session.texts() + session.texts())
    assert all_texts == ["note 1", "note 2", "note 2", "note 3"]


async def test_a_second_sender_cannot_claim_rows_already_claimed(
    db: Database, db_path: Path, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    for chat in range(1, 4):
        await outbox.enqueue_message(chat, "x")
    other_db = await open_database(db_path)
    try:
        claimed = await outbox.claim_due()
        assert [row.chat_id for row in claimed] == [1, 2, 3]
        assert await Outbox(other_db, now=clock.now).claim_due() == []
    finally:
        await other_db.close()


async def test_retry_after_is_waited_out_then_the_message_is_sent(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    enqueued = await outbox.enqueue_message(1, "hello")
    session.fail(retry_after(7))

    await sender_for(bot, db, clock).drain()

    assert 7 in clock.sleeps
    assert len(session.attempts) == 2
    assert session.attempt_times[1] - session.attempt_times[0] >= 7
    row = await outbox.get(enqueued.id)
    assert row is not None
    assert row.status == "sent"
    assert row.attempts == 0  # flood waits are not failures


async def test_flood_control_pauses_other_chats_too(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    await outbox.enqueue_message(1, "first")
    await outbox.enqueue_message(2, "second")
    session.fail(retry_after(30))

    await sender_for(bot, db, clock).drain()

    assert session.attempt_times[1] >= 30  # chat 2 waited for the pause as well
    assert sorted(session.texts()) == ["first", "second"]


async def test_user_who_blocked_the_bot_is_marked_and_not_sent_to_again(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    users = Users(db)
    await users.upsert(1, "Anna", "ru")
    await users.upsert(2, "Boris", "ru")
    outbox = Outbox(db, now=clock.now)
    first = await outbox.enqueue_message(1, "to Anna 1")
    await outbox.enqueue_message(2, "to Boris")
    queued_behind = await outbox.enqueue_message(1, "to Anna 2")
    session.fail(forbidden(), chat_id=1)
    sender = sender_for(bot, db, clock)

    await sender.drain()

    anna = await users.get(1)
    assert anna is not None
    assert anna.blocked_bot
    assert session.texts() == ["to Boris"]
    assert [getattr(m, "chat_id", None) for m in session.attempts] == [1, 2]
    for row_id in (first.id, queued_behind.id):
        row = await outbox.get(row_id)
        assert row is not None
        assert row.status == "blocked"

    later = await outbox.enqueue_message(1, "to Anna 3")
    assert later.created
    assert later.status == "blocked"  # recorded, never sent
    await sender.drain()
    assert len(session.attempts) == 2

    await users.upsert(1, "Anna", "ru")  # she wrote to the bot again: unblocked
    await outbox.enqueue_message(1, "welcome back")
    await sender.drain()
    assert session.texts() == ["to Boris", "welcome back"]


async def test_user_marked_blocked_after_enqueue_is_skipped(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    users = Users(db)
    await users.upsert(3, "Vera", "ru")
    outbox = Outbox(db, now=clock.now)
    row = await outbox.enqueue_message(3, "hi")
    await users.mark_blocked(3)

    await sender_for(bot, db, clock).drain()

    assert session.attempts == []
    stored = await outbox.get(row.id)
    assert stored is not None
    assert stored.status == "blocked"


async def test_network_errors_are_retried_with_exponential_backoff(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    enqueued = await outbox.enqueue_message(1, "hello")
    session.fail(network_error(), network_error())

    await sender_for(bot, db, clock).drain()

    assert session.attempt_times == [0.0, 2.0, 6.0]  # waits of 2 s, then 4 s
    row = await outbox.get(enqueued.id)
    assert row is not None
    assert row.status == "sent"
    assert row.attempts == 2


async def test_server_error_is_retried(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    await outbox.enqueue_message(1, "hello")
    session.fail(server_error())

    await sender_for(bot, db, clock).drain()

    assert session.texts() == ["hello"]
    assert len(session.attempts) == 2


async def test_attempts_exhausted_marks_the_row_failed(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    enqueued = await outbox.enqueue_message(1, "hello")
    await outbox.enqueue_message(2, "other")
    session.fail(server_error(), chat_id=1)
    session.fail(network_error(), server_error(), chat_id=1)

    sent = await sender_for(bot, db, clock, max_attempts=3).drain()

    assert sent == 1
    row = await outbox.get(enqueued.id)
    assert row is not None
    assert row.status == "failed"
    assert row.attempts == 3
    assert row.last_error is not None
    assert "TelegramServerError" in row.last_error
    assert session.texts() == ["other"]


async def test_bad_request_fails_at_once(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    enqueued = await outbox.enqueue_message(1, "x" * 5000)
    session.fail(bad_request())

    await sender_for(bot, db, clock).drain()

    assert len(session.attempts) == 1
    row = await outbox.get(enqueued.id)
    assert row is not None
    assert row.status == "failed"


async def test_sender_keeps_the_per_chat_rate_without_holding_up_other_chats(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    for text in ("a1", "a2", "a3"):
        await outbox.enqueue_message(1, text)
    await outbox.enqueue_message(2, "b1")

    await sender_for(bot, db, clock).drain()

    by_chat: dict[int, list[float]] = {}
    for method, at in zip(session.attempts, session.attempt_times, strict=True):
        by_chat.setdefault(int(getattr(method, "chat_id", 0)), []).append(at)
    assert by_chat[1] == [0.0, 1.0, 2.0]
    assert by_chat[2] == [0.0]
    assert session.texts(1) == ["a1", "a2", "a3"]  # order within a chat is kept


async def test_not_before_delays_delivery(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    await outbox.enqueue_message(1, "later", not_before=clock.now().replace(hour=9))
    sender = sender_for(bot, db, clock)

    assert await sender.send_due() == 0
    await sender.drain()

    assert session.attempt_times == [9 * 3600.0]


async def test_run_forever_recovers_sends_and_stops_on_the_event(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    for chat in (1, 2, 3):
        await outbox.enqueue_message(chat, f"m{chat}")
    await outbox.claim_due(limit=1)  # left in 'sending' by an earlier process
    clock.advance(seconds=STALE_CLAIM.total_seconds() + 1)  # long dead (matters when shared)
    stop = asyncio.Event()
    session.on_delivered = lambda _method: stop.set() if len(session.delivered) == 3 else None

    await asyncio.wait_for(sender_for(bot, db, clock).run_forever(stop), timeout=30)

    assert sorted(session.texts()) == ["m1", "m2", "m3"]
    assert set((await statuses(db)).values()) == {"sent"}


async def test_stopping_mid_batch_puts_unsent_rows_back(
    db: Database, bot: Bot, session: FakeSession, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    for chat in (1, 2, 3):
        await outbox.enqueue_message(chat, f"m{chat}")
    stop = asyncio.Event()
    session.on_delivered = lambda _method: stop.set()

    assert await sender_for(bot, db, clock).send_due(stop) == 1

    assert list((await statuses(db)).values()) == ["sent", "pending", "pending"]


async def test_purge_keeps_unsent_rows_and_recent_history(
    db: Database, bot: Bot, clock: FakeClock
) -> None:
    outbox = Outbox(db, now=clock.now)
    sent = await outbox.enqueue_message(1, "old news", dedupe_key="k1")
    await sender_for(bot, db, clock).drain()
    waiting = await outbox.enqueue_message(2, "still to send", not_before=utc(2099, 1, 1))

    assert await outbox.purge_finished(before=utc(2000, 1, 1)) == 0
    assert await outbox.purge_finished(before=utc(2099, 1, 1)) == 1

    assert await outbox.get(sent.id) is None
    assert await outbox.get(waiting.id) is not None


async def test_the_daily_purge_job_drops_old_finished_rows_only(db: Database) -> None:
    outbox = Outbox(db)
    old = await outbox.enqueue_message(1, "old and sent")
    fresh = await outbox.enqueue_message(1, "sent today")
    waiting = await outbox.enqueue_message(1, "still pending")
    for row in (old, fresh):
        await outbox.mark_sent(row.id, message_id=1)
    long_ago = datetime.now(UTC) - OUTBOX_KEEP - timedelta(days=1)
    await db.execute(
        "UPDATE outbox SET created_at = ? WHERE id IN (?, ?)",
        (long_ago.strftime("%Y-%m-%dT%H:%M:%S.000Z"), old.id, waiting.id),
    )
    await db.commit()

    clock = [datetime.now(UTC)]
    scheduler = Scheduler(
        db, [outbox_purge_job(outbox, now=lambda: clock[0])], now=lambda: clock[0]
    )
    await scheduler.tick()  # plans the first run
    clock[0] += OUTBOX_PURGE_INTERVAL
    await scheduler.tick()

    assert await outbox.get(old.id) is None
    assert await outbox.get(fresh.id) is not None
    assert await outbox.get(waiting.id) is not None  # never sent: kept whatever its age
