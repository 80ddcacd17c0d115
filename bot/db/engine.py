"""The small database interface the repositories are written against.

Two engines implement it: SQLite (:class:`bot.db.units.UnitConnection`, an aiosqlite
connection, the embedded default) and PostgreSQL (:class:`bot.db.postgres.PgDatabase`, for
several bot processes). SQL is written once, in SQLite's spelling; see bot/db/postgres.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Generator, Iterable, Iterator, Sequence
from typing import Any, Protocol

from bot.db.units import Transactional


class RowLike(Protocol):
    """A result row: by position or by column name (``sqlite3.Row`` and ours)."""

    def __getitem__(self, key: Any, /) -> Any: ...

    def keys(self) -> list[str]: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...


class CursorLike(Protocol):
    @property
    def rowcount(self) -> int: ...

    async def fetchall(self) -> Iterable[RowLike]: ...

    async def fetchone(self) -> RowLike | None: ...


class Statement(Protocol):
    """A statement sent: awaited for its cursor, or ``async with`` it (aiosqlite's style)."""

    def __await__(self) -> Generator[Any, None, CursorLike]: ...

    async def __aenter__(self) -> CursorLike: ...

    async def __aexit__(self, exc_type: Any, exc: Any, traceback: Any, /) -> Any: ...


class Database(Transactional, Protocol):
    """What repositories, the FSM storage, the outbox and the jobs use of a connection."""

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``, for the few statements that differ."""
        ...

    def execute(self, sql: str, parameters: Iterable[Any] = ..., /) -> Statement: ...

    def execute_fetchall(
        self, sql: str, parameters: Iterable[Any] = ..., /
    ) -> Awaitable[Iterable[RowLike]]: ...

    def executemany(
        self, sql: str, parameters: Iterable[Iterable[Any]], /
    ) -> Awaitable[CursorLike]: ...

    def fetch_many(
        self, statements: Sequence[tuple[str, Iterable[Any]]], /
    ) -> Awaitable[list[list[Any]]]:
        """The rows of several reads, in order, in one round trip."""
        ...

    async def commit(self) -> None: ...

    async def close(self) -> None: ...
