"""/start, /help, /language, /cancel: commands that work in any state."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from bot.access import Role, role_of
from bot.db.repositories import Repositories, User
from bot.i18n import SUPPORTED_LOCALES, Translate, Translator
from bot.menus import CommandMenus
from bot.readers import LANGUAGE_KEY
from bot.services.reports import StrategyReports
from handlers.keyboards import Keyboard
from handlers.library import ask_to_choose
from handlers.strategy.callbacks import StrategyAction, StrategyCb
from handlers.strategy.flow import WizardFlow
from handlers.strategy.labels import library_strategies, show_completed, strategies_keyboard


class LanguageCb(CallbackData, prefix="lang"):
    """A language to speak (one of SUPPORTED_LOCALES; anything else is refused politely)."""

    code: str


async def start(
    message: Message, flow: WizardFlow, user: User, menus: CommandMenus, *, repo: Repositories
) -> None:
    data = await flow.state.get_data()
    if await flow.state.get_state() is not None and data.get("strategy_id"):
        strategy = await repo.strategies.get_for_user(int(data["strategy_id"]), user.id)
        if strategy is not None and not strategy.is_complete:
            await message.answer(flow.t("msg.resume"))
            await flow.resume(strategy)
            return
    libraries = await repo.libraries.of_user(user.id)
    library = await repo.libraries.current(user.id)
    if libraries and library is None:
        await ask_to_choose(flow.bot, flow.chat_id, libraries, flow.t)
        return
    strategies = await library_strategies(repo, library)
    if not strategies:
        await message.answer(flow.t("msg.welcome"))
        await begin_strategy(flow, user, menus, repo=repo)
        return
    keyboard = await strategies_keyboard(repo, strategies, flow.t)
    await message.answer(flow.t("msg.strategies_list"), reply_markup=keyboard)


async def begin_strategy(
    flow: WizardFlow, user: User, menus: CommandMenus, *, repo: Repositories
) -> None:
    """A new strategy in the library the user works in (founding one if they have none)."""
    # Starting a strategy makes a reader staff: from here on they have a users row.
    user = await repo.users.become_staff(user)
    libraries = await repo.libraries.of_user(user.id)
    library = await repo.libraries.current(user.id)
    if libraries and library is None:
        await ask_to_choose(flow.bot, flow.chat_id, libraries, flow.t)
        return
    strategy = await flow.wizard.start_strategy(user.id, library)
    if library is None:
        await menus.refresh(flow.bot, user.id)  # founded a library: staff from now on
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
    menus: CommandMenus,
    repo: Repositories,
) -> None:
    await callback.answer()
    if callback_data.action == StrategyAction.NEW:
        await begin_strategy(flow, user, menus, repo=repo)
        return
    strategy = await repo.strategies.get_for_user(callback_data.strategy_id, user.id)
    if strategy is None:
        await flow.send(flow.t("cb.unknown"))
    elif strategy.is_complete:
        await show_completed(flow, strategy, reports, repo=repo)
    else:
        await flow.resume(strategy)


async def help_command(
    message: Message, user: User, repo: Repositories, admin_ids: frozenset[int], t: Translate
) -> None:
    """Every command this user may use, and the rules that decide who may do what."""
    await message.answer(help_text(await role_of(user.id, repo, admin_ids), t))


def help_text(role: Role, t: Translate) -> str:
    lines = [f"/{name} — {t(f'cmd.{name}')}" for name in role.commands]
    parts = [t("help.intro"), "\n".join(lines)]
    if role.staff:
        parts.append(t("help.rules"))
    return "\n\n".join(parts)


async def language_command(message: Message, t: Translate) -> None:
    builder = Keyboard()
    for code in SUPPORTED_LOCALES:
        builder.button(text=t(f"btn.lang_{code}"), callback_data=LanguageCb(code=code))
    await message.answer(t("msg.choose_language"), reply_markup=builder.as_markup())


async def set_language(
    callback: CallbackQuery,
    callback_data: LanguageCb,
    *,
    flow: WizardFlow,
    i18n: I18n,
    user: User,
    reader_state: FSMContext,
    menus: CommandMenus,
    repo: Repositories,
) -> None:
    await callback.answer()
    if callback_data.code not in SUPPORTED_LOCALES:
        return
    if user.is_reader:
        # Kept under the reader's pseudonym, as the rest of their state.
        await reader_state.update_data({LANGUAGE_KEY: callback_data.code})
    else:
        await repo.users.set_language(user.id, callback_data.code)
        await menus.refresh(flow.bot, user.id)  # the menu speaks the new language
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
    router.callback_query.register(
        open_strategy, StrategyCb.filter(F.action.in_({StrategyAction.OPEN, StrategyAction.NEW}))
    )
    return router
