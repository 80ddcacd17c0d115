"""The plan's scheduled work: the week's posts at each library's weekly local time, and
every minute the reminders due, the channel posts due and the outcome of those sent.

The weekly job's scope names the library, its chosen weekday and hour, and its time zone,
so a changed setting or zone is a new scope with a fresh slot instead of a stale one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db.repositories import Library, Repositories
from bot.domain.translate import Translate
from bot.domain.zones import library_zone
from bot.plan.progress import next_checkin
from bot.plan.rights import ChannelAccess
from bot.scheduling.digest import Section
from bot.scheduling.scheduler import Job, JobRun
from bot.scheduling.weekly import next_weekly_run
from bot.services.notifier import Notifier
from bot.services.plan_texts import library_week_line, network_text
from bot.services.plans import PlanService

PLAN_WEEK_JOB = "plan-week"
PLAN_TICK_JOB = "plan-tick"
PLAN_CHECKIN_JOB = "plan-checkin"
PLAN_NETWORK_JOB = "plan-network"
TICK = timedelta(minutes=1)


def _scope(library_id: int, weekday: int, hour: int, timezone: str) -> str:
    return f"{library_id}@{weekday}:{hour}:{timezone}"


def _parse(scope: str) -> tuple[int, int, int, str]:
    library, rest = scope.split("@", 1)
    weekday, hour, timezone = rest.split(":", 2)
    return int(library), int(weekday), int(hour), timezone


def plan_week_job(repo: Repositories, plans: PlanService) -> Job:
    async def scopes() -> Iterable[str]:
        out = []
        for plan in await repo.plans.all():
            library = await repo.libraries.get(plan.library_id)
            if library is not None:
                out.append(
                    _scope(plan.library_id, plan.week_weekday, plan.week_hour, library.timezone)
                )
        return out

    async def next_run(scope: str, after: datetime) -> datetime:
        _, weekday, hour, timezone = _parse(scope)
        return next_weekly_run(after, weekday, hour, library_zone(timezone))

    async def run(job_run: JobRun) -> None:
        library_id, *_ = _parse(job_run.scope)
        await plans.send_week(library_id, job_run.key)

    return Job(PLAN_WEEK_JOB, next_run=next_run, run=run, scopes=scopes)


def plan_checkin_job(repo: Repositories, plans: PlanService) -> Job:
    """On the first of each month at 10:00 local, owners are asked for their numbers."""

    async def scopes() -> Iterable[str]:
        out = []
        for plan in await repo.plans.all():
            library = await repo.libraries.get(plan.library_id)
            if library is not None:
                out.append(f"{plan.library_id}@{library.timezone}")
        return out

    async def next_run(scope: str, after: datetime) -> datetime:
        return next_checkin(after, library_zone(scope.split("@", 1)[1]))

    async def run(job_run: JobRun) -> None:
        await plans.send_checkin_invites(int(job_run.scope.split("@", 1)[0]), job_run.key)

    return Job(PLAN_CHECKIN_JOB, next_run=next_run, run=run, scopes=scopes)


def plan_tick_job(plans: PlanService, channels: ChannelAccess) -> Job:
    async def next_run(scope: str, after: datetime) -> datetime:
        return after + TICK

    async def run(job_run: JobRun) -> None:
        await plans.send_due_reminders()
        await plans.publish_due(channels)
        await plans.settle_published()
        await plans.send_due_reviews()

    return Job(PLAN_TICK_JOB, next_run=next_run, run=run)


def plan_digest_section(plans: PlanService) -> Section:
    """The library's own digest: last week's posts and every KPI of its plan."""

    async def section(library: Library, t: Translate) -> str | None:
        row = await plans.library_week(library.id)
        if row is None:
            return None
        return t("plan.network.digest_heading") + "\n" + library_week_line(row, t)

    return section


def plan_network_job(plans: PlanService, notifier: Notifier, *, weekday: int, hour: int) -> Job:
    """Admins' weekly view of every library's plan (UTC: admins have no library zone)."""

    async def next_run(scope: str, after: datetime) -> datetime:
        return next_weekly_run(after, weekday, hour, ZoneInfo("UTC"))

    async def run(job_run: JobRun) -> None:
        summary = await plans.network()
        if not summary.libraries:
            return
        await notifier.tell_many(
            sorted(notifier.admin_ids),
            lambda t: t("plan.network.heading") + "\n" + network_text(summary, t),
            dedupe_key=job_run.key,
        )

    return Job(PLAN_NETWORK_JOB, next_run=next_run, run=run)
