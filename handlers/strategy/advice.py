"""Advice in the chat: the summary of a finished strategy, its buttons, and "read more"."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from bot.advice import (
    STEP_IDS,
    StrategyAdvice,
    render,
    render_first_steps,
    render_post_ideas,
    render_step_details,
    render_summary,
)
from bot.db.repositories import Repositories, Strategy
from bot.domain.text_split import split_html
from bot.i18n import Translate
from bot.services.reports import Report, StrategyReports
from handlers.keyboards import Keyboard
from handlers.strategy.callbacks import AdviceCb, ExportCb, StrategyAction, StrategyCb
from handlers.strategy.flow import WizardFlow


def conflicts_text(advice: StrategyAdvice, t: Translate) -> str | None:
    conflicts = advice.conflicts
    if not conflicts:
        return None
    lines = [t.plural("advice.chat.conflicts", len(conflicts))]
    lines += [f"⚠️ {render(item.text, t)}" for item in conflicts]
    return "\n".join(lines)


def advice_keyboard(strategy_id: int, t: Translate) -> InlineKeyboardMarkup:
    """A "read more" per step, the files, and changing the answers."""
    builder = Keyboard()
    for step_id in STEP_IDS:
        builder.button(
            text=t("advice.btn.more", step=t(f"step.{step_id}")),
            callback_data=AdviceCb(strategy_id=strategy_id, step=step_id),
        )
    for kind in ("docx", "ics", "png"):
        builder.button(
            text=t(f"advice.btn.{kind}"),
            callback_data=ExportCb(strategy_id=strategy_id, file=kind),
        )
    builder.button(
        text=t("btn.edit_strategy"),
        callback_data=StrategyCb(action=StrategyAction.REOPEN, strategy_id=strategy_id),
    )
    builder.adjust(2, 2, 2, 1, 3, 1)
    return builder.as_markup()


async def show_advice(flow: WizardFlow, report: Report, *, intro: list[str]) -> None:
    """``intro``, the conflicts, then every step's short advice; buttons on the last part."""
    t = flow.t
    paragraphs = list(intro)
    conflicts = conflicts_text(report.advice, t)
    if conflicts:
        paragraphs.append(conflicts)
    paragraphs += [text for _, text in render_summary(report.advice, t)]
    # What to do next: the first two weeks, then ready post ideas for every rubric.
    paragraphs += [render_first_steps(report.advice, t), render_post_ideas(report.advice, t)]
    await flow.send_long(paragraphs, advice_keyboard(report.strategy.id, t))


async def finished_strategy(
    callback: CallbackQuery, strategy_id: int, flow: WizardFlow, *, repo: Repositories
) -> Strategy | None:
    """The user's finished strategy a button names; a polite alert when it is not one."""
    strategy = await repo.strategies.get_for_user(strategy_id, callback.from_user.id)
    if strategy is None:
        await callback.answer(flow.t("advice.cb.gone"), show_alert=True)
        return None
    if not strategy.is_complete:
        await callback.answer(flow.t("advice.cb.draft"), show_alert=True)
        return None
    return strategy


async def pressed_strategy(
    callback: CallbackQuery,
    strategy_id: int,
    flow: WizardFlow,
    known: bool,
    *,
    repo: Repositories,
) -> Strategy | None:
    """The finished strategy of a "read more" or file button whose own argument is ``known``
    (a step, a file kind, a calendar length); the press is answered either way."""
    strategy = await finished_strategy(callback, strategy_id, flow, repo=repo)
    if strategy is None:
        return None
    if not known:
        await callback.answer(flow.t("advice.cb.gone"), show_alert=True)
        return None
    await callback.answer()
    return strategy


async def read_more(
    callback: CallbackQuery,
    callback_data: AdviceCb,
    *,
    flow: WizardFlow,
    reports: StrategyReports,
    repo: Repositories,
) -> None:
    known = callback_data.step in STEP_IDS
    strategy = await pressed_strategy(callback, callback_data.strategy_id, flow, known, repo=repo)
    if strategy is None:
        return
    report = await reports.report(strategy)
    for part in split_html(render_step_details(report.advice, callback_data.step, flow.t)):
        await flow.send(part)


def create_router() -> Router:
    router = Router(name="advice")
    router.callback_query.register(read_more, AdviceCb.filter())
    return router
