"""Linking the library's Telegram channel (or group): a forwarded post or its @username.

The bot must be an administrator allowed to post there, and so must the librarian: a
colleague cannot point the library's posts at a channel that is not theirs.
"""

from __future__ import annotations

import html

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    Chat,
    Message,
    MessageOriginChannel,
    MessageOriginChat,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access import IsStaff
from bot.db.repositories import Library, Repositories
from bot.i18n import Translate
from bot.plan.buttons import PlanAction
from bot.plan.rights import check_rights
from handlers.message_edits import edit_text
from handlers.plan.callbacks import InPlanState, PlanCb, PlanStates, plan_context
from handlers.plan.telegram import TelegramChannels

USERNAME_MAX = 32


def _library(callback_data: PlanCb, libraries: list[Library]) -> Library | None:
    return next((lib for lib in libraries if str(lib.id) == callback_data.value), None)


async def channel_menu(
    callback: CallbackQuery,
    callback_data: PlanCb,
    *,
    libraries: list[Library],
    repo: Repositories,
    state: FSMContext,
    t: Translate,
) -> None:
    library = _library(callback_data, libraries)
    if library is None:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    await callback.answer()
    channel = await repo.plans.channel(library.id)
    builder = InlineKeyboardBuilder()
    if channel is None:
        text = t("plan.channel.ask")
    else:
        name = html.escape(channel.title or channel.username or str(channel.chat_id))
        text = t("plan.channel.linked", name=name) + "\n\n" + t("plan.channel.ask_other")
        builder.button(
            text=t("plan.btn.unlink"),
            callback_data=PlanCb(action=PlanAction.UNLINK, value=str(library.id)),
        )
    builder.button(text=t("plan.btn.open_plan"), callback_data=PlanCb(action=PlanAction.WEEK))
    builder.adjust(1)
    context = plan_context(state)
    await context.set_state(PlanStates.channel)
    await context.set_data({"library": library.id})
    await edit_text(callback, text, builder.as_markup())


async def unlink(
    callback: CallbackQuery,
    callback_data: PlanCb,
    *,
    libraries: list[Library],
    repo: Repositories,
    state: FSMContext,
    t: Translate,
) -> None:
    library = _library(callback_data, libraries)
    if library is None:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    await repo.plans.unlink_channel(library.id)
    await plan_context(state).clear()
    await callback.answer()
    await edit_text(callback, t("plan.channel.unlinked"))


def _forwarded_chat(message: Message) -> Chat | None:
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel):
        return origin.chat
    if isinstance(origin, MessageOriginChat):
        return origin.sender_chat
    return None


async def channel_given(
    message: Message,
    *,
    bot: Bot,
    libraries: list[Library],
    repo: Repositories,
    state: FSMContext,
    t: Translate,
) -> None:
    context = plan_context(state)
    library_id = (await context.get_data()).get("library")
    library = next((lib for lib in libraries if lib.id == library_id), None)
    if library is None or message.from_user is None:
        await context.clear()
        await message.answer(t("cb.unknown"))
        return
    chat = _forwarded_chat(message)
    if chat is None:
        text = (message.text or "").strip()
        name = text.removeprefix("https://t.me/").removeprefix("t.me/").removeprefix("@")
        if not text or len(name) > USERNAME_MAX or not name.replace("_", "").isalnum():
            await message.answer(t("plan.channel.expected"))
            return
        try:
            chat = await bot.get_chat(f"@{name}")
        except TelegramAPIError:
            await message.answer(t("plan.channel.not_found", name=html.escape(name)))
            return
    if chat.type not in {"channel", "group", "supergroup"}:
        await message.answer(t("plan.channel.expected"))
        return
    problem = await check_rights(TelegramChannels(bot), chat.id, message.from_user.id)
    if problem is not None:
        # The state stays: fix the rights in Telegram and send the post again.
        await message.answer(t(f"plan.publish_error.{problem}"))
        return
    title = chat.title or chat.username or ""
    await repo.plans.link_channel(
        library.id, chat.id, title, chat.username or "", message.from_user.id
    )
    await context.clear()
    await message.answer(t("plan.channel.done", name=html.escape(title)))


async def cancel(message: Message, *, state: FSMContext, t: Translate) -> None:
    await plan_context(state).clear()
    await message.answer(t("plan.edit.cancelled"))


def create_router() -> Router:
    router = Router(name="plan-channel")
    linking = InPlanState(PlanStates.channel)
    router.message.register(cancel, Command("cancel"), linking)
    router.message.register(channel_given, linking, ~F.text.startswith("/"), IsStaff())
    router.callback_query.register(
        channel_menu, PlanCb.filter(F.action == PlanAction.CHANNEL), IsStaff()
    )
    router.callback_query.register(unlink, PlanCb.filter(F.action == PlanAction.UNLINK), IsStaff())
    return router
