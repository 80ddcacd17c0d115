"""The strategy's files: DOCX, content calendar (.ics) and the week picture, on demand."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import cast

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.access import InLibrary
from bot.db.repositories import Library, Repositories, Strategy
from bot.documents.calendar_ics import CalendarPlan
from bot.documents.common import CALENDAR_WEEKS
from bot.i18n import Translate
from bot.services.reports import FILE_KINDS, FileKind, Report, StrategyFile, StrategyReports
from handlers.documents import send_file, uploading
from handlers.keyboards import Keyboard
from handlers.strategy.advice import pressed_strategy
from handlers.strategy.callbacks import CalendarCb, ExportCb
from handlers.strategy.flow import WizardFlow
from handlers.strategy.labels import library_strategies, strategy_label


def calendar_caption(plan: CalendarPlan, t: Translate) -> str:
    """How long the calendar runs, what the holidays changed, which dates it marks."""
    lines = [t.plural("advice.file.ics_weeks", plan.weeks, date=plan.start.strftime("%d.%m.%Y"))]
    if plan.moved or plan.dropped:
        lines.append(
            t("advice.file.ics_holidays", moved=len(plan.moved), dropped=len(plan.dropped))
        )
    if plan.library_dates:
        lines.append(t("advice.file.ics_dates", count=len(plan.library_dates)))
    lines.append(t("advice.file.ics_other_length"))
    return "\n".join(lines)


def weeks_keyboard(strategy_id: int, current: int, t: Translate) -> InlineKeyboardMarkup:
    """Other lengths of the calendar; the one just sent is not offered again."""
    builder = Keyboard()
    for weeks in CALENDAR_WEEKS:
        if weeks != current:
            builder.button(
                text=t.plural("advice.btn.weeks", weeks),
                callback_data=CalendarCb(strategy_id=strategy_id, weeks=weeks),
            )
    builder.adjust(3)
    return builder.as_markup()


async def send_files(
    bot: Bot,
    chat_id: int,
    files: Iterable[StrategyFile],
    report: Report,
    t: Translate,
) -> None:
    for file in files:
        markup = None
        if file.kind == "png":
            caption = t("advice.file.png")
        elif file.kind == "ics" and file.calendar is None:
            caption = t("advice.file.ics", date=report.calendar_start.strftime("%d.%m.%Y"))
        elif file.kind == "ics" and file.calendar is not None:
            caption = calendar_caption(file.calendar, t)
            markup = weeks_keyboard(report.strategy.id, file.calendar.weeks, t)
        else:
            caption = t("advice.file.docx")
        await send_file(
            bot,
            chat_id,
            file.data,
            file.filename,
            caption=caption,
            reply_markup=markup,
            photo=file.kind == "png",
        )


async def build_and_send(
    flow: WizardFlow,
    reports: StrategyReports,
    report: Report,
    kinds: Iterable[FileKind] = FILE_KINDS,
) -> list[StrategyFile]:
    """Shows "sending a file…" at once and while the files are built, then sends them."""
    async with uploading(flow.bot, flow.chat_id):
        files = await reports.files(report, flow.t, kinds)
    await send_files(flow.bot, flow.chat_id, files, report, flow.t)
    return files


async def export(
    message: Message,
    *,
    library: Library,
    flow: WizardFlow,
    reports: StrategyReports,
    repo: Repositories,
) -> None:
    strategies = await library_strategies(repo, library)
    finished = [s for s in strategies if s.is_complete]
    if not finished:
        await message.answer(flow.t("advice.export.none"))
        return
    if len(finished) == 1:
        await _export(flow, reports, finished[0], repo=repo)
        return
    builder = Keyboard()
    for strategy in finished[:15]:
        title = await strategy_label(repo, strategy, flow.t)
        builder.button(text=title, callback_data=ExportCb(strategy_id=strategy.id))
    builder.adjust(1)
    await message.answer(flow.t("advice.export.pick"), reply_markup=builder.as_markup())


async def _export(
    flow: WizardFlow,
    reports: StrategyReports,
    strategy: Strategy,
    kinds: Iterable[FileKind] = FILE_KINDS,
    *,
    repo: Repositories,
) -> None:
    report = await reports.report(strategy)
    title = await strategy_label(repo, strategy, flow.t)
    await flow.send(flow.t("advice.export.sending", title=escape(title)))
    await build_and_send(flow, reports, report, kinds)


async def export_pressed(
    callback: CallbackQuery,
    callback_data: ExportCb,
    *,
    flow: WizardFlow,
    reports: StrategyReports,
    repo: Repositories,
) -> None:
    known = callback_data.file == "all" or callback_data.file in FILE_KINDS
    strategy = await pressed_strategy(callback, callback_data.strategy_id, flow, known, repo=repo)
    if strategy is None:
        return
    kinds = FILE_KINDS if callback_data.file == "all" else (cast(FileKind, callback_data.file),)
    await _export(flow, reports, strategy, kinds, repo=repo)


async def calendar_pressed(
    callback: CallbackQuery,
    callback_data: CalendarCb,
    *,
    flow: WizardFlow,
    reports: StrategyReports,
    repo: Repositories,
) -> None:
    known = callback_data.weeks in CALENDAR_WEEKS
    strategy = await pressed_strategy(callback, callback_data.strategy_id, flow, known, repo=repo)
    if strategy is None:
        return
    # The pick is kept: the next /export sends a calendar of the same length.
    report = await reports.remember_calendar_weeks(
        await reports.report(strategy), callback_data.weeks
    )
    title = await strategy_label(repo, strategy, flow.t)
    await flow.send(flow.t("advice.export.sending", title=escape(title)))
    await build_and_send(flow, reports, report, ("ics",))


def create_router() -> Router:
    router = Router(name="export")
    router.message.register(export, Command("export"), InLibrary())
    router.callback_query.register(export_pressed, ExportCb.filter())
    router.callback_query.register(calendar_pressed, CalendarCb.filter())
    return router
