"""Sending a file a handler builds on request: "sending a file…" while it is built, then the
document (or picture) with its caption. The strategy's files, the library's ZIP and the
network's sheet all go this way."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiogram import Bot
from aiogram.enums import ChatAction
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from aiogram.utils.chat_action import ChatActionSender

ACTION_INTERVAL = 4.0
"""Telegram shows a chat action for about five seconds: repeat it while files are built."""


@asynccontextmanager
async def uploading(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Shows "sending a file…" at once and then every few seconds while the body runs (the
    builders themselves work in threads: the event loop keeps serving other chats)."""
    await bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
    async with ChatActionSender.upload_document(
        chat_id=chat_id, bot=bot, interval=ACTION_INTERVAL, initial_sleep=ACTION_INTERVAL
    ):
        yield


async def send_file(
    bot: Bot,
    chat_id: int,
    data: bytes,
    filename: str,
    *,
    caption: str,
    reply_markup: InlineKeyboardMarkup | None = None,
    photo: bool = False,
) -> None:
    """One built file, as a document (or, ``photo``, as a picture shown in the chat)."""
    upload = BufferedInputFile(data, filename=filename)
    if photo:
        await bot.send_photo(chat_id, upload, caption=caption, reply_markup=reply_markup)
    else:
        await bot.send_document(chat_id, upload, caption=caption, reply_markup=reply_markup)
