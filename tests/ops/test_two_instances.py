"""Two bot instances (two Dispatchers, each with its own connection: to one shared SQLite
file, or its own pool on one PostgreSQL database) with FSM state and event isolation in one
real redis-server: a conversation may hop between them on every update without losing
anything."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Dispatcher
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from aiogram.types import Update
from redis.asyncio import Redis

from bot.config import Settings
from bot.db.connection import open_database, open_postgres
from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.factory import create_dispatcher
from bot.fsm_backends import create_fsm_backend
from bot.i18n import Translator, create_i18n
from handlers.strategy.states import Wizard
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.postgres_server import create_database, drop_database
from tests.profiles import RURAL_RU
from tests.wizard_driver import complete_wizard, wizard_position

pytestmark = pytest.mark.redis


class HoppingChat(ChatUser):
    """A user whose updates reach instance A, B, A, B, … as a load balancer might send them."""

    def __init__(self, instances: list[Dispatcher], bot: MockedBot, user_id: int) -> None:
        super().__init__(instances[0], bot, user_id)
        self.instances = instances
        self.served_by: list[int] = []

    async def feed(
        self, update: Update, *, expect_error: bool = False, expect_refused: bool = False
    ) -> list[object]:
        index = len(self.served_by) % len(self.instances)
        self.served_by.append(index)
        self.dispatcher = self.instances[index]
        return await super().feed(update, expect_error=expect_error, expect_refused=expect_refused)


@pytest.fixture
async def instances(
    redis_url: str, tmp_path: Path, engine: str, request: pytest.FixtureRequest
) -> AsyncIterator[list[Dispatcher]]:
    async with Redis.from_url(redis_url) as client:
        await client.flushdb()
    path = tmp_path / "shared.sqlite3"
    settings = Settings(_env_file=None, bot_token=None, database_path=path)
    i18n = create_i18n()
    connections: list[Database] = []
    dispatchers = []
    postgres: tuple[str, str] | None = None
    if engine == "postgresql":
        server = request.getfixturevalue("postgres_url")
        postgres = (server, create_database(server))
    for _ in range(2):
        db: Database = (
            await open_postgres(postgres[1], max_size=4) if postgres else await open_database(path)
        )
        storage, isolation = create_fsm_backend(redis_url=redis_url, db=db)
        assert isinstance(storage, RedisStorage)
        assert isinstance(isolation, RedisEventIsolation)
        connections.append(db)
        dispatchers.append(
            create_dispatcher(
                repo=Repositories(db),
                storage=storage,
                i18n=i18n,
                settings=settings,
                events_isolation=isolation,
            )
        )
    yield dispatchers
    for dispatcher in dispatchers:
        await dispatcher.fsm.close()
    for db in connections:
        await db.close()
    if postgres is not None:
        drop_database(*postgres)


async def test_question_one_on_a_and_question_two_on_b(instances: list[Dispatcher]) -> None:
    a, b = instances
    bot = MockedBot()
    on_a = ChatUser(a, bot, 100)
    on_b = ChatUser(b, bot, 100)

    await on_a.send("/start")
    await on_a.send("Библиотека №1")  # question 1 on instance A
    state, data = await wizard_position(on_b)  # B sees where A left the user
    assert (state, data["question"]) == (Wizard.question.state, "lib_settlement")

    replies = await on_b.send("Тверь")  # question 2 on instance B
    assert "Район" in on_b.texts(replies)[-1]
    state, data = await wizard_position(on_a)
    assert (state, data["question"]) == (Wizard.question.state, "lib_region")
    assert data["history"] == ["lib_name", "lib_settlement"]

    db = a["repo"].db
    (strategy,) = await Repositories(db).strategies.of_user(100)
    assert await Repositories(db).answers.all(strategy.id) == {
        "lib_name": "Библиотека №1",
        "lib_settlement": "Тверь",
    }


async def test_whole_wizard_hopping_between_instances(instances: list[Dispatcher]) -> None:
    bot = MockedBot()
    chat = HoppingChat(instances, bot, 100)
    t = Translator(create_i18n(), "ru")
    await chat.send("/start")
    await complete_wizard(chat, RURAL_RU, t)

    assert set(chat.served_by) == {0, 1}
    assert await wizard_position(chat) == (None, {})
    repo = Repositories(instances[1]["repo"].db)
    (strategy,) = await repo.strategies.of_user(100)
    assert strategy.is_complete
    answers = await repo.answers.all(strategy.id)
    for question_id, value in RURAL_RU.items():
        assert answers.get(question_id) == value, question_id
    assert t("msg.completed") in "\n".join(chat.texts())
