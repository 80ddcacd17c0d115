"""/library: which library a member of several works in, and switching it.

Every command that acts on a library (a new strategy, /strategies, /survey, /results,
/invite, /team, /export) acts on the chosen one; the choice is stored with the user.
"""

from __future__ import annotations

from enum import StrEnum
from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.access import IsStaff, may_manage_library
from bot.db.repositories import Library, Repositories, User
from bot.i18n import Translate
from bot.menus import CommandMenus
from bot.services.archive import library_zip
from bot.services.notifier import Notifier
from bot.services.plans import PlanService
from bot.services.reports import StrategyReports, file_stem
from bot.services.surveys import SurveyService
from handlers.documents import send_file, uploading
from handlers.keyboards import Keyboard
from handlers.message_edits import edit_text
from handlers.team import library_name


class LibraryAction(StrEnum):
    USE = "use"
    ZIP = "zip"
    DELETE = "delete"
    DELETE_CONFIRM = "delete_yes"
    KEEP = "keep"


class LibraryCb(CallbackData, prefix="lib"):
    action: LibraryAction
    library_id: int


def libraries_keyboard(
    libraries: list[Library], current: Library | None, t: Translate
) -> InlineKeyboardMarkup:
    builder = Keyboard()
    for library in libraries:
        mark = "✅ " if current is not None and library.id == current.id else ""
        builder.button(
            text=mark + t("library.btn_use", library=library_name(library, t)),
            callback_data=LibraryCb(action=LibraryAction.USE, library_id=library.id),
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


def leaving_buttons(library: Library, t: Translate) -> InlineKeyboardMarkup:
    builder = Keyboard()
    builder.button(
        text=t("library.btn_zip"),
        callback_data=LibraryCb(action=LibraryAction.ZIP, library_id=library.id),
    )
    builder.button(
        text=t("library.btn_delete"),
        callback_data=LibraryCb(action=LibraryAction.DELETE, library_id=library.id),
    )
    builder.adjust(1)
    return builder.as_markup()


async def library_command(
    message: Message,
    *,
    user: User,
    libraries: list[Library],
    library: Library | None,
    repo: Repositories,
    t: Translate,
) -> None:
    text = library_text(libraries, library, t)
    markup = libraries_keyboard(libraries, library, t)
    if library is not None and await repo.libraries.member_role(library.id, user.id) == "owner":
        # The owner's way out, under the list: everything as a ZIP, or the library deleted.
        text += "\n\n" + t("library.leaving_hint")
        markup.inline_keyboard.extend(leaving_buttons(library, t).inline_keyboard)
    await message.answer(text, reply_markup=markup)


async def _manageable(
    callback: CallbackQuery,
    callback_data: LibraryCb,
    repo: Repositories,
    admin_ids: frozenset[int],
    t: Translate,
) -> Library | None:
    """The library, if the rules in bot/access.py let this user export or delete it."""
    library = await repo.libraries.get(callback_data.library_id)
    role = await repo.libraries.member_role(callback_data.library_id, callback.from_user.id)
    if library is None or not may_manage_library(
        role, is_admin=callback.from_user.id in admin_ids
    ):
        await callback.answer(t("library.not_allowed"), show_alert=True)
        return None
    return library


async def export_zip(
    callback: CallbackQuery,
    callback_data: LibraryCb,
    *,
    repo: Repositories,
    admin_ids: frozenset[int],
    reports: StrategyReports,
    surveys: SurveyService,
    plans: PlanService,
    bot: Bot,
    t: Translate,
) -> None:
    library = await _manageable(callback, callback_data, repo, admin_ids, t)
    if library is None:
        return
    await callback.answer()
    async with uploading(bot, callback.from_user.id):
        data = await library_zip(
            library, repo=repo, reports=reports, surveys=surveys, plans=plans, t=t
        )
    name = file_stem(library.name) or "library"
    await send_file(
        bot,
        callback.from_user.id,
        data,
        f"{name}-{library.id}.zip",
        caption=t("library.zip_caption", library=library_name(library, t)),
    )


async def ask_delete(
    callback: CallbackQuery,
    callback_data: LibraryCb,
    *,
    repo: Repositories,
    admin_ids: frozenset[int],
    t: Translate,
) -> None:
    library = await _manageable(callback, callback_data, repo, admin_ids, t)
    if library is None:
        return
    await callback.answer()
    builder = Keyboard()
    builder.button(
        text=t("library.btn_delete_yes"),
        callback_data=LibraryCb(action=LibraryAction.DELETE_CONFIRM, library_id=library.id),
    )
    builder.button(
        text=t("team.btn_keep"),
        callback_data=LibraryCb(action=LibraryAction.KEEP, library_id=library.id),
    )
    builder.adjust(1)
    await edit_text(
        callback,
        t("library.confirm_delete", library=library_name(library, t)),
        builder.as_markup(),
    )


async def confirm_delete(
    callback: CallbackQuery,
    callback_data: LibraryCb,
    *,
    repo: Repositories,
    admin_ids: frozenset[int],
    menus: CommandMenus,
    notifier: Notifier,
    bot: Bot,
    t: Translate,
) -> None:
    library = await _manageable(callback, callback_data, repo, admin_ids, t)
    if library is None:
        return
    await callback.answer()
    members = [user_id for user_id, _ in await repo.libraries.members(library.id)]
    await repo.libraries.delete(library.id)
    name = library.name
    for member in members:
        await menus.refresh(bot, member)  # a member of no other library is a reader now
        if member != callback.from_user.id:
            await notifier.tell(
                member,
                lambda their_t: their_t(
                    "library.deleted_for_member",
                    library=escape(name or their_t("msg.untitled_library")),
                ),
                essential=True,
            )
    await edit_text(callback, t("library.deleted", library=library_name(library, t)))


async def keep(callback: CallbackQuery, t: Translate) -> None:
    await callback.answer()
    await edit_text(callback, t("team.kept"))


async def use_library(
    callback: CallbackQuery,
    callback_data: LibraryCb,
    *,
    user: User,
    repo: Repositories,
    t: Translate,
) -> None:
    if not await repo.libraries.choose(user.id, callback_data.library_id):
        await callback.answer(t("team.not_member"), show_alert=True)
        return
    library = await repo.libraries.get(callback_data.library_id)
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
    router.callback_query.register(use_library, LibraryCb.filter(F.action == LibraryAction.USE))
    router.callback_query.register(export_zip, LibraryCb.filter(F.action == LibraryAction.ZIP))
    router.callback_query.register(ask_delete, LibraryCb.filter(F.action == LibraryAction.DELETE))
    router.callback_query.register(
        confirm_delete, LibraryCb.filter(F.action == LibraryAction.DELETE_CONFIRM)
    )
    router.callback_query.register(keep, LibraryCb.filter(F.action == LibraryAction.KEEP))
    return router
