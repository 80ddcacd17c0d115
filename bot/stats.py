"""Counts for admins (/stats) and for the weekly digest. SQL and text only, no aiogram.

Times in the tables are UTC text in SQLite's ``strftime('%Y-%m-%dT%H:%M:%fZ')`` form
(milliseconds); ``bot.clock.to_db`` writes cut-offs the same way so text comparison is exact.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.clock import to_db
from bot.db.reads import fetch_all, fetch_one
from bot.db.surveys import accepting
from bot.domain.translate import Translate

WEEK = timedelta(days=7)


async def _scalar(db: aiosqlite.Connection, sql: str, params: tuple[Any, ...] = ()) -> int:
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


async def collect_stats(db: aiosqlite.Connection, now: datetime) -> BotStats:
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


def render_stats(stats: BotStats, t: Translate) -> str:
    return t(
        "admin.stats",
        libraries=stats.libraries,
        staff=stats.staff,
        drafts=stats.strategies_draft,
        complete=stats.strategies_complete,
        completed_week=stats.completed_this_week,
        surveys_open=stats.surveys_open,
        surveys_closed=stats.surveys_closed,
        started=stats.responses_started,
        completed=stats.responses_completed,
        responses_week=stats.responses_this_week,
        pending=stats.outbox_pending,
        failed=stats.outbox_failed,
        blocked=stats.outbox_blocked,
        users_blocked=stats.users_blocked,
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


async def new_strategies(db: aiosqlite.Connection, library_id: int, since: datetime) -> int:
    return await _scalar(
        db,
        "SELECT COUNT(*) FROM strategies WHERE library_id = ? AND created_at >= ?",
        (library_id, to_db(since)),
    )


async def stale_drafts(
    db: aiosqlite.Connection, library_id: int, before: datetime
) -> list[StaleDraft]:
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


async def survey_progress(
    db: aiosqlite.Connection, library_id: int, since: datetime
) -> list[SurveyProgress]:
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


def render_new_strategies(count: int, t: Translate) -> str | None:
    return t.plural("digest.new_strategies", count) if count else None


def render_stale_drafts(drafts: list[StaleDraft], t: Translate) -> str | None:
    if not drafts:
        return None
    lines = [
        t(
            "digest.stale_draft",
            title=html.escape(draft.title) if draft.title else t("digest.untitled_draft"),
            date=draft.updated_at[:10],
        )
        for draft in drafts[:10]
    ]
    return "\n".join([t.plural("digest.stale_drafts", len(drafts)), *lines])


def render_survey_progress(surveys: list[SurveyProgress], t: Translate) -> str | None:
    if not surveys:
        return None
    lines = [
        t(
            "digest.survey_line",
            title=html.escape(survey.title),
            week=survey.this_week,
            total=survey.completed,
        )
        for survey in surveys[:10]
    ]
    return "\n".join([t("digest.surveys_heading"), *lines])
