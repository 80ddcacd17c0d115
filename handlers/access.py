"""Polite refusals for commands the user may not use (the filters live in bot/access.py).

A member of several libraries who has not chosen one is not refused but asked which one.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.access import ADMIN_COMMANDS, OWNER_COMMANDS, STAFF_COMMANDS
from bot.db.repositories import Repositories, User
from bot.i18n import Translate
from handlers.library import ask_to_choose


async def _asked_to_choose(
    message: Message, user: User, repo: Repositories, bot: Bot, t: Translate
) -> bool:
    libraries = await repo.libraries.of_user(user.id)
    if len(libraries) > 1 and await repo.libraries.current(user.id) is None:
        await ask_to_choose(bot, message.chat.id, libraries, t)
        return True
    return False


async def staff_only(
    message: Message, user: User, repo: Repositories, bot: Bot, t: Translate
) -> None:
    if not await _asked_to_choose(message, user, repo, bot, t):
        await message.answer(t("access.staff_only"))


async def owner_only(
    message: Message, user: User, repo: Repositories, bot: Bot, t: Translate
) -> None:
    if not await _asked_to_choose(message, user, repo, bot, t):
        await message.answer(t("access.owner_only"))


async def admin_only(message: Message, t: Translate) -> None:
    await message.answer(t("access.admin_only"))


def create_router() -> Router:
    """Included after every feature router: reached only when their filters refused."""
    router = Router(name="access")
    router.message.register(owner_only, Command(*OWNER_COMMANDS))
    router.message.register(staff_only, Command(*STAFF_COMMANDS))
    router.message.register(admin_only, Command(*ADMIN_COMMANDS))
    return router
