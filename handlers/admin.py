"""Commands for bot admins (ADMIN_IDS); everyone else is refused in handlers/access.py."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.access import IsAdmin
from bot.db.repositories import Repositories
from bot.i18n import Translate
from bot.plan_service import PlanService, network_text
from bot.scheduling.clock import utc_now
from bot.stats import collect_stats, render_stats


async def stats(message: Message, *, repo: Repositories, plans: PlanService, t: Translate) -> None:
    text = render_stats(await collect_stats(repo.db, utc_now()), t)
    summary = await plans.network()
    if summary.libraries:
        # The same totals as the admins' weekly view of the plans.
        text += (
            "\n\n" + t("plan.network.heading") + "\n" + network_text(summary, t, per_library=False)
        )
    await message.answer(text)


def create_router() -> Router:
    router = Router(name="admin")
    router.message.register(stats, Command("stats"), IsAdmin())
    return router
