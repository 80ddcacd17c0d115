"""Last resort answers: unknown buttons and messages outside any conversation."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translate


async def unknown_callback(callback: CallbackQuery, t: Translate) -> None:
    # Forged or outdated callback data: say so, never raise.
    await callback.answer(t("cb.unknown"), show_alert=True)


async def unknown_message(message: Message, t: Translate) -> None:
    await message.answer(t("msg.unknown_text"))


def create_router() -> Router:
    router = Router(name="fallback")
    router.callback_query.register(unknown_callback)
    router.message.register(unknown_message)
    return router
