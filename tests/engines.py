"""What tests need to know about the two engines: the tables, and another connection to the
same database (a second or restarted process). The fixtures in tests/conftest.py use these."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.db.connection import open_database, open_postgres
from bot.db.engine import Database
from bot.db.postgres import PgDatabase

Reopen = Callable[[], Awaitable[Database]]
"""Opens another connection to the test's database; the caller closes it."""


async def reopen_database(db: Database, db_path: Path) -> Database:
    """Another connection to the database ``db`` is on, as a second process opens it."""
    if isinstance(db, PgDatabase):
        return await open_postgres(db.url, max_size=4)
    return await open_database(db_path)


async def table_names(db: Database) -> list[str]:
    """The bot's tables on either engine."""
    if db.dialect == "postgresql":
        sql = """SELECT table_name FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                 ORDER BY table_name"""
    else:
        sql = """SELECT name FROM sqlite_master
                 WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"""
    return [str(row[0]) for row in await db.execute_fetchall(sql)]
