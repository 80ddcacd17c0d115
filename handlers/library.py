"""/library: which library a member of several works in, and switching it.

Every command that acts on a library (a new strategy, /strategies, /survey, /results,
/invite, /team, /export) acts on the chosen one; the choice is stored with the user.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access import IsStaff
from bot.db.repositories import Library, Repositories, User
from bot.i18n import Translate
from handlers.editing import edit_text
from handlers.team import library_name


class LibraryCb(CallbackData, prefix="lib"):
    action: str  # use
    lib: int


def libraries_keyboard(
    libraries: list[Library], current: Library | None, t: Translate
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for library in libraries:
        mark = "✅ " if current is not None and library.id == current.id else ""
        builder.button(
            text=mark + t("library.btn_use", library=library_name(library, t)),
            callback_data=LibraryCb(action="use", lib=library.id),
        )
    builder.adjust(1)
    return builder.as_markup()


async def ask_to_choose(bot: Bot, chat_id: int, libraries: list[Library], t: Translate) -> None:
    """A member of several libraries who has not chosen yet: which one, before anything."""
    await bot.send_message(
        chat_id, t("library.choose_first"), reply_markup=libraries_keyboard(libraries, None, t)
    )


def library_text(libraries: list[Library], current: Library | None, t: Translate) -> str:
    if current is None:
        return t("library.choose_first")
    text = t("library.current", library=library_name(current, t))
    if len(libraries) > 1:
        text += "\n\n" + t("library.switch_hint")
    return text


async def library_command(
    message: Message, *, libraries: list[Library], library: Library | None, t: Translate
) -> None:
    await message.answer(
        library_text(libraries, library, t), reply_markup=libraries_keyboard(libraries, library, t)
    )


async def use_library(
    callback: CallbackQuery, callback_data: LibraryCb, *, user: User, repo: Repositories,
    t: Translate,
) -> None:  # fmt: skip
    if not await repo.libraries.choose(user.id, callback_data.lib):
        await callback.answer(t("team.not_member"), show_alert=True)
        return
    library = await repo.libraries.get(callback_data.lib)
    assert library is not None
    await callback.answer(t("library.switched", library=library.name or t("msg.untitled_library")))
    libraries = await repo.libraries.of_user(user.id)
    await edit_text(
        callback,
        library_text(libraries, library, t),
        libraries_keyboard(libraries, library, t),
    )


def create_router() -> Router:
    router = Router(name="library")
    router.message.register(library_command, Command("library"), IsStaff())
    router.callback_query.register(use_library, LibraryCb.filter(F.action == "use"))
    return router
