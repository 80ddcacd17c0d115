"""Fixtures for the plumbing tests: a fake clock, a recording Bot, a real redis-server.

The SQLite file (``db_path``, ``db``) comes from tests/conftest.py like everywhere else."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import pytest
from aiogram import Bot

from bot.db import connection
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
