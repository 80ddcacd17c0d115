"""PostgreSQL behind the same small interface the repositories use on SQLite.

Chosen with ``DATABASE_URL=postgresql://…`` to run several bot processes on several machines.
The repositories keep one SQL text for both engines, written in SQLite's spelling (``?``
placeholders, ``strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`` for "now"); :func:`to_postgres`
rewrites it once per statement text. The schema is ``bot/db/migrations_pg/`` (the same
tables, columns, keys and triggers as SQLite's, tested in tests/ops/test_schema_engines.py).

Units of work (bot/db/units.py) get a connection of their own from a pool at their first
statement and keep it, in one transaction, until COMMIT or ROLLBACK; PostgreSQL lets units
of different users run side by side, where SQLite makes them take turns. Outside a unit a
statement borrows a connection and autocommits.

Why psycopg 3 and not asyncpg: parameters of type text go to the server untyped and
integers as ``int8`` (booleans as integers), which is what SQLite's type affinity accepted
from this code for years; asyncpg would need an exact type at every one of ~200 statements.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Coroutine, Generator, Iterable, Sequence
from functools import lru_cache
from typing import Any, ClassVar

import psycopg
from psycopg.rows import RowMaker
from psycopg.types.numeric import Int8Dumper
from psycopg_pool import AsyncConnectionPool

from bot.db.units import Unit, count_finished, current_unit

SQLITE_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

# What every unique/foreign-key violation raises, whichever engine (callers catch these).
IntegrityError = psycopg.errors.IntegrityError


class _BoolAsInteger(Int8Dumper):
    """Flags are integer 0/1 columns on both engines."""

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?|%|[^'\"?%-]+|-")


@lru_cache(maxsize=1024)
def to_postgres(sql: str) -> str:
    """SQLite's spelling → psycopg's: ``?`` → ``%s``, a literal ``%`` doubled, "now" as
    ``bot_now()``. Quoted strings and comments are left as they are."""
    sql = sql.replace(SQLITE_NOW, "bot_now()")
    out: list[str] = []
    for token in _TOKENS.findall(sql):
        if token == "?":
            out.append("%s")
        elif token == "%":
            out.append("%%")
        elif token.startswith("'"):
            out.append(token.replace("%", "%%"))
        else:
            out.append(token)
    return "".join(out)


class Row(tuple[Any, ...]):
    """A result row read by position or by column name, like ``sqlite3.Row``."""

    __slots__ = ()
    _names: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> RowMaker[Row]:
    names = {column.name: index for index, column in enumerate(cursor.description or ())}
    # One class per result shape (statement), so a row carries no per-row dict.
    shaped: type[Row] = type("Row", (Row,), {"__slots__": (), "_names": names})
    return shaped


class Cursor:
    """What a statement leaves behind: rows affected, rows read."""

    def __init__(self, rowcount: int, rows: list[Row]) -> None:
        self.rowcount = rowcount
        self._rows = rows

    async def fetchall(self) -> list[Row]:
        return self._rows

    async def fetchone(self) -> Row | None:
        return self._rows[0] if self._rows else None


class _Statement:
    """Awaitable and ``async with``-able, like aiosqlite's ``Result``."""

    __slots__ = ("_coroutine",)

    def __init__(self, coroutine: Coroutine[Any, Any, Cursor]) -> None:
        self._coroutine = coroutine

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._coroutine.__await__()

    async def __aenter__(self) -> Cursor:
        return await self._coroutine

    async def __aexit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        return None


