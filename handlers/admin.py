"""Commands for bot admins (ADMIN_IDS); everyone else is refused in handlers/access.py."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.access import IsAdmin
from bot.clock import utc_now
from bot.db.repositories import Repositories
from bot.db.stats import BotStats
from bot.i18n import Translate


async def stats(message: Message, *, repo: Repositories, t: Translate) -> None:
    await message.answer(render_stats(await repo.stats.collect(utc_now()), t))


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


def create_router() -> Router:
    router = Router(name="admin")
    router.message.register(stats, Command("stats"), IsAdmin())
    return router
