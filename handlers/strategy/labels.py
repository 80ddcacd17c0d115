"""How strategies are named and shown in lists, shared by /start and /strategies."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardMarkup

from bot.db.repositories import Library, Repositories, Strategy
from bot.i18n import Translate
from bot.services.reports import StrategyReports
from handlers.keyboards import Keyboard
from handlers.strategy.advice import show_advice
from handlers.strategy.callbacks import StrategyAction, StrategyCb
from handlers.strategy.flow import WizardFlow


async def strategy_label(repo: Repositories, strategy: Strategy, t: Translate) -> str:
    """'Library · 2026-11-26 · draft': what a strategy is called in lists and buttons."""
    library = await repo.libraries.get(strategy.library_id)
    name = strategy.title or (library.name if library and library.name else "")
    name = name or t("msg.untitled_library")
    status = t("msg.status_complete" if strategy.is_complete else "msg.status_draft")
    return f"{t('msg.strategy_title', library=name, date=strategy.created_at[:10])} · {status}"


async def library_strategies(repo: Repositories, library: Library | None) -> list[Strategy]:
    """The library's strategies, most recently changed first."""
    if library is None:
        return []
    found = await repo.strategies.of_library(library.id)
    return sorted(found, key=lambda s: (s.updated_at, s.id), reverse=True)


async def strategies_keyboard(
    repo: Repositories, strategies: list[Strategy], t: Translate
) -> InlineKeyboardMarkup:
    builder = Keyboard()
    for strategy in strategies[:20]:
        builder.button(
            text=t("btn.continue_strategy", title=await strategy_label(repo, strategy, t)),
            callback_data=StrategyCb(action=StrategyAction.OPEN, strategy_id=strategy.id),
        )
    builder.button(text=t("btn.new_strategy"), callback_data=StrategyCb(action=StrategyAction.NEW))
    builder.adjust(1)
    return builder.as_markup()


async def show_completed(
    flow: WizardFlow, strategy: Strategy, reports: StrategyReports, *, repo: Repositories
) -> None:
    """A finished strategy: its advice, with "read more", the files and "change answers"."""
    title = await strategy_label(repo, strategy, flow.t)
    report = await reports.report(strategy)
    await show_advice(flow, report, intro=[flow.t("advice.chat.opened", title=escape(title))])
