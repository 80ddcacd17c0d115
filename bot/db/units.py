"""Units of work: everything one update (or one background job run) reads and writes is one
SQLite transaction, committed once at the end or rolled back whole.

How, and why this way:

- The bot's connections are :class:`UnitConnection` (an ``aiosqlite.Connection``), so every
  repository keeps its signature and simply runs its statements on ``repo.db``. Which
  transaction a statement belongs to is decided by the *asyncio context*: ``unit_of_work``
  puts the unit in a context variable, and a statement issued from inside it runs in that
  unit's transaction. Repositories may still call ``commit()``: inside a unit it does
  nothing; the unit commits once, at its end.
- Units of one database file take turns (one ``asyncio.Lock`` per file, shared by every
  connection of this process to it). The turn is taken at the unit's first statement
  (``BEGIN IMMEDIATE`` sent together with that statement, one round trip) and given back at
  COMMIT/ROLLBACK. A statement issued outside any unit (start-up, tests, health checks)
  waits for the turn too and autocommits on its own.

  Why not a pool with one connection per update in flight: SQLite has one writer per file.
  A second connection would wait for the file lock inside its thread (``busy_timeout``)
  instead of on an asyncio lock, and a deferred transaction that read first and writes
  later fails outright (``SQLITE_BUSY_SNAPSHOT``) when another connection committed in
  between; the only remedy is retrying the whole update, impossible once it has talked to
  Telegram. ``BEGIN IMMEDIATE`` on every unit from a pool would serialise just the same,
  with more threads. So: one turn at a time, and two users' updates never share a
  transaction because they never overlap in one. The price is that an update keeps the
  turn across its Telegram calls; at a library's traffic (a few updates a second) that is
  invisible, and deployments that need more run several processes on PostgreSQL.
- Writes that can wait until the end (FSM state and data) are *deferred*: the statements are
  kept on the unit and sent with the COMMIT, in the same round trip. A later deferral with
  the same key replaces an earlier one, so the FSM row is written at most once per update.
- ``round_trips`` counts every hop to the connection's thread made for the unit (tests and
  ``bench/`` read it); ``after_commit`` runs callbacks (e.g. waking the outbox sender) once
  the work is durable.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Callable, Hashable, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import aiosqlite

_current: ContextVar[Unit | None] = ContextVar("unit_of_work", default=None)
_turns: dict[str, asyncio.Lock] = {}


def _turn_for(path: str) -> asyncio.Lock:
    if path == ":memory:":
        return asyncio.Lock()
    key = str(Path(path).resolve())
    lock = _turns.get(key)
    if lock is None:
        lock = _turns[key] = asyncio.Lock()
    return lock


class Transactional(Protocol):
    """A database that runs units of work: SQLite's :class:`UnitConnection` here, or
    PostgreSQL's ``PgDatabase`` (bot/db/postgres.py)."""

    async def finish(self, unit: Unit, *, commit: bool) -> None: ...


