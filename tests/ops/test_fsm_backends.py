"""aiogram's storage contract against both backends of create_fsm_backend.

The Redis cases talk to a real redis-server (see tests/ops/redis_server.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, StorageKey
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from redis.asyncio import Redis

from bot.db.engine import Database
from bot.fsm_backends import create_fsm_backend
from bot.storage import DatabaseStorage

KEY = StorageKey(bot_id=42, chat_id=-100, user_id=7)


class Wizard(StatesGroup):
    name = State()


@dataclass
class Backend:
    kind: str
    storage: BaseStorage
    isolation: BaseEventIsolation
    url: str | None


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
async def backend(request: pytest.FixtureRequest, db: Database) -> AsyncIterator[Backend]:
    url: str | None = None
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        async with Redis.from_url(url) as client:
            await client.flushdb()
    storage, isolation = create_fsm_backend(redis_url=url, db=db)
    yield Backend(request.param, storage, isolation, url)
    await isolation.close()
    await storage.close()


def test_factory_picks_the_backend_by_url(db: Database) -> None:
    storage, isolation = create_fsm_backend(redis_url=None, db=db)
    assert isinstance(storage, DatabaseStorage)
    assert isinstance(isolation, SimpleEventIsolation)
    redis_storage, redis_isolation = create_fsm_backend(
        redis_url="redis://127.0.0.1:1/0", db=db
    )  # building does not connect
    assert isinstance(redis_storage, RedisStorage)
    assert isinstance(redis_isolation, RedisEventIsolation)
    assert redis_isolation.redis is redis_storage.redis


def test_contract_is_the_five_abstract_methods() -> None:
    assert BaseStorage.__abstractmethods__ == {
        "set_state",
        "get_state",
        "set_data",
        "get_data",
        "close",
    }


async def test_state_round_trip_and_clear(backend: Backend) -> None:
    storage = backend.storage
    assert await storage.get_state(KEY) is None
    await storage.set_state(KEY, Wizard.name)
    assert await storage.get_state(KEY) == "Wizard:name"
    await storage.set_state(KEY, "plain")
    assert await storage.get_state(KEY) == "plain"
    await storage.set_state(KEY, None)
    assert await storage.get_state(KEY) is None


async def test_data_round_trip_copy_and_clear(backend: Backend) -> None:
    storage = backend.storage
    assert await storage.get_data(KEY) == {}
    await storage.set_data(KEY, {"answers": {"q1": ["a", "b"]}, "step": 2, "name": "Чехов"})
    data = await storage.get_data(KEY)
    assert data == {"answers": {"q1": ["a", "b"]}, "step": 2, "name": "Чехов"}
    data["step"] = 99
    assert (await storage.get_data(KEY))["step"] == 2  # a fresh dict each time
    assert await storage.update_data(KEY, {"step": 3}) == {
        "answers": {"q1": ["a", "b"]},
        "step": 3,
        "name": "Чехов",
    }
    assert await storage.get_value(KEY, "name") == "Чехов"
    assert await storage.get_value(KEY, "missing", "default") == "default"
    await storage.set_data(KEY, {})
    assert await storage.get_data(KEY) == {}
    with pytest.raises(DataNotDictLikeError):
        await storage.set_data(KEY, [("a", 1)])  # type: ignore[arg-type]


async def test_fsm_context_clear_forgets_everything(backend: Backend) -> None:
    context = FSMContext(storage=backend.storage, key=KEY)
    await context.set_state(Wizard.name)
    await context.update_data(step=1)
    await context.clear()
    assert await context.get_state() is None
    assert await context.get_data() == {}
    if backend.url is not None:
        async with Redis.from_url(backend.url) as client:
            assert await client.keys("*") == []  # cleared keys are deleted, not emptied


@pytest.mark.parametrize(
    "other",
    [
        StorageKey(bot_id=43, chat_id=-100, user_id=7),
        StorageKey(bot_id=42, chat_id=-101, user_id=7),
        StorageKey(bot_id=42, chat_id=-100, user_id=8),
        StorageKey(bot_id=42, chat_id=-100, user_id=7, thread_id=5),
        StorageKey(bot_id=42, chat_id=-100, user_id=7, business_connection_id="biz"),
        StorageKey(bot_id=42, chat_id=-100, user_id=7, destiny="scenes_history"),
    ],
)
async def test_every_part_of_the_key_separates(backend: Backend, other: StorageKey) -> None:
    await backend.storage.set_state(KEY, "mine")
    await backend.storage.set_data(KEY, {"who": "mine"})
    assert await backend.storage.get_state(other) is None
    assert await backend.storage.get_data(other) == {}
    await backend.storage.set_state(other, "theirs")
    assert await backend.storage.get_state(KEY) == "mine"


async def test_state_survives_a_new_storage_instance(backend: Backend, db: Database) -> None:
    await backend.storage.set_state(KEY, Wizard.name)
    await backend.storage.set_data(KEY, {"step": 4})
    again, isolation = create_fsm_backend(redis_url=backend.url, db=db)
    try:
        assert await again.get_state(KEY) == "Wizard:name"
        assert await again.get_data(KEY) == {"step": 4}
    finally:
        await isolation.close()
        await again.close()


async def test_isolation_lock_serialises_one_key_not_others(backend: Backend) -> None:
    order: list[str] = []
    first_inside = asyncio.Event()
    release_first = asyncio.Event()

    async def first() -> None:
        async with backend.isolation.lock(KEY):
            order.append("first in")
            first_inside.set()
            await release_first.wait()
            order.append("first out")

    async def second() -> None:
        async with backend.isolation.lock(KEY):
            order.append("second in")

    first_task = asyncio.create_task(first())
    await first_inside.wait()
    second_task = asyncio.create_task(second())
    other_key = StorageKey(bot_id=42, chat_id=-100, user_id=8)
    async with backend.isolation.lock(other_key):  # another user is not held up
        order.append("other user")
    if isinstance(backend.isolation, RedisEventIsolation):
        held = backend.isolation.redis.lock(
            backend.isolation.key_builder.build(KEY, "lock"), timeout=5
        )
        assert not await held.acquire(blocking=False)  # really held in Redis
    release_first.set()
    await asyncio.gather(first_task, second_task)

    assert order == ["first in", "other user", "first out", "second in"]


@pytest.mark.redis
async def test_redis_keys_carry_bot_business_connection_and_destiny(redis_url: str) -> None:
    async with Redis.from_url(redis_url) as client:
        await client.flushdb()
    storage, isolation = create_fsm_backend(redis_url=redis_url, db=None)  # type: ignore[arg-type]
    try:
        key = StorageKey(
            bot_id=42, chat_id=-100, user_id=7, business_connection_id="biz", destiny="dialog"
        )
        await storage.set_state(key, "s")
        async with Redis.from_url(redis_url) as client:
            assert await client.keys("*") == [b"fsm:42:biz:-100:7:dialog:state"]
    finally:
        await isolation.close()
        await storage.close()


@pytest.mark.redis
async def test_redis_lock_keys_name_no_one_and_still_exclude_across_processes(
    redis_url: str, db: Database
) -> None:
    reader = StorageKey(bot_id=42, chat_id=734_019_552, user_id=734_019_552)
    backends = [
        create_fsm_backend(redis_url=redis_url, db=db, lock_secret=b"shared survey key")
        for _ in range(2)
    ]
    (_, first), (_, second) = backends
    order: list[str] = []
    async with Redis.from_url(redis_url) as client:
        async with first.lock(reader):
            keys = [
                str(key, "utf-8") if isinstance(key, bytes) else key
                for key in await client.keys("*")
            ]
            assert keys, "the lock is in Redis while the update runs"
            assert not any("734019552" in key for key in keys)

            async def other_process() -> None:
                async with second.lock(reader):
                    order.append("second")

            waiting = asyncio.create_task(other_process())
            await asyncio.sleep(0.2)  # room to run ahead, which the shared lock prevents
            order.append("first")
        await asyncio.wait_for(waiting, timeout=10)
    assert order == ["first", "second"]
    for storage, isolation in backends:
        await isolation.close()
        await storage.close()
