"""Commands for bot admins (ADMIN_IDS); everyone else is refused in handlers/access.py."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.access import IsAdmin
from bot.clock import utc_now
from bot.db.repositories import Repositories
from bot.i18n import Translate
from bot.stats import collect_stats, render_stats


async def stats(message: Message, *, repo: Repositories, t: Translate) -> None:
    await message.answer(render_stats(await collect_stats(repo.db, utc_now()), t))


def create_router() -> Router:
    router = Router(name="admin")
    router.message.register(stats, Command("stats"), IsAdmin())
    return router