class PgDatabase:
    """A pool of PostgreSQL connections, used like the bot's SQLite connection."""

    dialect = "postgresql"

    def __init__(self, url: str, *, max_size: int = 10) -> None:
        self.url = url
        self.pool: AsyncConnectionPool[psycopg.AsyncConnection[Row]] = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            # An update waits this long for a connection while others hold them all.
            timeout=120.0,
            open=False,
            kwargs={"autocommit": True, "row_factory": _row_factory},
            configure=self._configure,
            connection_class=psycopg.AsyncConnection[Row],
        )
        self.round_trips = 0
        self.commits = 0
        self._unit_connections: dict[int, psycopg.AsyncConnection[Row]] = {}
        self.units: Counter[str] = Counter()
        self.unit_round_trips: Counter[str] = Counter()
        self.unit_commits: Counter[str] = Counter()

    @staticmethod
    async def _configure(connection: psycopg.AsyncConnection[Any]) -> None:
        # Every Python int as int8: Telegram ids need 64 bits, and one type keeps plans stable.
        connection.adapters.register_dumper(int, Int8Dumper)
        connection.adapters.register_dumper(bool, _BoolAsInteger)

    async def open(self, *, wait_seconds: float = 15.0) -> None:
        await self.pool.open(wait=True, timeout=wait_seconds)

    async def close(self) -> None:
        await self.pool.close()

    # --- statements ---------------------------------------------------------------------

    async def _connection_for(self, unit: Unit) -> psycopg.AsyncConnection[Row]:
        """The unit's own connection, taken from the pool (with BEGIN and the unit's
        preludes) at its first statement."""
        connection = self._unit_connections.get(id(unit))
        if connection is None:
            await self._in_unit(unit, ())
            connection = self._unit_connections[id(unit)]
        return connection

    async def _in_unit(
        self, unit: Unit, statements: Sequence[tuple[str, Iterable[Any]]]
    ) -> list[Cursor]:
        """Run ``statements`` in the unit's transaction, in one round trip: a unit that has
        not begun sends them after its BEGIN and preludes (psycopg's pipeline mode), as
        SQLite's connection sends its first statement with BEGIN."""
        connection = self._unit_connections.get(id(unit))
        if connection is None:
            async with unit.opening:
                connection = self._unit_connections.get(id(unit))
                if connection is None:
                    return await self._open(unit, statements)
        if not statements:
            return []
        unit.round_trips += 1
        self.round_trips += 1
        return await self._pipelined(connection, statements)

    async def _open(
        self, unit: Unit, statements: Sequence[tuple[str, Iterable[Any]]]
    ) -> list[Cursor]:
        connection = await self.pool.getconn()
        unit.round_trips += 1
        self.round_trips += 1
        try:
            cursors = await self._pipelined(
                connection, [("BEGIN", ()), *unit.preludes, *statements]
            )
        except BaseException:
            await self._give_back(connection, rollback=True)
            raise
        preludes = len(unit.preludes)
        unit.prelude_rows = [cursor._rows for cursor in cursors[1 : 1 + preludes]]
        unit.begun = True
        self._unit_connections[id(unit)] = connection
        return cursors[1 + preludes :]

    @staticmethod
    async def _pipelined(
        connection: psycopg.AsyncConnection[Row], statements: Sequence[tuple[str, Iterable[Any]]]
    ) -> list[Cursor]:
        """Several statements, one round trip; what each left behind, in order."""
        if len(statements) == 1:
            ((sql, parameters),) = statements
            async with connection.cursor() as cursor:
                await cursor.execute(to_postgres(sql), tuple(parameters))
                rows = await cursor.fetchall() if cursor.description is not None else []
                return [Cursor(cursor.rowcount, rows)]
        async with connection.pipeline():
            sent = [
                await connection.execute(to_postgres(sql), tuple(parameters))
                for sql, parameters in statements
            ]
        return [
            Cursor(cursor.rowcount, await cursor.fetchall() if cursor.description else [])
            for cursor in sent
        ]

    async def _give_back(
        self, connection: psycopg.AsyncConnection[Row], *, rollback: bool
    ) -> None:
        if rollback and not connection.closed:
            # A broken connection is checked and replaced by the pool.
            with contextlib.suppress(psycopg.Error):
                await connection.execute("ROLLBACK")
        await self.pool.putconn(connection)

    def execute(self, sql: str, parameters: Iterable[Any] = (), /) -> _Statement:
        return _Statement(self._execute(sql, parameters))

    async def _execute(self, sql: str, parameters: Iterable[Any]) -> Cursor:
        (cursor,) = await self._many([(sql, parameters)])
        return cursor

    async def execute_fetchall(self, sql: str, parameters: Iterable[Any] = (), /) -> list[Row]:
        return (await self._execute(sql, parameters))._rows

    async def fetch_many(self, statements: Sequence[tuple[str, Iterable[Any]]]) -> list[list[Any]]:
        """Run several reads in one round trip (pipeline mode); their rows, in order."""
        return [cursor._rows for cursor in await self._many(statements)]

    async def _many(self, statements: Sequence[tuple[str, Iterable[Any]]]) -> list[Cursor]:
        if self.pool.closed:
            raise ValueError("no active connection")  # as aiosqlite says it
        if not statements:
            return []
        unit = current_unit(self)
        if unit is None:
            self.round_trips += 1
            async with self.pool.connection() as connection:
                return await self._pipelined(connection, statements)
        return await self._in_unit(unit, statements)

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]], /) -> Cursor:
        self.round_trips += 1
        unit = current_unit(self)
        statement = to_postgres(sql)
        batch = [tuple(row) for row in rows]
        if unit is None:
            async with (
                self.pool.connection() as connection,
                connection.transaction(),
                connection.cursor() as cursor,
            ):
                await cursor.executemany(statement, batch)
                return Cursor(cursor.rowcount, [])
        unit.round_trips += 1
        connection = await self._connection_for(unit)
        async with connection.cursor() as cursor:
            await cursor.executemany(statement, batch)
            return Cursor(cursor.rowcount, [])

    async def commit(self) -> None:
        """Statements outside a unit autocommit; inside one the unit commits at its end."""

    # --- units of work (bot/db/units.py) ---------------------------------------------------

    async def finish(self, unit: Unit, *, commit: bool) -> None:
        statements = list(unit.deferred.values())
        unit.deferred.clear()
        committed = False
        try:
            if commit and statements and not unit.begun:
                # Only deferred writes: BEGIN (and preludes), the writes, COMMIT in one trip.
                await self._in_unit(unit, [*statements, ("COMMIT", ())])
                committed = True
            connection = self._unit_connections.pop(id(unit), None)
            if connection is not None and committed:
                await self._give_back(connection, rollback=False)
            elif connection is not None:
                unit.round_trips += 1
                self.round_trips += 1
                try:
                    if commit:
                        # The deferred writes and COMMIT in one round trip.
                        async with connection.pipeline():
                            for sql, parameters in statements:
                                await connection.execute(to_postgres(sql), parameters)
                            await connection.execute("COMMIT")
                        committed = True
                finally:
                    await self._give_back(connection, rollback=not committed)
        finally:
            unit.begun = False
            count_finished(self, unit, committed=committed)
        if committed:
            for callback in unit.callbacks:
                callback()
