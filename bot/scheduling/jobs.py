"""The scheduler's maintenance jobs: surveys closing on their date, old notifications and
ids of handled updates cleared, the daily database copy. (The weekly digest: ``digest``.)"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from bot.clock import to_db, utc_now
from bot.db.backup import backup_into_dir
from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.outbox.repository import KEEP_FINISHED, Outbox
from bot.scheduling.scheduler import Job, JobRun
from bot.services.notifier import Notifier
from bot.services.surveys import announce_closed
from bot.survey.stats import MIN_RESULTS

logger = logging.getLogger(__name__)


async def close_due_surveys(
    repo: Repositories, notifier: Notifier, *, min_results: int = MIN_RESULTS
) -> list[int]:
    """Close surveys whose closing date has passed and send their results; for the scheduler.

    Safe to call every few minutes from any number of workers: each survey is closed by
    exactly one UPDATE, and the announcement is deduplicated in the outbox.
    """
    closed = await repo.surveys.close_due()
    for survey in closed:
        await announce_closed(repo, notifier, survey, min_results=min_results)
    return [survey.id for survey in closed]


SURVEY_CLOSING_INTERVAL = timedelta(minutes=5)


def survey_closing_job(repo: Repositories, notifier: Notifier, *, min_results: int) -> Job:
    """Surveys past their closing date are closed and their results sent, every 5 minutes."""

    async def next_run(scope: str, after: datetime) -> datetime:
        return after + SURVEY_CLOSING_INTERVAL

    async def run(job_run: JobRun) -> None:
        await close_due_surveys(repo, notifier, min_results=min_results)

    return Job("survey-closing", next_run, run)


OUTBOX_PURGE_INTERVAL = timedelta(days=1)
OUTBOX_KEEP = KEEP_FINISHED
"""Sent, failed and blocked notifications (files included) are kept this long: longer than
any dedupe key matters (digest keys name their week)."""


def outbox_purge_job(outbox: Outbox, now: Callable[[], datetime] = utc_now) -> Job:
    """Once a day, finished outbox rows older than ``OUTBOX_KEEP`` go, with their files."""

    async def next_run(scope: str, after: datetime) -> datetime:
        return after + OUTBOX_PURGE_INTERVAL

    async def run(job_run: JobRun) -> None:
        purged = await outbox.purge_finished(before=now() - OUTBOX_KEEP)
        if purged:
            logger.info("outbox purged", extra={"rows": purged})

    return Job("outbox-purge", next_run, run)


PROCESSED_UPDATES_KEEP = timedelta(days=2)
"""Telegram redelivers an unconfirmed update for up to a day; two days of ids is plenty."""


def processed_updates_purge_job(db: Database, now: Callable[[], datetime] = utc_now) -> Job:
    """Once a day, ids of updates handled more than ``PROCESSED_UPDATES_KEEP`` ago go."""

    async def next_run(scope: str, after: datetime) -> datetime:
        return after + OUTBOX_PURGE_INTERVAL

    async def run(job_run: JobRun) -> None:
        await db.execute(
            "DELETE FROM processed_updates WHERE handled_at < ?",
            (to_db(now() - PROCESSED_UPDATES_KEEP),),
        )

    return Job("processed-updates-purge", next_run, run)


BACKUP_INTERVAL = timedelta(days=1)


def backup_job(database: Path, directory: Path, *, keep: int) -> Job:
    """Once a day a consistent copy goes into ``directory``; the newest ``keep`` stay."""

    async def next_run(scope: str, after: datetime) -> datetime:
        return after + BACKUP_INTERVAL

    async def run(job_run: JobRun) -> None:
        copy = await asyncio.to_thread(backup_into_dir, database, directory, keep=keep)
        logger.info("database backed up", extra={"copy": str(copy)})

    return Job("backup", next_run, run)
