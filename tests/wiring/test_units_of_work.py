"""Every update is one transaction: all of it or none of it, never shared with another's."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Dispatcher
from aiogram.utils.i18n import I18n

from bot.db.engine import Database
from bot.db.postgres import PgDatabase
from bot.db.repositories import Repositories
from bot.db.units import Unit, UnitConnection, current_unit, unit_of_work
from bot.i18n import Translator
from bot.services.wizard import WizardService
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.profiles import WIZARD_RURAL_RU
from tests.wizard_driver import answer_current, complete_wizard, wizard_position


class Boom(Exception):
    pass


async def test_a_unit_commits_once_at_its_end(repo: Repositories) -> None:
    db = repo.db
    assert isinstance(db, UnitConnection | PgDatabase)
    commits = db.commits
    async with unit_of_work(db, "test") as unit:
        await repo.users.upsert(1, "One", "ru")
        await repo.users.upsert(2, "Two", "ru")
        assert db.commits == commits  # repositories' own commit() calls do nothing here
        assert unit.begun
    assert db.commits == commits + 1
    assert await repo.users.get(2) is not None


async def test_a_unit_that_raises_leaves_nothing_behind(repo: Repositories) -> None:
    await repo.users.upsert(1, "Before", "ru")

    async def half_done() -> None:
        async with unit_of_work(repo.db):
            await repo.users.upsert(1, "Changed", "ru")
            library = await repo.libraries.create(1, "Half done")
            await repo.strategies.create(library.id, 1)
            raise Boom

    with pytest.raises(Boom):
        await half_done()
    user = await repo.users.get(1)
    assert user is not None and user.first_name == "Before"
    assert await repo.libraries.of_user(1) == []
    assert await repo.strategies.of_user(1) == []


async def test_reads_and_writes_ride_with_the_units_begin_in_one_round_trip(
    repo: Repositories,
) -> None:
    """Both engines: a unit's first statement (or batch of reads) goes with its BEGIN and
    preludes; later batches and the deferred writes with COMMIT take one trip each."""
    db = repo.db
    await repo.users.upsert(1, "One", "ru")
    async with unit_of_work(db, "batched") as unit:
        prelude = unit.prelude("SELECT first_name FROM users WHERE id = ?", (1,))
        names, counted = await db.fetch_many(
            [("SELECT id FROM users WHERE id = ?", (1,)), ("SELECT count(*) FROM users", ())]
        )
        assert unit.round_trips == 1
        assert unit.prelude_rows is not None and unit.prelude_rows[prelude][0][0] == "One"
        assert [row[0] for row in names] == [1] and counted[0][0] == 1
        cursor = await db.execute("UPDATE users SET first_name = ? WHERE id = ?", ("Uno", 1))
        assert cursor.rowcount == 1
        assert await db.fetch_many([]) == []
        assert unit.round_trips == 2
        unit.defer("name", "UPDATE users SET first_name = ? WHERE id = ?", ("Eins", 1))
    assert unit.round_trips == 3
    async with unit_of_work(db, "write first") as unit:
        cursor = await db.execute("UPDATE users SET first_name = ? WHERE id = ?", ("Ein", 1))
        assert cursor.rowcount == 1 and unit.round_trips == 1
    async with unit_of_work(db, "deferred only") as unit:
        unit.defer("name", "UPDATE users SET first_name = ? WHERE id = ?", ("Un", 1))
    assert unit.round_trips == 1
    # Outside a unit, one trip as well, and the rows in order.
    rows = await db.fetch_many(
        [("SELECT first_name FROM users", ()), ("SELECT 2", ()), ("SELECT 3", ())]
    )
    assert [r[0][0] for r in rows] == ["Un", 2, 3]


async def test_after_commit_callbacks_run_only_after_a_commit(repo: Repositories) -> None:
    called: list[str] = []
    async with unit_of_work(repo.db) as unit:
        await repo.users.upsert(1, "One", "ru")
        unit.after_commit(lambda: called.append("committed"))
        assert called == []
    assert called == ["committed"]

    async def failing() -> None:
        async with unit_of_work(repo.db) as unit:
            await repo.users.upsert(2, "Two", "ru")
            unit.after_commit(lambda: called.append("rolled back"))
            raise Boom

    with pytest.raises(Boom):
        await failing()
    assert called == ["committed"]


@pytest.fixture
def hops(repo: Repositories, monkeypatch: pytest.MonkeyPatch) -> list[Unit | None]:
    """Which unit each trip to the database thread was for; every trip yields first, so
    concurrent updates interleave at every await they make."""
    # The units themselves, not their id(): a finished unit's id may be reused by a new one.
    seen: list[Unit | None] = []
    original = UnitConnection._hop

    async def hop(self: UnitConnection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0)
        unit = current_unit(self)
        seen.append(unit)
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(UnitConnection, "_hop", hop)
    return seen


def contiguous(seen: list[Unit | None]) -> bool:
    """Each unit's trips form one block: no other unit ran statements in its transaction."""
    finished: set[int] = set()
    last: Unit | None = None
    for unit in seen:
        if unit is None:
            continue
        if unit is not last:
            if id(unit) in finished:
                return False
            if last is not None:
                finished.add(id(last))
            last = unit
    return True


