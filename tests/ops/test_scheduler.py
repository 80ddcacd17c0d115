"""The persistent scheduler and the weekly digest, on a real SQLite file and a fake clock."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from bot.db.engine import Database
from bot.db.repositories import Libraries, Library, Users
from bot.i18n import Translator, create_i18n
from bot.outbox import Outbox
from bot.scheduling.digest import DIGEST_JOB, WeeklyDigest, weekly_digest_job
from bot.scheduling.scheduler import Job, JobRun, Scheduler
from tests.engines import Reopen
from tests.ops.fakes import FakeClock, utc


class Recorder:
    def __init__(self) -> None:
        self.runs: list[tuple[JobRun, Library]] = []
        self.failures_left = 0

    async def __call__(self, run: JobRun, library: Library) -> None:
        if self.failures_left:
            self.failures_left -= 1
            raise RuntimeError("digest builder broke")
        self.runs.append((run, library))


async def make_library(db: Database, owner: int, timezone: str) -> Library:
    await Users(db).upsert(owner, f"Owner {owner}", "ru")
    libraries = Libraries(db)
    library = await libraries.create(owner, f"Library {owner}")
    await libraries.update_profile(
        library.id,
        name=library.name,
        settlement="",
        region="",
        country="RU",
        timezone=timezone,
        is_state=True,
    )
    updated = await libraries.get(library.id)
    assert updated is not None
    return updated


def scheduler_for(
    db: Database, clock: FakeClock, recorder: Recorder, *, max_failures: int = 3
) -> Scheduler:
    job = weekly_digest_job(db, weekday=0, hour=9, deliver=recorder)
    return Scheduler(db, [job], now=clock.now, max_failures=max_failures)


async def test_digest_runs_at_local_monday_nine_once(db: Database, clock: FakeClock) -> None:
    library = await make_library(db, 1, "Europe/Moscow")
    recorder = Recorder()
    scheduler = scheduler_for(db, clock, recorder)

    assert await scheduler.tick() == []  # Monday 00:00 UTC = 03:00 in Moscow
    assert await scheduler.next_run_at(DIGEST_JOB, str(library.id)) == utc(2026, 1, 5, 6)
    clock.set(utc(2026, 1, 5, 5, 59))
    assert await scheduler.tick() == []
    clock.set(utc(2026, 1, 5, 6, 1))
    [run] = await scheduler.tick()
    assert run.due_at == utc(2026, 1, 5, 6)
    assert run.key == f"digest:{library.id}:2026-01-05T06:00Z"
    assert await scheduler.tick() == []
    assert await scheduler.next_run_at(DIGEST_JOB, str(library.id)) == utc(2026, 1, 12, 6)
    assert [lib.id for _, lib in recorder.runs] == [library.id]


async def test_each_library_runs_in_its_own_time_zone(db: Database, clock: FakeClock) -> None:
    moscow = await make_library(db, 1, "Europe/Moscow")
    kamchatka = await make_library(db, 2, "Asia/Kamchatka")
    recorder = Recorder()
    scheduler = scheduler_for(db, clock, recorder)
    clock.set(utc(2026, 1, 3))  # Saturday
    await scheduler.tick()

    clock.set(utc(2026, 1, 4, 21))  # Monday 09:00 in Kamchatka, Sunday evening in Moscow
    assert [run.scope for run in await scheduler.tick()] == [str(kamchatka.id)]
    clock.set(utc(2026, 1, 5, 6))
    assert [run.scope for run in await scheduler.tick()] == [str(moscow.id)]


async def test_restart_after_missed_weeks_runs_once_from_the_stored_schedule(
    db: Database, reopen: Reopen, clock: FakeClock
) -> None:
    library = await make_library(db, 1, "Europe/Moscow")
    recorder = Recorder()
    await scheduler_for(db, clock, recorder).tick()
    clock.set(utc(2026, 1, 5, 6))
    await scheduler_for(db, clock, recorder).tick()
    assert len(recorder.runs) == 1

    # The process is down for three weeks, then starts on a fresh connection.
    clock.set(utc(2026, 1, 30, 12))
    restarted_db = await reopen()
    try:
        restarted = scheduler_for(restarted_db, clock, recorder)
        assert await restarted.next_run_at(DIGEST_JOB, str(library.id)) == utc(2026, 1, 12, 6)
        [run] = await restarted.tick()
        assert run.due_at == utc(2026, 1, 12, 6)  # the oldest missed slot, run once
        assert await restarted.tick() == []
        assert await restarted.next_run_at(DIGEST_JOB, str(library.id)) == utc(2026, 2, 2, 6)
    finally:
        await restarted_db.close()
    assert len(recorder.runs) == 2


async def test_failed_run_is_retried_for_the_same_slot(db: Database, clock: FakeClock) -> None:
    await make_library(db, 1, "Europe/Moscow")
    recorder = Recorder()
    recorder.failures_left = 1
    scheduler = scheduler_for(db, clock, recorder)
    await scheduler.tick()
    clock.set(utc(2026, 1, 5, 6))

    assert await scheduler.tick() == []  # failed
    assert await scheduler.tick() == []  # waiting for the retry time
    clock.advance(seconds=60)
    [run] = await scheduler.tick()
    assert run.due_at == utc(2026, 1, 5, 6)


async def test_slot_is_skipped_after_repeated_failures(db: Database, clock: FakeClock) -> None:
    library = await make_library(db, 1, "Europe/Moscow")
    recorder = Recorder()
    recorder.failures_left = 10
    scheduler = scheduler_for(db, clock, recorder, max_failures=2)
    await scheduler.tick()
    clock.set(utc(2026, 1, 5, 6))
    await scheduler.tick()
    clock.advance(minutes=5)
    await scheduler.tick()

    assert await scheduler.next_run_at(DIGEST_JOB, str(library.id)) == utc(2026, 1, 12, 6)
    assert recorder.runs == []


async def test_new_library_gets_no_back_dated_run_and_deleted_one_is_forgotten(
    db: Database, clock: FakeClock
) -> None:
    recorder = Recorder()
    scheduler = scheduler_for(db, clock, recorder)
    clock.set(utc(2026, 1, 5, 12))  # after this Monday's slot
    library = await make_library(db, 1, "Europe/Moscow")

    assert await scheduler.tick() == []
    assert await scheduler.next_run_at(DIGEST_JOB, str(library.id)) == utc(2026, 1, 12, 6)

    await db.execute("DELETE FROM libraries WHERE id = ?", (library.id,))
    await db.commit()
    await scheduler.tick()
    assert await scheduler.next_run_at(DIGEST_JOB, str(library.id)) is None


async def test_reschedule_recounts_after_a_time_zone_change(
    db: Database, clock: FakeClock
) -> None:
    library = await make_library(db, 1, "Europe/Moscow")
    scheduler = scheduler_for(db, clock, Recorder())
    await scheduler.tick()
    await db.execute("UPDATE libraries SET timezone = 'Asia/Vladivostok' WHERE id = ?", (1,))
    await db.commit()

    await scheduler.reschedule(DIGEST_JOB, str(library.id))
    await scheduler.tick()

    assert await scheduler.next_run_at(DIGEST_JOB, str(library.id)) == utc(2026, 1, 11, 23)


async def test_job_without_scopes_and_unique_names(db: Database, clock: FakeClock) -> None:
    calls: list[JobRun] = []

    async def every_hour(_scope: str, after: datetime) -> datetime:
        return after.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)

    async def record(run: JobRun) -> None:
        calls.append(run)

    job = Job("cleanup", next_run=every_hour, run=record)
    scheduler = Scheduler(db, [job], now=clock.now)
    await scheduler.tick()
    clock.advance(hours=1)
    await scheduler.tick()
    assert [run.scope for run in calls] == [""]
    with pytest.raises(ValueError, match="unique"):
        Scheduler(db, [job, job])


async def test_weekly_digest_enqueues_once_per_member_in_their_language(
    db: Database, clock: FakeClock
) -> None:
    library = await make_library(db, 1, "Europe/Moscow")
    await Libraries(db).update_profile(
        library.id,
        name="Библиотека <им. Чехова>",
        settlement="",
        region="",
        country="RU",
        timezone="Europe/Moscow",
        is_state=True,
    )
    await Users(db).upsert(2, "Editor", "en")
    await Libraries(db).add_member(library.id, 2)
    refreshed = await Libraries(db).get(library.id)
    assert refreshed is not None
    i18n = create_i18n()
    outbox = Outbox(db, now=clock.now)
    digest = WeeklyDigest(db, outbox, lambda locale: Translator(i18n, locale))
    run = JobRun(DIGEST_JOB, str(library.id), utc(2026, 1, 5, 6), clock.now())

    assert await digest(run, refreshed) == 2
    assert await digest(run, refreshed) == 0  # a repeated run stores nothing new

    async with db.execute("SELECT chat_id, payload FROM outbox ORDER BY chat_id") as cursor:
        rows = [(int(r[0]), str(r[1])) for r in await cursor.fetchall()]
    assert [chat for chat, _ in rows] == [1, 2]
    assert "Еженедельная сводка" in rows[0][1]
    assert "&lt;им. Чехова&gt;" in rows[0][1]
    assert "Weekly digest" in rows[1][1]
    assert "No strategies yet." in rows[1][1]


async def test_run_forever_ticks_until_stopped(db: Database, clock: FakeClock) -> None:
    stop = asyncio.Event()
    runs: list[JobRun] = []

    async def due_now(_scope: str, after: datetime) -> datetime:
        return after if not runs else after + timedelta(days=1)

    async def run(job_run: JobRun) -> None:
        runs.append(job_run)
        stop.set()

    scheduler = Scheduler(db, [Job("once", next_run=due_now, run=run)], now=clock.now)
    await asyncio.wait_for(scheduler.run_forever(stop), timeout=30)
    assert len(runs) == 1
