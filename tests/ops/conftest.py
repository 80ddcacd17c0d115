"""Fixtures for the plumbing tests: a real SQLite file, a fake clock, a recording Bot."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from importlib import resources
from pathlib import Path

import aiosqlite
import pytest
from aiogram import Bot

from bot.db import connection
from bot.db.connection import open_database
from tests.ops.fakes import FakeClock, FakeSession, make_bot
from tests.ops.redis_server import redis_server


@pytest.fixture(autouse=True)
def _fill_migration_gaps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let 0003_ops.sql apply on a branch where another feature's 0002 is not merged yet.

    Once every migration is present this does nothing.
    """
    try:
        connection.migration_scripts()
    except RuntimeError:
        pass
    else:
        return
    scripts: dict[int, tuple[int, str, str]] = {}
    for entry in resources.files(connection.MIGRATIONS_PACKAGE).iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            scripts[version] = (version, entry.name, entry.read_text(encoding="utf-8"))
    filled = [
        scripts.get(version, (version, f"{version:04d}_not_merged.sql", "SELECT 1;"))
        for version in range(1, max(scripts) + 1)
    ]
    monkeypatch.setattr(connection, "migration_scripts", lambda: filled)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    connection_ = await open_database(db_path)
    yield connection_
    await connection_.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(clock: FakeClock) -> FakeSession:
    fake = FakeSession()
    fake.clock = clock
    return fake


@pytest.fixture
def bot(session: FakeSession) -> Bot:
    return make_bot(session)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a real redis-server started for this test session."""
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url
