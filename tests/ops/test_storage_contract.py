"""The FSM storage contract aiogram's own storages pass, run on SQLite (and memory)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage

from bot.db.connection import open_database
from bot.db.repositories import Repositories
from bot.storage import DatabaseStorage

KEY = StorageKey(bot_id=42, chat_id=-1, user_id=2)


@pytest.fixture(params=["memory", "sqlite"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BaseStorage]:
    if request.param == "memory":
        yield MemoryStorage()
        return
    db = await open_database(tmp_path / "fsm.sqlite3")
    yield DatabaseStorage(db, owns_connection=True)
    await db.close()


def test_abstract_contract_is_what_we_implement() -> None:
    # Catches an aiogram upgrade that adds an abstract method our storage lacks.
    assert BaseStorage.__abstractmethods__ == frozenset(
        {"set_state", "get_state", "set_data", "get_data", "close"}
    )


async def test_set_get_state(storage: BaseStorage) -> None:
    assert await storage.get_state(KEY) is None
    await storage.set_state(KEY, "state")
    assert await storage.get_state(KEY) == "state"
    await storage.set_state(KEY, None)
    assert await storage.get_state(KEY) is None


async def test_state_object_is_stored_by_name(storage: BaseStorage) -> None:
    await storage.set_state(KEY, State("answering", group_name="Wizard"))
    assert await storage.get_state(KEY) == "Wizard:answering"


async def test_set_get_data(storage: BaseStorage) -> None:
    assert await storage.get_data(KEY) == {}
    await storage.set_data(KEY, {"foo": "bar"})
    assert await storage.get_data(KEY) == {"foo": "bar"}
    await storage.set_data(KEY, {})
    assert await storage.get_data(KEY) == {}


async def test_get_data_returns_a_fresh_dict(storage: BaseStorage) -> None:
    await storage.set_data(KEY, {"history": ["a"]})
    data = await storage.get_data(KEY)
    data["extra"] = 1
    assert await storage.get_data(KEY) == {"history": ["a"]}


async def test_sqlite_data_is_a_json_copy(tmp_path: Path) -> None:
    # MemoryStorage copies shallowly (aiogram pitfall); a JSON store must copy deeply.
    db = await open_database(tmp_path / "fsm.sqlite3")
    storage = DatabaseStorage(db, owns_connection=True)
    await storage.set_data(KEY, {"history": ["a"]})
    (await storage.get_data(KEY))["history"].append("b")
    assert await storage.get_data(KEY) == {"history": ["a"]}
    await storage.close()


async def test_get_value(storage: BaseStorage) -> None:
    await storage.set_data(KEY, {"hello": "world"})
    assert await storage.get_value(KEY, "hello") == "world"
    assert await storage.get_value(KEY, "missing") is None
    assert await storage.get_value(KEY, "missing", "default") == "default"


async def test_update_data(storage: BaseStorage) -> None:
    assert await storage.update_data(KEY, {"foo": "bar"}) == {"foo": "bar"}
    assert await storage.update_data(KEY, {"baz": "spam"}) == {"foo": "bar", "baz": "spam"}
    assert await storage.get_data(KEY) == {"foo": "bar", "baz": "spam"}


async def test_non_dict_data_is_refused(storage: BaseStorage) -> None:
    with pytest.raises(DataNotDictLikeError):
        await storage.set_data(KEY, [1, 2])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "other",
    [
        StorageKey(bot_id=43, chat_id=-1, user_id=2),
        StorageKey(bot_id=42, chat_id=-1, user_id=2, thread_id=7),
        StorageKey(bot_id=42, chat_id=-1, user_id=2, business_connection_id="b"),
        StorageKey(bot_id=42, chat_id=-1, user_id=2, destiny="scenes_history"),
    ],
)
async def test_every_part_of_the_key_separates(storage: BaseStorage, other: StorageKey) -> None:
    await storage.set_state(KEY, "mine")
    await storage.set_data(KEY, {"who": "me"})
    assert await storage.get_state(other) is None
    assert await storage.get_data(other) == {}


async def test_sqlite_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "fsm.sqlite3"
    db = await open_database(path)
    await DatabaseStorage(db).set_state(KEY, "Wizard:question")
    await DatabaseStorage(db).set_data(KEY, {"question": "lib_tz", "day": "пятница"})
    await db.close()

    db = await open_database(path)
    storage = DatabaseStorage(db, owns_connection=True)
    assert await storage.get_state(KEY) == "Wizard:question"
    assert await storage.get_data(KEY) == {"question": "lib_tz", "day": "пятница"}
    await storage.close()


async def test_cleared_key_leaves_no_row(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "fsm.sqlite3")
    storage = DatabaseStorage(db, owns_connection=True)
    await storage.set_state(KEY, "x")
    await storage.set_data(KEY, {"a": 1})
    await storage.set_state(KEY, None)
    await storage.set_data(KEY, {})
    async with db.execute("SELECT COUNT(*) FROM fsm") as cursor:
        assert (await cursor.fetchone())[0] == 0  # type: ignore[index]
    await storage.close()


async def test_writes_that_belong_together_are_one_statement(tmp_path: Path) -> None:
    """A library's owner membership and a strategy's freshness come with the row itself."""
    db = await open_database(tmp_path / "bot.sqlite3")
    repo = Repositories(db)
    await repo.users.upsert(7, "Анна", "ru")
    await db.execute("INSERT INTO libraries (owner_id, name) VALUES (7, 'Прямая вставка')")
    await db.commit()
    (library,) = await repo.libraries.of_user(7)
    assert await repo.libraries.member_role(library.id, 7) == "owner"

    strategy = await repo.strategies.create(library.id, 7)
    await db.execute(
        "UPDATE strategies SET updated_at = '2000-01-01T00:00:00.000Z' WHERE id = ?",
        (strategy.id,),
    )
    await repo.answers.save(strategy.id, "lib_name", "Библиотека")
    refreshed = await repo.strategies.get(strategy.id)
    assert refreshed is not None
    assert refreshed.updated_at > "2000-01-01T00:00:00.000Z"
    # A copy keeps its own, newer time, not its answers' older ones.
    copy = await repo.strategies.duplicate(strategy.id, 7, "копия")
    stored_copy = await repo.strategies.get(copy.id)
    assert stored_copy is not None
    assert stored_copy.updated_at >= copy.created_at
    await db.close()