async def test_two_users_interleaved_never_commit_each_others_work(
    anna: ChatUser,
    dispatcher: Dispatcher,
    repo: Repositories,
    i18n: I18n,
    hops: list[Unit | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ru, en = Translator(i18n, "ru"), Translator(i18n, "en")
    # His own session, so what each of them is sent stays apart.
    john = ChatUser(dispatcher, MockedBot(), 200, language_code="en-US", first_name="John")
    await asyncio.gather(anna.send("/start"), john.send("/start"))
    # John's updates fail after their answer is written; Anna's go through meanwhile.
    save = WizardService.save

    async def save_then_fail(self: WizardService, strategy: Any, question: Any, value: Any) -> Any:
        answers = await save(self, strategy, question, value)
        if strategy.created_by == john.user.id:
            raise Boom("after the write")
        return answers

    monkeypatch.setattr(WizardService, "save", save_then_fail)
    (johns,) = await repo.strategies.of_user(john.user.id)
    john_before = await repo.answers.all(johns.id)
    john_place = await wizard_position(john)

    async def anna_walks() -> None:
        # John's failures are logged while Anna's updates run; hers must still succeed.
        with anna.tolerating("update failed"):
            for _ in range(6):
                await answer_current(anna, WIZARD_RURAL_RU, ru)

    async def john_tries() -> None:
        for _ in range(6):
            await john.feed(john.message_update("Public Library"), expect_error=True)

    await asyncio.gather(anna_walks(), john_tries())

    assert contiguous(hops)
    (annas,) = await repo.strategies.of_user(anna.user.id)
    stored = await repo.answers.all(annas.id)
    assert len(stored) >= 5
    assert all(WIZARD_RURAL_RU[key] == value for key, value in stored.items())
    # Nothing of John's failed updates stayed: no answer, no moved place, no library name.
    assert await repo.answers.all(johns.id) == john_before
    assert await wizard_position(john) == john_place
    (library,) = await repo.libraries.of_user(john.user.id)
    assert library.name == ""
    assert en("error.generic") in john.texts()


@pytest.mark.sqlite_only(reason="reads SQLite's statement trace")
async def test_each_update_commits_once_and_writes_its_state_once(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    db = repo.db
    assert isinstance(db, UnitConnection)
    fsm_writes: list[str] = []
    await db.set_trace_callback(
        lambda sql: (
            fsm_writes.append(sql)
            if sql.startswith(("INSERT INTO fsm", "DELETE FROM fsm", "COMMIT"))
            else None
        )
    )
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, Translator(i18n, "ru"))
    await db.set_trace_callback(None)  # type: ignore[arg-type]

    updates = sum(db.units.values())
    assert updates > 40
    assert sum(db.unit_commits.values()) == updates
    # Between two commits at most one write of the FSM row.
    per_unit = " ".join("C" if sql == "COMMIT" else "F" for sql in fsm_writes).split("C")
    assert max(chunk.count("F") for chunk in per_unit) == 1
    # The counter is what bench/ reports; a wizard answer stays a handful of trips.
    for label in ("text", "press"):
        assert db.unit_round_trips[label] / db.units[label] <= 8, label


@pytest.mark.sqlite_only(
    reason="SQLite's units take turns; on PostgreSQL they run side by side "
    "(tests/ops/test_postgres.py)"
)
async def test_statements_outside_a_unit_wait_for_the_unit(
    repo: Repositories, db: Database
) -> None:
    order: list[str] = []
    inside = asyncio.Event()

    async def long_unit() -> None:
        async with unit_of_work(repo.db):
            await repo.users.upsert(1, "Unit", "ru")
            inside.set()
            await asyncio.sleep(0.05)  # e.g. a Telegram call while the transaction is open
            order.append("unit done")

    async def outsider() -> None:
        await inside.wait()
        await repo.users.upsert(2, "Outsider", "ru")
        order.append("outsider done")

    await asyncio.gather(long_unit(), outsider())
    assert order == ["unit done", "outsider done"]
