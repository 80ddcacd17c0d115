"""The monthly check-in: followers per network of the plan (Telegram's own count for a
linked channel), then, each skippable, what the strategy's other KPIs need (a post's reach
per network, its interactions, clicks, event visitors: bot.plan.checkin), then the chart
and a verdict per KPI."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access import IsOwner
from bot.db.repositories import Library
from bot.i18n import Translate
from bot.plan.buttons import PlanAction
from bot.plan.checkin import (
    ATTENDEES,
    FOLLOWERS,
    Ask,
    after_skip,
    checkin_asks,
    numbers_from,
    refusal,
)
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


async def _ask(bot: Bot, chat_id: int, ask: Ask, t: Translate) -> None:
    key = f"plan.checkin.ask_{ask.field}"
    text = t(key, network=t(f"opt.net.{ask.network}")) if ask.network else t(key)
    markup = None
    if ask.optional:
        builder = InlineKeyboardBuilder()
        builder.button(
            text=t("plan.btn.skip_reach"), callback_data=PlanCb(action=PlanAction.SKIP_NUMBER)
        )
        markup = builder.as_markup()
    await bot.send_message(chat_id, text, reply_markup=markup)


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
    library = next((lib for lib in libraries if str(lib.id) == callback_data.value), None)
    goals = await plans.goals(library.id) if library else None
    if library is None or goals is None:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    await callback.answer()
    counted = await plans.counted_by_telegram(TelegramChannels(bot), library.id)
    asks = checkin_asks(goals, counted)
    month = previous_month(await plans.today(library.id))
    context = plan_context(state)
    await context.set_state(PlanStates.checkin)
    await context.set_data(
        {
            "library": library.id,
            "month": month,
            "asks": [ask.key for ask in asks],
            "values": {Ask(FOLLOWERS, n).key: v for n, v in counted.items()},
        }
    )
    intro = [t("plan.checkin.intro")]
    intro += [
        t("plan.checkin.counted", network=t(f"opt.net.{n}"), followers=v)
        for n, v in counted.items()
    ]
    await bot.send_message(callback.from_user.id, "\n".join(intro))
    await _next(bot, callback.from_user.id, plans, context, asks, t=t)


async def _next(
    bot: Bot,
    chat_id: int,
    plans: PlanService,
    context: FSMContext,
    asks: list[Ask],
    *,
    t: Translate,
) -> None:
    """Ask the next question, or, when none is left, keep the numbers and show progress."""
    if asks:
        await context.update_data(asks=[ask.key for ask in asks])
        await _ask(bot, chat_id, asks[0], t)
        return
    data = await context.get_data()
    await context.clear()
    library_id = int(data["library"])
    values = {str(k): int(v) for k, v in dict(data.get("values", {})).items()}
    await plans.save_checkin(library_id, str(data["month"]), numbers_from(values))
    await send_progress(bot, chat_id, plans, library_id, t)


async def _pending(context: FSMContext) -> tuple[list[Ask], dict[str, int]]:
    data = await context.get_data()
    asks = [Ask.from_key(str(key)) for key in data.get("asks", [])]
    return asks, {str(k): int(v) for k, v in dict(data.get("values", {})).items()}


async def number_given(
    message: Message, *, bot: Bot, plans: PlanService, state: FSMContext, t: Translate
) -> None:
    value = _number(message.text or "")
    if value is None:
        await message.answer(t("plan.checkin.not_a_number", limit=MAX_COUNT))
        return
    context = plan_context(state)
    asks, values = await _pending(context)
    if not asks:
        # A check-in begun before this version kept no questions: begin again from the button.
        await context.clear()
        await message.answer(t("plan.checkin.cancelled"))
        return
    refused = refusal(asks[0], value, values)
    if refused is not None:
        await message.answer(t(refused, visitors=values.get(ATTENDEES, 0)))
        return
    values[asks[0].key] = value
    await context.update_data(values=values)
    await _next(bot, message.chat.id, plans, context, asks[1:], t=t)


async def number_skipped(
    callback: CallbackQuery, *, bot: Bot, plans: PlanService, state: FSMContext, t: Translate
) -> None:
    context = plan_context(state)
    asks, _ = await _pending(context)
    if await context.get_state() != PlanStates.checkin.state or not asks or not asks[0].optional:
        await callback.answer(t("cb.stale"))
        return
    await callback.answer()
    await _next(bot, callback.from_user.id, plans, context, after_skip(asks, asks[0]), t=t)


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
                text=t("plan.btn.checkin"),
                callback_data=PlanCb(action=PlanAction.CHECKIN, value=str(library.id)),
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
    router.message.register(number_given, asking, F.text, ~F.text.startswith("/"))
    router.message.register(progress_command, Command("progress"), IsOwner())
    router.callback_query.register(
        start_checkin, PlanCb.filter(F.action == PlanAction.CHECKIN), IsOwner()
    )
    router.callback_query.register(
        number_skipped, PlanCb.filter(F.action == PlanAction.SKIP_NUMBER)
    )
    return router
