from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import psycopg
import pytest
from aiogram import Dispatcher
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db.connection import open_database, open_postgres
from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.factory import create_dispatcher
from bot.i18n import create_i18n
from bot.storage import DatabaseStorage
from tests.chat import ChatUser
from tests.engines import Reopen, reopen_database
from tests.mocked_bot import MockedBot
from tests.postgres_server import TEMPLATE, create_database, drop_database, postgres_server

ADMIN_ID = 999


@pytest.fixture(scope="session")
def i18n() -> I18n:
    return create_i18n("ru")  # compiles the catalogs once per test session


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


@pytest.fixture
def settings(db_path: Path) -> Settings:
    return Settings(
        _env_file=None, bot_token=None, database_path=db_path, admin_ids=frozenset({ADMIN_ID})
    )


ENGINES = [name for name in os.environ.get("TEST_ENGINES", "sqlite,postgresql").split(",") if name]
"""The engines every test on the ``db`` fixture runs on (TEST_ENGINES=sqlite to skip one)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``sqlite_only`` runs once, on SQLite (its PostgreSQL twin is deselected,
    not skipped: nothing was left out of a run that should have happened)."""
    dropped = [
        item
        for item in items
        if item.get_closest_marker("sqlite_only")
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("engine") == "postgresql"  # type: ignore[attr-defined]
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL server for this test session, with the bot's schema in a template."""
    with postgres_server(tmp_path_factory.mktemp("postgres")) as server:
        template = create_database(server, template=None)
        # Asked for lazily from inside a running test loop: migrate in a thread of its own.
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, _migrate_template(template)).result()
        with psycopg.connect(server, autocommit=True) as admin:
            name = template.rsplit("/", 1)[1]
            admin.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}"')
            admin.execute(f'ALTER DATABASE "{name}" RENAME TO "{TEMPLATE}"')
        yield server


async def _migrate_template(url: str) -> None:
    await (await open_postgres(url, max_size=1)).close()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def db(
    engine: str, db_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Database]:
    """The bot's database, once on SQLite and once on PostgreSQL (a fresh one per test)."""
    if engine == "sqlite":
        connection = await open_database(db_path)
        yield connection
        await connection.close()
        return
    server: str = request.getfixturevalue("postgres_url")
    url = create_database(server)
    postgres = await open_postgres(url, max_size=4)
    try:
        yield postgres
    finally:
        await postgres.close()
        drop_database(server, url)


@pytest.fixture
def reopen(db: Database, db_path: Path) -> Reopen:
    """Another connection to the database ``db`` is on, as a second (or restarted) process
    opens it. The caller closes it."""
    return partial(reopen_database, db, db_path)


@pytest.fixture
def repo(db: Database) -> Repositories:
    return Repositories(db)


@pytest.fixture
def dispatcher(db: Database, i18n: I18n, settings: Settings) -> Dispatcher:
    return create_dispatcher(
        repo=Repositories(db), storage=DatabaseStorage(db), i18n=i18n, settings=settings
    )


@pytest.fixture
def bot() -> MockedBot:
    return MockedBot()


@pytest.fixture
def anna(dispatcher: Dispatcher, bot: MockedBot) -> ChatUser:
    return ChatUser(dispatcher, bot, 100, language_code="ru", first_name="Анна")


@pytest.fixture
def john(dispatcher: Dispatcher, bot: MockedBot) -> ChatUser:
    return ChatUser(dispatcher, bot, 200, language_code="en-US", first_name="John")
