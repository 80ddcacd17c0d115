"""Commands for bot admins (ADMIN_IDS); everyone else is refused in handlers/access.py.

/stats gives the totals, one line per library of the network, and an XLSX of all libraries.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access import IsAdmin
from bot.db.repositories import Repositories
from bot.domain.text_split import split_html
from bot.i18n import Translate
from bot.network_report import library_rows, render_lines, table
from bot.scheduling.clock import utc_now
from bot.stats import collect_stats, render_stats
from bot.survey.export import to_xlsx
from handlers.editing import message_of


class AdminCb(CallbackData, prefix="adm"):
    action: str  # xlsx


async def stats(message: Message, *, repo: Repositories, t: Translate) -> None:
    totals = render_stats(await collect_stats(repo.db, utc_now()), t)
    rows = await library_rows(repo)
    builder = InlineKeyboardBuilder()
    builder.button(text=t("admin.network.xlsx_button"), callback_data=AdminCb(action="xlsx"))
    parts = split_html(f"{totals}\n\n{render_lines(rows, t)}")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await message.answer(part, reply_markup=builder.as_markup() if last else None)


async def network_xlsx(callback: CallbackQuery, *, repo: Repositories, t: Translate) -> None:
    await callback.answer()
    message = message_of(callback)
    if message is None:
        return
    sheet = table(await library_rows(repo), t)
    data = to_xlsx(sheet, sheet_title=t("admin.network.sheet"))
    stamp = utc_now().date().isoformat()
    await message.answer_document(
        BufferedInputFile(data, filename=f"libraries-{stamp}.xlsx"),
        caption=t("admin.network.xlsx_caption", n=len(sheet) - 1),
    )


def create_router() -> Router:
    router = Router(name="admin")
    router.message.register(stats, Command("stats"), IsAdmin())
    router.callback_query.register(network_xlsx, AdminCb.filter(F.action == "xlsx"), IsAdmin())
    return router
