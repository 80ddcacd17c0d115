"""The monthly check-in: followers per network of the plan (Telegram's own count for a
linked channel), optionally the month's reach, then the chart and a verdict per KPI."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access import IsOwner
from bot.db.repositories import Library
from bot.i18n import Translate
from bot.plan.progress import previous_month
from bot.services.plans import PlanService
from handlers.plan.callbacks import InPlanState, PlanCb, PlanStates, plan_context
from handlers.plan.telegram import TelegramChannels

MAX_COUNT = 100_000_000


def _number(text: str) -> int | None:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    # Plain ASCII digits only: "²" passes isdigit() and then breaks int().
    if not cleaned or not cleaned.isascii() or not cleaned.isdigit():
        return None
    value = int(cleaned)
    return value if value <= MAX_COUNT else None


async def _ask(bot: Bot, chat_id: int, network: str, t: Translate) -> None:
    await bot.send_message(
        chat_id, t("plan.checkin.ask_followers", network=t(f"opt.net.{network}"))
    )


async def start_checkin(
    callback: CallbackQuery,
    callback_data: PlanCb,
    *,
    bot: Bot,
    libraries: list[Library],
    plans: PlanService,
    state: FSMContext,
    t: Translate,
) -> None:
    library = next((lib for lib in libraries if str(lib.id) == callback_data.v), None)
    goals = await plans.goals(library.id) if library else None
    if library is None or goals is None:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    await callback.answer()
    counted = await plans.counted_by_telegram(TelegramChannels(bot), library.id)
    pending = [n for n in goals.networks if n not in counted]
    month = previous_month(await plans.today(library.id))
    context = plan_context(state)
    await context.set_state(PlanStates.checkin)
    await context.set_data(
        {"library": library.id, "month": month, "pending": pending, "values": counted}
    )
    intro = [t("plan.checkin.intro")]
    intro += [
        t("plan.checkin.counted", network=t(f"opt.net.{n}"), followers=v)
        for n, v in counted.items()
    ]
    await bot.send_message(callback.from_user.id, "\n".join(intro))
    if pending:
        await _ask(bot, callback.from_user.id, pending[0], t)
    else:
        await _ask_reach(bot, callback.from_user.id, context, t)


async def _ask_reach(bot: Bot, chat_id: int, context: FSMContext, t: Translate) -> None:
    await context.set_state(PlanStates.reach)
    builder = InlineKeyboardBuilder()
    builder.button(text=t("plan.btn.skip_reach"), callback_data=PlanCb(a="cr"))
    await bot.send_message(chat_id, t("plan.checkin.ask_reach"), reply_markup=builder.as_markup())


async def followers_given(
    message: Message, *, bot: Bot, plans: PlanService, state: FSMContext, t: Translate
) -> None:
    value = _number(message.text or "")
    if value is None:
        await message.answer(t("plan.checkin.not_a_number", limit=MAX_COUNT))
        return
    context = plan_context(state)
    data = await context.get_data()
    pending: list[str] = list(data.get("pending", []))
    if not pending:
        await context.clear()
        return
    values = dict(data.get("values", {}))
    values[pending.pop(0)] = value
    await context.update_data(pending=pending, values=values)
    if pending:
        await _ask(bot, message.chat.id, pending[0], t)
    else:
        await _ask_reach(bot, message.chat.id, context, t)


async def reach_given(
    message: Message, *, bot: Bot, plans: PlanService, state: FSMContext, t: Translate
) -> None:
    value = _number(message.text or "")
    if value is None:
        await message.answer(t("plan.checkin.not_a_number", limit=MAX_COUNT))
        return
    await _finish(bot, message.chat.id, plans, plan_context(state), reach=value, t=t)


async def reach_skipped(
    callback: CallbackQuery, *, bot: Bot, plans: PlanService, state: FSMContext, t: Translate
) -> None:
    context = plan_context(state)
    if await context.get_state() != PlanStates.reach.state:
        await callback.answer(t("cb.stale"))
        return
    await callback.answer()
    await _finish(bot, callback.from_user.id, plans, context, reach=None, t=t)


async def _finish(
    bot: Bot,
    chat_id: int,
    plans: PlanService,
    context: FSMContext,
    *,
    reach: int | None,
    t: Translate,
) -> None:
    data = await context.get_data()
    await context.clear()
    library_id = int(data["library"])
    values = {str(k): int(v) for k, v in dict(data.get("values", {})).items()}
    await plans.save_checkin(library_id, str(data["month"]), values, reach)
    await send_progress(bot, chat_id, plans, library_id, t)


async def send_progress(
    bot: Bot, chat_id: int, plans: PlanService, library_id: int, t: Translate
) -> None:
    result = await plans.progress(library_id, t)
    if result is None:
        await bot.send_message(chat_id, t("plan.none"))
        return
    text, png = result
    await bot.send_message(chat_id, text)
    await bot.send_photo(chat_id, BufferedInputFile(png, filename="progress.png"))


async def progress_command(
    message: Message, *, bot: Bot, libraries: list[Library], plans: PlanService, t: Translate
) -> None:
    for library in libraries:
        if await plans.goals(library.id) is not None:
            await send_progress(bot, message.chat.id, plans, library.id, t)
            builder = InlineKeyboardBuilder()
            builder.button(
                text=t("plan.btn.checkin"), callback_data=PlanCb(a="ci", v=str(library.id))
            )
            await message.answer(t("plan.checkin.offer"), reply_markup=builder.as_markup())
            return
    await message.answer(t("plan.none"))


async def cancel(message: Message, *, state: FSMContext, t: Translate) -> None:
    await plan_context(state).clear()
    await message.answer(t("plan.checkin.cancelled"))


def create_router() -> Router:
    router = Router(name="plan-progress")
    asking = InPlanState(PlanStates.checkin, PlanStates.reach)
    router.message.register(cancel, Command("cancel"), asking)
    router.message.register(
        followers_given, InPlanState(PlanStates.checkin), F.text, ~F.text.startswith("/")
    )
    router.message.register(
        reach_given, InPlanState(PlanStates.reach), F.text, ~F.text.startswith("/")
    )
    router.message.register(progress_command, Command("progress"), IsOwner())
    router.callback_query.register(start_checkin, PlanCb.filter(F.a == "ci"), IsOwner())
    router.callback_query.register(reach_skipped, PlanCb.filter(F.a == "cr"))
    return router
