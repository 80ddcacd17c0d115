"""PostgreSQL as several bot processes use it: one database, several pools (one per process).

The rest of the suite runs on PostgreSQL too (the ``db`` fixture has both engines); these
tests are about what only a shared server has: units of different users side by side,
several senders and schedulers on one outbox and one schedule, migrations started at once.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from datetime import datetime

import psycopg
import pytest
from aiogram import Dispatcher, Router
from aiogram.fsm.context import FSMContext
from aiogram.methods import SendMessage
from aiogram.types import Message
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.config import Settings
from bot.db.connection import (
    DatabaseTooNew,
    DatabaseUnavailable,
    latest_version,
    open_postgres,
)
from bot.db.postgres import PgDatabase, to_postgres
from bot.db.reads import fetch_all, fetch_one
from bot.db.repositories import Repositories, Users
from bot.db.units import unit_of_work
from bot.fsm_backends import create_fsm_backend
from bot.middlewares import UnitOfWorkMiddleware
from bot.outbox import Outbox, OutboxSender
from bot.scheduling.scheduler import Job, JobRun, Scheduler
from tests import factories
from tests.mocked_bot import MockedBot
from tests.ops.fakes import FakeClock, FakeSession, make_bot, utc
from tests.postgres_server import create_database, drop_database

PROCESSES = 3


@pytest.fixture
async def processes(postgres_url: str) -> AsyncIterator[list[PgDatabase]]:
    """One database, and one pool per "process" on it."""
    url = create_database(postgres_url)
    pools = [await open_postgres(url, max_size=4) for _ in range(PROCESSES)]
    try:
        yield pools
    finally:
        for pool in pools:
            await pool.close()
        drop_database(postgres_url, url)


# --- SQL in SQLite's spelling, sent to PostgreSQL -----------------------------------------


def test_placeholders_percent_signs_and_now_are_rewritten() -> None:
    sql = (
        "SELECT '50%?' AS a, ? AS b WHERE x LIKE '%.%' "
        "AND y = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    )
    assert to_postgres(sql) == (
        "SELECT '50%%?' AS a, %s AS b WHERE x LIKE '%%.%%' AND y = bot_now()"
    )


_plain = st.text(alphabet=st.sampled_from(list("abc ,()=<>_1")), min_size=1, max_size=5)
_literal = st.text(alphabet=st.sampled_from(list("ab?%'")), max_size=5).map(
    lambda text: "'" + text.replace("'", "''") + "'"
)


@given(st.lists(st.one_of(_plain, _literal, st.just("?"), st.just("%")), max_size=12))
def test_only_placeholders_outside_quotes_become_parameters(parts: list[str]) -> None:
    sql = " ".join(parts)
    rewritten = to_postgres(sql)
    expected_parameters = sum(part == "?" for part in parts)
    # Undo the doubling: every remaining single % would be a psycopg placeholder.
    assert len(re.findall(r"%s", rewritten.replace("%%", ""))) == expected_parameters
    assert rewritten.replace("%%", "%").replace("%s", "?") == sql


# --- units of work on a server --------------------------------------------------------------


async def test_units_of_two_users_run_side_by_side_and_see_only_committed_work(
    processes: list[PgDatabase],
) -> None:
    db = processes[0]
    inside_a, a_may_finish = asyncio.Event(), asyncio.Event()
    seen_by_b: list[object] = []

    async def user_a() -> None:
        async with unit_of_work(db, "a"):
            await Users(db).upsert(1, "Anna", "ru")
            inside_a.set()
            await a_may_finish.wait()

    async def user_b() -> None:
        await inside_a.wait()
        # SQLite would make this unit wait for A's turn; PostgreSQL runs it now, and it
        # does not see A's write, which is not committed yet.
        async with unit_of_work(db, "b"):
            await Users(db).upsert(2, "Boris", "ru")
            seen_by_b.append(await Users(db).get(1))
        a_may_finish.set()

    await asyncio.wait_for(asyncio.gather(user_a(), user_b()), timeout=30)
    assert seen_by_b == [None]
    assert {row[0] for row in await fetch_all(db, "SELECT id FROM users")} == {1, 2}


async def test_a_failed_unit_leaves_nothing_and_the_connection_goes_back(
    processes: list[PgDatabase],
) -> None:
    db = processes[0]

    async def failing_update() -> None:
        async with unit_of_work(db, "failing"):
            await Users(db).upsert(7, "Vera", "ru")
            raise RuntimeError("handler broke")

    for _ in range(db.pool.max_size + 2):  # more failures than connections in the pool
        with pytest.raises(RuntimeError, match="handler broke"):
            await failing_update()
    assert await Users(db).get(7) is None
    async with unit_of_work(db, "after"):
        await Users(db).upsert(7, "Vera", "ru")
    assert await Users(db).get(7) is not None


async def test_a_broken_statement_rolls_back_the_unit_whole(processes: list[PgDatabase]) -> None:
    db = processes[0]

    async def broken_update() -> None:
        async with unit_of_work(db, "broken"):
            await Users(db).upsert(8, "Lev", "ru")
            await db.execute("SELECT * FROM no_such_table")

    with pytest.raises(psycopg.errors.UndefinedTable):
        await broken_update()
    assert await Users(db).get(8) is None


# --- migrations ----------------------------------------------------------------------------


async def test_processes_starting_at_once_on_an_empty_database_migrate_it_once(
    postgres_url: str,
) -> None:
    url = create_database(postgres_url, template=None)
    try:
        pools = await asyncio.gather(*(open_postgres(url, max_size=2) for _ in range(4)))
        row = await fetch_one(pools[0], "SELECT version FROM schema_version")
        assert row is not None
        assert row[0] == latest_version()
        assert len(await fetch_all(pools[0], "SELECT version FROM schema_version")) == 1
        for pool in pools:
            await pool.close()
    finally:
        drop_database(postgres_url, url)


async def test_a_database_newer_than_the_code_is_refused(processes: list[PgDatabase]) -> None:
    db = processes[0]
    await db.execute("UPDATE schema_version SET version = ?", (latest_version() + 1,))
    with pytest.raises(DatabaseTooNew, match="newer bot"):
        await open_postgres(db.url)


async def test_an_unreachable_server_is_one_clear_error_without_the_password() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the probe closes
    url = f"postgresql://bot:s3cret@127.0.0.1:{port}/bot"
    with pytest.raises(DatabaseUnavailable) as raised:
        await open_postgres(url, wait_seconds=2)
    assert str(raised.value) == f"cannot reach PostgreSQL at 127.0.0.1:{port}/bot: PoolTimeout"
    assert "s3cret" not in str(raised.value)


def test_settings_need_a_postgresql_url_and_a_shared_survey_key() -> None:
    with pytest.raises(ValidationError, match="postgresql://"):
        Settings(_env_file=None, database_url="mysql://x", survey_secret="s")
    with pytest.raises(ValidationError, match="SURVEY_SECRET"):
        Settings(_env_file=None, database_url="postgresql://bot@db/bot")
    settings = Settings(_env_file=None, database_url="postgresql://bot@db/bot", survey_secret="s")
    assert settings.database == "postgresql://bot@db/bot"


# --- several senders, several schedulers -----------------------------------------------------


async def test_senders_in_several_processes_send_every_notification_once(
    processes: list[PgDatabase],
) -> None:
    clock = FakeClock()
    outbox = Outbox(processes[0], now=clock.now)
    for number in range(120):
        await outbox.enqueue_message(1000 + number % 40, f"note {number}")
    sessions = [FakeSession() for _ in processes]
    senders = [
        OutboxSender(
            make_bot(session),
            db,
            now=clock.now,
            monotonic=clock.monotonic,
            sleep=clock.sleep,
            batch_size=7,
        )
        for session, db in zip(sessions, processes, strict=True)
    ]

    async def drain(sender: OutboxSender) -> None:
        for _ in range(100):
            if not await sender.send_due():
                return

    await asyncio.wait_for(asyncio.gather(*(drain(sender) for sender in senders)), timeout=120)
    for sender in senders:  # whatever one left behind, another may still take
        await sender.drain()

    sent = Counter(
        method.text for session in sessions for method in session.delivered
        if isinstance(method, SendMessage)
    )  # fmt: skip
    assert sent == Counter(f"note {number}" for number in range(120))
    assert sum(1 for session in sessions if session.delivered) > 1  # they really shared it
    statuses = await fetch_all(processes[0], "SELECT status, count(*) FROM outbox GROUP BY 1")
    assert [tuple(row) for row in statuses] == [("sent", 120)]


async def test_schedulers_in_several_processes_run_each_slot_once(
    processes: list[PgDatabase],
) -> None:
    clock = FakeClock(utc(2026, 1, 5, 8))
    runs: list[str] = []

    def job_on(db: PgDatabase) -> Job:
        async def next_run(scope: str, after: datetime) -> datetime:
            return utc(2026, 1, 5, 9) if after < utc(2026, 1, 5, 9) else utc(2026, 1, 5, 10)

        async def run(job_run: JobRun) -> None:
            runs.append(job_run.key)
            await asyncio.sleep(0.01)  # the others tick meanwhile
            await Outbox(db, now=clock.now).enqueue_message(1, job_run.key, dedupe_key=None)

        async def scopes() -> Iterable[str]:
            return ["a", "b", "c"]

        return Job("hourly", next_run, run, scopes)

    schedulers = [Scheduler(db, [job_on(db)], now=clock.now) for db in processes]
    await asyncio.gather(*(scheduler.tick() for scheduler in schedulers))
    assert runs == []
    clock.set(utc(2026, 1, 5, 9, 1))
    for _ in range(3):
        await asyncio.gather(*(scheduler.tick() for scheduler in schedulers))

    assert sorted(runs) == [f"hourly:{scope}:2026-01-05T09:00Z" for scope in "abc"]
    rows = await fetch_all(processes[0], "SELECT payload FROM outbox")
    assert len(rows) == 3  # what each run wrote committed once, with its slot


# --- one conversation, two processes, FSM on PostgreSQL (no Redis) ---------------------------


async def test_updates_of_one_user_on_two_processes_take_turns(
    processes: list[PgDatabase],
) -> None:
    """Without Redis each process has only its own in-process isolation; the advisory lock
    sent with each update's BEGIN makes the second process wait for the first one's commit,
    so neither overwrites what the other stored."""
    entered: list[str] = []
    first_inside, release_first = asyncio.Event(), asyncio.Event()

    def instance(db: PgDatabase, name: str) -> tuple[Dispatcher, Repositories]:
        router = Router()

        @router.message()
        async def count(message: Message, state: FSMContext) -> None:
            seen = (await state.get_data()).get("count", 0)
            entered.append(name)
            if name == "a":
                first_inside.set()
                await release_first.wait()
            await state.update_data(count=seen + 1)

        storage, isolation = create_fsm_backend(redis_url=None, db=db)
        dispatcher = Dispatcher(storage=storage, events_isolation=isolation)
        dispatcher.update.outer_middleware(UnitOfWorkMiddleware())
        dispatcher.include_router(router)
        return dispatcher, Repositories(db)

    (a, repo_a), (b, repo_b) = instance(processes[0], "a"), instance(processes[1], "b")
    bot = MockedBot()
    on_a = asyncio.create_task(a.feed_update(bot, factories.text_update(1001, "one"), repo=repo_a))
    await asyncio.wait_for(first_inside.wait(), timeout=30)
    on_b = asyncio.create_task(b.feed_update(bot, factories.text_update(1001, "two"), repo=repo_b))
    await asyncio.sleep(0.5)  # room for B to run ahead, which the lock must prevent
    assert entered == ["a"]
    release_first.set()
    await asyncio.wait_for(asyncio.gather(on_a, on_b), timeout=30)

    assert entered == ["a", "b"]
    row = await fetch_one(processes[2], "SELECT data FROM fsm")
    assert row is not None
    assert json.loads(row[0]) == {"count": 2}


async def test_readers_leaving_the_same_surveys_at_once_take_them_in_one_order(
    processes: list[PgDatabase],
) -> None:
    """Two readers answered two surveys in opposite orders; both /forget while a third
    transaction holds the second survey's row. Deleting in their rows' order, each would
    hold one survey's row and wait for the other's (deadlock); the repository takes them in
    id order, so one waits for the other instead."""
    from bot.db.surveys import SurveyRepository  # noqa: PLC0415
    from bot.survey.questions import SurveyConfig  # noqa: PLC0415
    from tests.survey.bot_helpers import staff_library  # noqa: PLC0415

    first, second, third = processes
    library = await staff_library(first)
    surveys = SurveyRepository(first)
    one, two = [
        await surveys.create_survey(library.id, library.owner_id, SurveyConfig(title=title))
        for title in ("Первый", "Второй")
    ]
    for reader, order in (("a", (one, two)), ("b", (two, one))):
        for survey in order:
            await surveys.start_or_resume(survey.id, reader, None)
    holder = await third.pool.getconn()
    try:
        await holder.execute("BEGIN")
        await holder.execute("SELECT 1 FROM surveys WHERE id = %s FOR UPDATE", (two.id,))
        leaving: list[asyncio.Task[int]] = []

        async def until_waiting(count: int) -> None:
            # Until ``count`` units wait on a row lock: the held row, or one another's.
            waiting = 0
            while waiting < count:
                assert not any(task.done() for task in leaving)
                row = await (
                    await holder.execute(
                        """SELECT count(*) FROM pg_stat_activity
                           WHERE datname = current_database() AND wait_event_type = 'Lock'"""
                    )
                ).fetchone()
                waiting = int(row[0]) if row is not None else 0
                await asyncio.sleep(0.01)

        # "b" queues first for the held row, so it is the one that gets it on release: by
        # rows' order it would then want "one", which "a" took meanwhile.
        for db, reader in ((second, "b"), (first, "a")):
            leaving.append(asyncio.create_task(SurveyRepository(db).forget_reader(reader)))
            await until_waiting(len(leaving))
        await holder.execute("COMMIT")
        assert await asyncio.gather(*leaving) == [2, 2]
    finally:
        await third.pool.putconn(holder)
    assert await surveys.response_counts(one.id) == (0, 0)
    assert await surveys.response_counts(two.id) == (0, 0)
