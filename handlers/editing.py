"""Editing the message a button was pressed on, where Telegram may refuse harmlessly."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message


def message_of(callback: CallbackQuery) -> Message | None:
    """The pressed message, unless it is too old for the bot to see (InaccessibleMessage)."""
    return callback.message if isinstance(callback.message, Message) else None


async def edit_text(
    callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the pressed message; an old or unchanged message is not an error for the user."""
    message = message_of(callback)
    if message is None:
        return
    with contextlib.suppress(TelegramBadRequest):
        await message.edit_text(text, reply_markup=markup)


async def edit_markup(callback: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    """New buttons (or none) under the pressed message; "not modified" is not an error."""
    message = message_of(callback)
    if message is None:
        return
    with contextlib.suppress(TelegramBadRequest):
        await message.edit_reply_markup(reply_markup=markup)
