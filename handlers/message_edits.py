"""What a message shows (a ``Screen``), and editing the message a button was pressed on,
where Telegram may refuse harmlessly."""

from __future__ import annotations

from typing import NamedTuple

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

# What Telegram says about an edit that is pointless or too late; anything else (HTML it
# cannot parse, text too long) is a bug and goes to the error handler like any failure.
_HARMLESS = ("message is not modified", "message to edit not found", "message can't be edited")


class Screen(NamedTuple):
    """A message's text and buttons, as the wizard's and the survey's views draw them."""

    text: str
    markup: InlineKeyboardMarkup | None = None


def _harmless(error: TelegramBadRequest) -> bool:
    return any(reason in error.message for reason in _HARMLESS)


def message_of(callback: CallbackQuery) -> Message | None:
    """The pressed message, unless it is too old for the bot to see (InaccessibleMessage)."""
    return callback.message if isinstance(callback.message, Message) else None


async def pressed_message(callback: CallbackQuery) -> Message | None:
    """Answer the press (the button stops spinning) and give the pressed message, if seen."""
    await callback.answer()
    return message_of(callback)


async def edit_text(
    callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the pressed message; an old or unchanged message is not an error for the user."""
    message = message_of(callback)
    if message is None:
        return
    try:
        await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        if not _harmless(error):
            raise


async def edit_markup(callback: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    """New buttons (or none) under the pressed message; "not modified" is not an error."""
    message = message_of(callback)
    if message is None:
        return
    try:
        await message.edit_reply_markup(reply_markup=markup)
    except TelegramBadRequest as error:
        if not _harmless(error):
            raise