@dataclass(eq=False)
class Unit:
    """One transaction on one connection; see the module docstring."""

    connection: Transactional
    label: str = ""
    round_trips: int = 0
    begun: bool = False
    deferred: dict[Hashable, tuple[str, tuple[Any, ...]]] = field(default_factory=dict)
    callbacks: list[Callable[[], None]] = field(default_factory=list)
    cache: dict[Hashable, Any] = field(default_factory=dict)
    """Per-unit memo for repositories (the FSM row read once per update lives here)."""
    preludes: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    """Statements sent right after BEGIN, in the unit's first round trip."""
    prelude_rows: list[list[Any]] | None = None
    """Their rows, once the unit has begun."""
    opening: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Two statements of one unit gathered at once must not both try to take the turn."""

    def defer(self, key: Hashable, sql: str, parameters: Iterable[Any] = ()) -> None:
        """Run ``sql`` just before COMMIT (in the same round trip); same key replaces."""
        self.deferred[key] = (sql, tuple(parameters))

    def after_commit(self, callback: Callable[[], None]) -> None:
        self.callbacks.append(callback)

    def prelude(self, sql: str, parameters: Iterable[Any] = ()) -> int:
        """Send ``sql`` with the unit's BEGIN (no extra round trip); its rows land in
        ``prelude_rows[index]`` once the unit has begun. Returns ``index``."""
        if self.begun:
            raise RuntimeError("the unit has begun: too late for a prelude")
        self.preludes.append((sql, tuple(parameters)))
        return len(self.preludes) - 1


def current_unit(db: object | None = None) -> Unit | None:
    """The unit the calling code runs in (on ``db``, if given), or None."""
    unit = _current.get()
    if unit is None or (db is not None and unit.connection is not db):
        return None
    return unit


def after_commit(db: object, callback: Callable[[], None]) -> None:
    """Call ``callback`` once the current unit on ``db`` commits; now, if there is none."""
    unit = current_unit(db)
    if unit is None:
        callback()
    else:
        unit.after_commit(callback)


class UnitConnection(aiosqlite.Connection):
    """An aiosqlite connection that knows about units of work (module docstring)."""

    dialect = "sqlite"

    def __init__(self, path: str, *, iter_chunk_size: int = 64) -> None:
        def connector() -> sqlite3.Connection:
            # Autocommit at the driver: every transaction is an explicit BEGIN of a unit.
            return sqlite3.connect(path, isolation_level=None, check_same_thread=False)

        super().__init__(connector, iter_chunk_size)
        self.path = path
        self.turn = _turn_for(path)
        self.round_trips = 0
        self.commits = 0
        self.units: Counter[str] = Counter()
        """Units finished, by label (bench and tests read it with ``unit_round_trips``)."""
        self.unit_round_trips: Counter[str] = Counter()
        self.unit_commits: Counter[str] = Counter()

    async def _execute(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        unit = current_unit(self)
        self.round_trips += 1
        if unit is None:
            other = _current.get()
            if (
                other is not None
                and other.begun
                and getattr(other.connection, "turn", None) is self.turn
            ):
                # It would wait for the turn its own unit holds, forever.
                raise RuntimeError("a second connection to the database inside a unit of work")
            # Outside any unit: wait for the turn, run, autocommit.
            async with self.turn:
                return await self._hop(fn, *args, **kwargs)
        unit.round_trips += 1
        if not unit.begun:
            async with unit.opening:
                if not unit.begun:
                    return await self._begin_with(unit, partial(fn, *args, **kwargs))
        return await self._hop(fn, *args, **kwargs)

    async def _begin_with(self, unit: Unit, function: Callable[[], Any]) -> Any:
        await self.turn.acquire()
        try:
            result = await self._hop(self._begin_then, function, unit)
        except BaseException:
            if self._inside_transaction():
                unit.begun = True  # the statement failed, the transaction is open
            else:
                self.turn.release()
            raise
        unit.begun = True
        return result

    async def _hop(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """One trip to the connection's thread, past the unit logic."""
        return await aiosqlite.Connection._execute(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    async def fetch_many(self, statements: Sequence[tuple[str, Iterable[Any]]]) -> list[list[Any]]:
        """Run several reads in one trip to the thread; their rows, in order."""
        pending = [(sql, tuple(parameters)) for sql, parameters in statements]
        if not pending:
            return []

        def run() -> list[list[Any]]:
            return [self._conn.execute(sql, values).fetchall() for sql, values in pending]

        rows: list[list[Any]] = await self._execute(run)
        return rows

    def _inside_transaction(self) -> bool:
        return self._connection is not None and self._connection.in_transaction

    def _begin_then(self, function: Callable[[], Any], unit: Unit | None = None) -> Any:
        self._conn.execute("BEGIN IMMEDIATE")
        if unit is not None:
            unit.prelude_rows = [
                self._conn.execute(sql, parameters).fetchall() for sql, parameters in unit.preludes
            ]
        return function()

    def _commit_with(self, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
        for sql, parameters in statements:
            self._conn.execute(sql, parameters)
        self._conn.execute("COMMIT")

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    async def commit(self) -> None:
        """Inside a unit: nothing (the unit commits at its end). Outside: a plain commit."""
        if current_unit(self) is None:
            await super().commit()

    async def finish(self, unit: Unit, *, commit: bool) -> None:
        """COMMIT (with the deferred writes) or ROLLBACK ``unit``, and give the turn back."""
        statements = list(unit.deferred.values())
        unit.deferred.clear()
        committed = False
        try:
            if commit and statements and not unit.begun:
                # Only deferred writes: BEGIN, write, COMMIT in one hop.
                await self.turn.acquire()
                unit.begun = True
                unit.round_trips += 1
                self.round_trips += 1
                await self._hop(self._begin_then, partial(self._commit_with, statements), unit)
                committed = True
            elif unit.begun:
                unit.round_trips += 1
                self.round_trips += 1
                if commit:
                    await self._hop(self._commit_with, statements)
                    committed = True
                else:
                    await self._hop(self._rollback)
        except BaseException:
            if unit.begun:
                await self._hop(self._rollback)
            raise
        finally:
            if unit.begun:
                unit.begun = False
                self.turn.release()
            count_finished(self, unit, committed=committed)
        if committed:
            for callback in unit.callbacks:
                callback()


class UnitCounters(Protocol):
    """What a database counts of its units (tests and bench/ read it)."""

    commits: int
    units: Counter[str]
    unit_round_trips: Counter[str]
    unit_commits: Counter[str]


def count_finished(db: UnitCounters, unit: Unit, *, committed: bool) -> None:
    db.units[unit.label] += 1
    db.unit_round_trips[unit.label] += unit.round_trips
    if committed:
        db.commits += 1
        db.unit_commits[unit.label] += 1


@asynccontextmanager
async def unit_of_work(db: Transactional, label: str = "") -> AsyncIterator[Unit]:
    """One transaction for the block: committed when it ends, rolled back if it raises.

    Inside another unit on the same connection, joins it (one transaction, one commit).
    """
    if not callable(getattr(db, "finish", None)):
        raise TypeError("units of work need a database from bot.db.connection.open_database")
    outer = current_unit(db)
    if outer is not None:
        yield outer
        return
    unit = Unit(db, label)
    token = _current.set(unit)
    try:
        try:
            yield unit
        except BaseException:
            await db.finish(unit, commit=False)
            raise
        await db.finish(unit, commit=True)
    finally:
        _current.reset(token)
