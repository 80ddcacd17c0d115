"""/start, /help, /language, /cancel: commands that work in any state."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.repositories import User
from bot.i18n import SUPPORTED_LOCALES, Translate, Translator
from bot.services.reports import StrategyReports
from handlers.strategy.callbacks import LanguageCb, StrategyCb
from handlers.strategy.flow import WizardFlow
from handlers.strategy.labels import show_completed, strategies_keyboard


async def start(message: Message, flow: WizardFlow, user: User) -> None:
    data = await flow.state.get_data()
    if await flow.state.get_state() is not None and data.get("strategy_id"):
        strategy = await flow.wizard.repo.strategies.get_for_user(
            int(data["strategy_id"]), user.id
        )
        if strategy is not None and not strategy.is_complete:
            await message.answer(flow.t("msg.resume"))
            await flow.resume(strategy)
            return
    strategies = await flow.wizard.repo.strategies.of_user(user.id)
    if not strategies:
        await message.answer(flow.t("msg.welcome"))
        await begin_strategy(flow, user)
        return
    keyboard = await strategies_keyboard(flow.wizard.repo, strategies, flow.t)
    await message.answer(flow.t("msg.strategies_list"), reply_markup=keyboard)


async def begin_strategy(flow: WizardFlow, user: User) -> None:
    strategy = await flow.wizard.start_strategy(user.id)
    answers = await flow.wizard.answers(strategy.id)
    question = flow.questionnaire.first_unanswered(answers)
    assert question is not None  # a new strategy always has its goals unanswered
    await flow.state.clear()
    await flow.ask(strategy, question, answers=answers)


async def open_strategy(
    callback: CallbackQuery,
    callback_data: StrategyCb,
    *,
    flow: WizardFlow,
    user: User,
    reports: StrategyReports,
) -> None:
    await callback.answer()
    if callback_data.action == "new":
        await begin_strategy(flow, user)
        return
    strategy = await flow.wizard.repo.strategies.get_for_user(callback_data.s, user.id)
    if strategy is None:
        await flow.send(flow.t("cb.unknown"))
    elif strategy.is_complete:
        await show_completed(flow, strategy, reports)
    else:
        await flow.resume(strategy)


async def help_command(message: Message, t: Translate) -> None:
    await message.answer(t("msg.help"))


async def language_command(message: Message, t: Translate) -> None:
    builder = InlineKeyboardBuilder()
    for code in SUPPORTED_LOCALES:
        builder.button(text=t(f"btn.lang_{code}"), callback_data=LanguageCb(code=code))
    await message.answer(t("msg.choose_language"), reply_markup=builder.as_markup())


async def set_language(
    callback: CallbackQuery, callback_data: LanguageCb, flow: WizardFlow, i18n: I18n
) -> None:
    await callback.answer()
    if callback_data.code not in SUPPORTED_LOCALES:
        return
    await flow.wizard.repo.users.set_language(callback.from_user.id, callback_data.code)
    await flow.send(Translator(i18n, callback_data.code)("msg.language_set"))


async def cancel(message: Message, flow: WizardFlow) -> None:
    if await flow.state.get_state() is None:
        await message.answer(flow.t("msg.nothing_to_cancel"))
        return
    # Answers live in the database; only the place in the wizard is forgotten.
    await flow.state.clear()
    await message.answer(flow.t("msg.cancelled"))


def create_router() -> Router:
    router = Router(name="common")
    router.message.register(start, CommandStart())
    router.message.register(help_command, Command("help"))
    router.message.register(language_command, Command("language"))
    router.message.register(cancel, Command("cancel"))
    router.callback_query.register(set_language, LanguageCb.filter())
    router.callback_query.register(open_strategy, StrategyCb.filter(F.action.in_({"open", "new"})))
    return router
