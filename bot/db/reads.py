"""Reads that finish in one call.

``async with db.execute(...) as cursor: await cursor.fetchone()`` keeps a statement open
across an await; if another update commits on the shared connection meanwhile, SQLite
refuses ("cannot commit transaction - SQL statements in progress"). These helpers read the
rows in the same call that runs the statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.db.engine import Database, RowLike


async def fetch_all(db: Database, sql: str, parameters: Iterable[Any] = ()) -> list[RowLike]:
    return list(await db.execute_fetchall(sql, parameters))


async def fetch_one(db: Database, sql: str, parameters: Iterable[Any] = ()) -> RowLike | None:
    rows = await db.execute_fetchall(sql, parameters)
    return next(iter(rows), None)


async def fetch_many(
    db: Database, statements: Sequence[tuple[str, Iterable[Any]]]
) -> list[list[Any]]:
    """The rows of several reads, in one round trip on either engine (SQLite runs them
    together on its connection's thread, PostgreSQL in one pipeline)."""
    return await db.fetch_many(statements)
