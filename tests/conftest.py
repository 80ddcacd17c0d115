from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest
from aiogram import Dispatcher
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db.connection import open_database
from bot.db.repositories import Repositories
from bot.factory import create_dispatcher
from bot.i18n import create_i18n
from bot.storage import SQLiteStorage
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot

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


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    connection = await open_database(db_path)
    yield connection
    await connection.close()


@pytest.fixture
def repo(db: aiosqlite.Connection) -> Repositories:
    return Repositories(db)


@pytest.fixture
def dispatcher(db: aiosqlite.Connection, i18n: I18n, settings: Settings) -> Dispatcher:
    return create_dispatcher(
        repo=Repositories(db), storage=SQLiteStorage(db), i18n=i18n, settings=settings
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
