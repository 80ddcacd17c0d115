"""Commands for bot admins (ADMIN_IDS); everyone else is refused in handlers/access.py.

/stats gives the totals, one line per library of the network, and an XLSX of all libraries.
"""

from __future__ import annotations

import asyncio
import html
from enum import StrEnum

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message

from bot.access import IsAdmin
from bot.clock import utc_now
from bot.db.repositories import Repositories
from bot.db.stats import BotStats
from bot.documents.common import network_name
from bot.domain.text_split import split_html
from bot.i18n import Translate
from bot.services.network import LibraryRow, library_rows
from bot.services.plan_texts import network_text
from bot.services.plans import PlanService
from bot.survey.export import to_xlsx
from handlers.documents import send_file, uploading
from handlers.keyboards import Keyboard
from handlers.library import leaving_buttons
from handlers.message_edits import message_of
from handlers.team import library_name

MANAGE_LIST = 90
"""Buttons in one list (Telegram allows 100 in a keyboard)."""


class AdminAction(StrEnum):
    XLSX = "xlsx"
    LIBRARIES = "libraries"
    MANAGE = "manage"


class AdminCb(CallbackData, prefix="adm"):
    action: AdminAction
    library_id: int = 0


async def stats(message: Message, *, repo: Repositories, plans: PlanService, t: Translate) -> None:
    totals = render_stats(await repo.stats.collect(utc_now()), t)
    summary = await plans.network()
    if summary.libraries:
        # The same as the admins' weekly view of the plans: totals, then each plan's KPIs.
        totals += "\n\n" + t("plan.network.heading") + "\n" + network_text(summary, t)
    rows = await library_rows(repo)
    builder = Keyboard()
    builder.button(
        text=t("admin.network.xlsx_button"), callback_data=AdminCb(action=AdminAction.XLSX)
    )
    if rows:
        builder.button(
            text=t("admin.network.manage_button"),
            callback_data=AdminCb(action=AdminAction.LIBRARIES),
        )
    builder.adjust(1)
    parts = split_html(f"{totals}\n\n{render_lines(rows, t)}")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await message.answer(part, reply_markup=builder.as_markup() if last else None)


async def network_xlsx(
    callback: CallbackQuery, *, bot: Bot, repo: Repositories, t: Translate
) -> None:
    await callback.answer()
    message = message_of(callback)
    if message is None:
        return
    sheet = table(await library_rows(repo), t)
    async with uploading(bot, message.chat.id):
        data = await asyncio.to_thread(to_xlsx, sheet, sheet_title=t("admin.network.sheet"))
    stamp = utc_now().date().isoformat()
    await send_file(
        bot,
        message.chat.id,
        data,
        f"libraries-{stamp}.xlsx",
        caption=t("admin.network.xlsx_caption", n=len(sheet) - 1),
    )


async def choose_library(callback: CallbackQuery, *, repo: Repositories, t: Translate) -> None:
    """Any library of the network, to export everything of it or delete it."""
    await callback.answer()
    message = message_of(callback)
    if message is None:
        return
    builder = Keyboard()
    for library in (await repo.libraries.all())[:MANAGE_LIST]:
        builder.button(
            text=library.name or t("msg.untitled_library"),
            callback_data=AdminCb(action=AdminAction.MANAGE, library_id=library.id),
        )
    builder.adjust(1)
    await message.answer(t("admin.network.manage_pick"), reply_markup=builder.as_markup())


async def manage_library(
    callback: CallbackQuery, callback_data: AdminCb, *, repo: Repositories, t: Translate
) -> None:
    await callback.answer()
    library = await repo.libraries.get(callback_data.library_id)
    message = message_of(callback)
    if library is None or message is None:
        return
    await message.answer(
        t("admin.network.manage", library=library_name(library, t)),
        reply_markup=leaving_buttons(library, t),
    )


def render_stats(stats: BotStats, t: Translate) -> str:
    return t(
        "admin.stats",
        libraries=stats.libraries,
        staff=stats.staff,
        drafts=stats.strategies_draft,
        complete=stats.strategies_complete,
        completed_week=stats.completed_this_week,
        surveys_open=stats.surveys_open,
        surveys_closed=stats.surveys_closed,
        started=stats.responses_started,
        completed=stats.responses_completed,
        responses_week=stats.responses_this_week,
        pending=stats.outbox_pending,
        failed=stats.outbox_failed,
        blocked=stats.outbox_blocked,
        users_blocked=stats.users_blocked,
    )


def _name(row: LibraryRow, t: Translate) -> str:
    return row.library.name or t("msg.untitled_library")


def status_text(row: LibraryRow, t: Translate) -> str:
    if row.complete:
        return t("admin.network.status_complete")
    return t("admin.network.status_draft") if row.drafts else t("admin.network.status_none")


def render_lines(rows: list[LibraryRow], t: Translate) -> str:
    """One short line per library for /stats (HTML-escaped)."""
    if not rows:
        return t("admin.network.none")
    lines = [t("admin.network.title")]
    for row in rows:
        networks = ", ".join(network_name(n, t) for n in row.networks) or "—"
        lines.append(
            t(
                "admin.network.line",
                library=html.escape(_name(row, t)),
                status=status_text(row, t),
                networks=html.escape(networks),
                posts=row.posts_per_week,
                surveys=row.surveys,
                responses=row.responses,
            )
        )
    return "\n".join(lines)


NETWORK_COLUMNS = (
    *("library", "settlement", "region", "members", "status", "drafts", "complete"),
    *("networks", "posts", "surveys", "surveys_open", "responses"),
)


def table(rows: list[LibraryRow], t: Translate) -> list[list[str]]:
    """The XLSX sheet: a header, then one row per library (plain text, no HTML)."""
    header = [t(f"admin.network.col.{name}") for name in NETWORK_COLUMNS]
    body = [
        [
            _name(row, t),
            row.library.settlement,
            row.library.region,
            str(row.members),
            status_text(row, t),
            str(row.drafts),
            str(row.complete),
            ", ".join(network_name(n, t) for n in row.networks),
            str(row.posts_per_week),
            str(row.surveys),
            str(row.surveys_open),
            str(row.responses),
        ]
        for row in rows
    ]
    return [header, *body]


def create_router() -> Router:
    router = Router(name="admin")
    router.message.register(stats, Command("stats"), IsAdmin())
    router.callback_query.register(
        network_xlsx, AdminCb.filter(F.action == AdminAction.XLSX), IsAdmin()
    )
    router.callback_query.register(
        choose_library, AdminCb.filter(F.action == AdminAction.LIBRARIES), IsAdmin()
    )
    router.callback_query.register(
        manage_library, AdminCb.filter(F.action == AdminAction.MANAGE), IsAdmin()
    )
    return router
