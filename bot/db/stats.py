"""Counts for admins (/stats) and for the weekly digest: SQL only; the texts live with
their callers (handlers/admin.py, bot/scheduling/digest_sections.py).

Times in the tables are UTC text in SQLite's ``strftime('%Y-%m-%dT%H:%M:%fZ')`` form
(milliseconds); ``bot.clock.to_db`` writes cut-offs the same way so text comparison is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import to_db
from bot.db.engine import Database
from bot.db.reads import fetch_all, fetch_one
from bot.db.surveys import accepting

WEEK = timedelta(days=7)


async def _scalar(db: Database, sql: str, params: tuple[Any, ...] = ()) -> int:
    row = await fetch_one(db, sql, params)
    return int(row[0] or 0) if row is not None else 0


@dataclass(frozen=True, slots=True)
class BotStats:
    libraries: int
    staff: int
    strategies_draft: int
    strategies_complete: int
    completed_this_week: int
    surveys_open: int
    surveys_closed: int
    responses_started: int
    responses_completed: int
    responses_this_week: int
    outbox_pending: int
    outbox_failed: int
    outbox_blocked: int
    users_blocked: int


async def collect_stats(db: Database, now: datetime) -> BotStats:
    week_ago = to_db(now - WEEK)
    now_text = to_db(now)
    outbox: dict[str, int] = {}
    for status, count in await fetch_all(
        db, "SELECT status, COUNT(*) FROM outbox GROUP BY status"
    ):
        outbox[str(status)] = int(count)
    open_surveys = await _scalar(
        db,
        f"SELECT COUNT(*) FROM surveys s WHERE {accepting('s', '?')}",
        (now_text,),
    )
    return BotStats(
        libraries=await _scalar(db, "SELECT COUNT(*) FROM libraries"),
        staff=await _scalar(db, "SELECT COUNT(DISTINCT user_id) FROM memberships"),
        strategies_draft=await _scalar(
            db, "SELECT COUNT(*) FROM strategies WHERE status = 'draft'"
        ),
        strategies_complete=await _scalar(
            db, "SELECT COUNT(*) FROM strategies WHERE status = 'complete'"
        ),
        completed_this_week=await _scalar(
            db,
            "SELECT COUNT(*) FROM strategies WHERE status = 'complete' AND completed_at >= ?",
            (week_ago,),
        ),
        surveys_open=open_surveys,
        surveys_closed=await _scalar(db, "SELECT COUNT(*) FROM surveys") - open_surveys,
        responses_started=await _scalar(db, "SELECT COUNT(*) FROM responses"),
        responses_completed=await _scalar(db, "SELECT COUNT(completed_at) FROM responses"),
        responses_this_week=await _scalar(
            db, "SELECT COUNT(*) FROM responses WHERE completed_at >= ?", (week_ago,)
        ),
        outbox_pending=outbox.get("pending", 0) + outbox.get("sending", 0),
        outbox_failed=outbox.get("failed", 0),
        outbox_blocked=outbox.get("blocked", 0),
        users_blocked=await _scalar(db, "SELECT COUNT(*) FROM users WHERE blocked_bot = 1"),
    )


# --- per library, for the weekly digest ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class StaleDraft:
    title: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class SurveyProgress:
    title: str
    this_week: int
    completed: int


async def new_strategies(db: Database, library_id: int, since: datetime) -> int:
    return await _scalar(
        db,
        "SELECT COUNT(*) FROM strategies WHERE library_id = ? AND created_at >= ?",
        (library_id, to_db(since)),
    )


async def stale_drafts(db: Database, library_id: int, before: datetime) -> list[StaleDraft]:
    """Drafts nobody has touched since ``before``, oldest first."""
    return [
        StaleDraft(str(row[0]), str(row[1]))
        for row in await fetch_all(
            db,
            """SELECT title, updated_at FROM strategies
           WHERE library_id = ? AND status = 'draft' AND updated_at < ?
           ORDER BY updated_at, id""",
            (library_id, to_db(before)),
        )
    ]


async def survey_progress(db: Database, library_id: int, since: datetime) -> list[SurveyProgress]:
    """Open surveys, and closed ones that still got answers since ``since``."""
    cut = to_db(since)
    return [
        SurveyProgress(str(row[0]), int(row[1]), int(row[2]))
        for row in await fetch_all(
            db,
            """SELECT s.title,
                  COUNT(CASE WHEN r.completed_at >= ? THEN 1 END),
                  COUNT(r.completed_at)
           FROM surveys s LEFT JOIN responses r ON r.survey_id = s.id
           WHERE s.library_id = ?
           GROUP BY s.id
           HAVING s.status = 'open' OR COUNT(CASE WHEN r.completed_at >= ? THEN 1 END) > 0
           ORDER BY s.id""",
            (cut, library_id, cut),
        )
    ]


# --- per library, for the admins' view of the network -------------------------------------


@dataclass(frozen=True, slots=True)
class LibraryCounts:
    members: int = 0
    surveys: int = 0
    surveys_open: int = 0
    responses: int = 0
    """Completed survey answers over all the library's surveys."""


async def library_counts(db: Database) -> dict[int, LibraryCounts]:
    """Team size and survey counts of every library that has any (two queries in all)."""
    members = {
        int(library_id): int(count)
        for library_id, count in await fetch_all(
            db, "SELECT library_id, COUNT(*) FROM memberships GROUP BY library_id"
        )
    }
    counts = {library_id: LibraryCounts(members=n) for library_id, n in members.items()}
    for library_id, surveys, surveys_open, responses in await fetch_all(
        db,
        """SELECT s.library_id, COUNT(*),
                  SUM(CASE WHEN s.status = 'open' THEN 1 ELSE 0 END),
                  SUM(COALESCE(c.completed, 0))
           FROM surveys s
           LEFT JOIN (SELECT survey_id, COUNT(completed_at) AS completed
                      FROM responses GROUP BY survey_id) c ON c.survey_id = s.id
           GROUP BY s.library_id""",
    ):
        counts[int(library_id)] = LibraryCounts(
            members=members.get(int(library_id), 0),
            surveys=int(surveys),
            surveys_open=int(surveys_open or 0),
            responses=int(responses or 0),
        )
    return counts


class Stats:
    """The counts behind /stats, reached as ``repo.stats``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def collect(self, now: datetime) -> BotStats:
        return await collect_stats(self.db, now)

    async def libraries(self) -> dict[int, LibraryCounts]:
        return await library_counts(self.db)
