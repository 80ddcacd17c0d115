"""Polite refusals for commands the user may not use (the filters live in bot/access.py)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.access import ADMIN_COMMANDS, STAFF_COMMANDS
from bot.i18n import Translate


async def staff_only(message: Message, t: Translate) -> None:
    await message.answer(t("access.staff_only"))


async def owner_only(message: Message, t: Translate) -> None:
    await message.answer(t("access.owner_only"))


async def admin_only(message: Message, t: Translate) -> None:
    await message.answer(t("access.admin_only"))


def create_router() -> Router:
    """Included after every feature router: reached only when their filters refused."""
    router = Router(name="access")
    router.message.register(owner_only, Command("invite", "progress"))
    router.message.register(staff_only, Command(*STAFF_COMMANDS))
    router.message.register(admin_only, Command(*ADMIN_COMMANDS))
    return router
