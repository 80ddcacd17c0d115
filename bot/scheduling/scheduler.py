"""Jobs whose next run lives in the ``schedule`` table, so restarts neither lose nor repeat them.

Each tick, per job: rows are added for new scopes (first slot counted from now, so a new
library gets no back-dated run) and removed for vanished ones; every due row runs once and
then gets its next slot counted from *now*. A process that was down over several slots
therefore runs a missed job once, not once per missed slot.

Each run and the advance of its slot are one unit of work (bot/db/units.py): what the run
wrote (outbox rows, closed surveys) commits together with the new slot, or neither does. A
run is still at least once where it acts outside the database: a crash after the callback
but before the commit repeats it after the restart. Callbacks make that harmless by deriving
outbox ``dedupe_key``s from :attr:`JobRun.key` (the slot), as the weekly digest does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import Now, from_db, to_db, utc_now
from bot.db.engine import Database
from bot.db.reads import fetch_all, fetch_one
from bot.db.units import unit_of_work

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JobRun:
    name: str
    scope: str
    due_at: datetime
    """The slot this run belongs to (UTC); stays the same if the run is repeated."""
    started_at: datetime

    @property
    def key(self) -> str:
        """Stable id of the slot, e.g. ``digest:7:2026-01-05T06:00Z``: use it to dedupe."""
        return f"{self.name}:{self.scope}:{self.due_at:%Y-%m-%dT%H:%MZ}"


async def _one_scope() -> Iterable[str]:
    return ("",)


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    next_run: Callable[[str, datetime], Awaitable[datetime]]
    """(scope, after_utc) -> the next slot strictly after ``after_utc``, aware UTC."""
    run: Callable[[JobRun], Awaitable[None]]
    scopes: Callable[[], Awaitable[Iterable[str]]] = field(default=_one_scope)
    """Current scopes (e.g. library ids as strings); a job without scopes has one, ''."""


class Scheduler:
    def __init__(
        self,
        db: Database,
        jobs: Sequence[Job],
        *,
        now: Now = utc_now,
        tick_interval: float = 30.0,
        max_failures: int = 3,
        retry_base: float = 60.0,
    ) -> None:
        names = [job.name for job in jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"job names must be unique: {names}")
        self._db = db
        self._jobs = list(jobs)
        self._now = now
        self._tick_interval = tick_interval
        self._max_failures = max_failures
        self._retry_base = retry_base

    async def tick(self) -> list[JobRun]:
        """Run every due job once; return the runs that completed."""
        done: list[JobRun] = []
        for job in self._jobs:
            try:
                async with unit_of_work(self._db, f"job:{job.name}"):
                    await self._sync_scopes(job)
                done.extend(await self._run_due(job))
            except Exception:
                logger.exception("scheduler: tick failed", extra={"job": job.name})
        return done

    async def next_run_at(self, name: str, scope: str = "") -> datetime | None:
        row = await fetch_one(
            self._db,
            "SELECT next_run_at FROM schedule WHERE name = ? AND scope = ?",
            (name, scope),
        )
        return None if row is None else from_db(row[0])

    async def reschedule(self, name: str, scope: str = "") -> None:
        """Forget the stored slot (e.g. the library changed its time zone); the next tick
        counts a fresh one from now."""
        await self._db.execute("DELETE FROM schedule WHERE name = ? AND scope = ?", (name, scope))
        await self._db.commit()

    async def run_forever(self, stop_event: asyncio.Event) -> None:
        while not stop_event.is_set():
            await self.tick()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop_event.wait(), timeout=await self._idle_seconds())

    async def _idle_seconds(self) -> float:
        row = await fetch_one(
            self._db, "SELECT MIN(COALESCE(retry_at, next_run_at)) FROM schedule"
        )
        if row is None or row[0] is None:
            return self._tick_interval
        until_next = (from_db(row[0]) - self._now()).total_seconds()
        return min(self._tick_interval, max(until_next, 0.0)) + 0.01

    async def _sync_scopes(self, job: Job) -> None:
        wanted = {str(scope) for scope in await job.scopes()}
        stored = {
            str(row[0])
            for row in await fetch_all(
                self._db, "SELECT scope FROM schedule WHERE name = ?", (job.name,)
            )
        }
        now = self._now()
        for scope in sorted(wanted - stored):
            first = await job.next_run(scope, now)
            await self._db.execute(
                """INSERT INTO schedule (name, scope, next_run_at) VALUES (?, ?, ?)
                   ON CONFLICT(name, scope) DO NOTHING""",
                (job.name, scope, to_db(first)),
            )
        for scope in stored - wanted:
            await self._db.execute(
                "DELETE FROM schedule WHERE name = ? AND scope = ?", (job.name, scope)
            )
        await self._db.commit()

    async def _run_due(self, job: Job) -> list[JobRun]:
        now = to_db(self._now())
        due = [
            (str(r[0]), str(r[1]), int(r[2]))
            for r in await fetch_all(
                self._db,
                """SELECT scope, next_run_at, failures FROM schedule
               WHERE name = ? AND next_run_at <= ? AND (retry_at IS NULL OR retry_at <= ?)
               ORDER BY next_run_at, scope""",
                (job.name, now, now),
            )
        ]
        done = []
        for scope, slot, failures in due:
            run = JobRun(job.name, scope, from_db(slot), self._now())
            try:
                # The run and the slot's advance commit together: a crash in between
                # repeats neither half alone.
                async with unit_of_work(self._db, f"job:{job.name}"):
                    if not await self._claim(job, scope, slot):
                        continue  # another process runs (or ran) this slot
                    await job.run(run)
                    await self._advance(job, scope, slot)
            except Exception as error:
                logger.exception("scheduler: job failed", extra={"job": run.key})
                async with unit_of_work(self._db, f"job:{job.name}"):
                    await self._record_failure(job, run, slot, failures + 1, error)
                continue
            done.append(run)
        return done

    async def _claim(self, job: Job, scope: str, slot: str) -> bool:
        """Take the slot for this unit: True if it is still due and no one else holds it.

        On PostgreSQL several processes tick the same table: the row lock (held to the
        unit's commit) lets one run the slot, the others skip it, and once the slot has
        advanced the re-read finds it gone. On SQLite the units already take turns.
        """
        lock = " FOR UPDATE SKIP LOCKED" if self._db.dialect == "postgresql" else ""
        row = await fetch_one(
            self._db,
            "SELECT 1 FROM schedule WHERE name = ? AND scope = ? AND next_run_at = ?" + lock,
            (job.name, scope, slot),
        )
        return row is not None

    async def _advance(self, job: Job, scope: str, slot: str) -> None:
        now = self._now()
        upcoming = await job.next_run(scope, now)
        # Compare-and-set on the slot: a concurrent reschedule wins over this update.
        await self._db.execute(
            """UPDATE schedule SET next_run_at = ?, last_run_at = ?, failures = 0,
                   retry_at = NULL, last_error = NULL
               WHERE name = ? AND scope = ? AND next_run_at = ?""",
            (to_db(upcoming), to_db(now), job.name, scope, slot),
        )
        await self._db.commit()

    async def _record_failure(
        self, job: Job, run: JobRun, slot: str, failures: int, error: Exception
    ) -> None:
        text = f"{type(error).__name__}: {error}"[:1000]
        if failures >= self._max_failures:
            logger.error("scheduler: giving up on this slot", extra={"job": run.key})
            await self._advance(job, run.scope, slot)
            await self._db.execute(
                "UPDATE schedule SET last_error = ? WHERE name = ? AND scope = ?",
                (text, job.name, run.scope),
            )
        else:
            retry_at = self._now() + timedelta(seconds=self._retry_base * 2 ** (failures - 1))
            await self._db.execute(
                """UPDATE schedule SET failures = ?, retry_at = ?, last_error = ?
                   WHERE name = ? AND scope = ? AND next_run_at = ?""",
                (failures, to_db(retry_at), text, job.name, run.scope, slot),
            )
        await self._db.commit()
