"""/settings: the user's language, the library they work in, and notifications on or off."""

from __future__ import annotations

from enum import StrEnum

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.db.repositories import Repositories, User
from bot.i18n import Translate
from handlers.common import language_command
from handlers.keyboards import Keyboard
from handlers.library import libraries_keyboard, library_text
from handlers.message_edits import edit_text, message_of
from handlers.team import library_name


class SettingsAction(StrEnum):
    LANGUAGE = "language"
    LIBRARY = "library"
    NOTIFY = "notify"


class SettingsCb(CallbackData, prefix="set"):
    action: SettingsAction


async def settings_screen(
    repo: Repositories, user: User, t: Translate
) -> tuple[str, InlineKeyboardMarkup]:
    libraries = await repo.libraries.of_user(user.id)
    current = await repo.libraries.current(user.id)
    lines = [t("settings.title"), t("settings.language", language=t(f"btn.lang_{t.locale}"))]
    if libraries:
        name = library_name(current, t) if current else t("settings.library_none")
        lines.append(t("settings.library", library=name))
    lines.append(
        t("settings.notifications_on" if user.notifications else "settings.notifications_off")
    )
    builder = Keyboard()
    builder.button(
        text=t("settings.btn_language"), callback_data=SettingsCb(action=SettingsAction.LANGUAGE)
    )
    if len(libraries) > 1:
        builder.button(
            text=t("settings.btn_library"), callback_data=SettingsCb(action=SettingsAction.LIBRARY)
        )
    builder.button(
        text=t("settings.btn_notify_off" if user.notifications else "settings.btn_notify_on"),
        callback_data=SettingsCb(action=SettingsAction.NOTIFY),
    )
    builder.adjust(1)
    return "\n".join(lines), builder.as_markup()


async def settings_command(message: Message, user: User, repo: Repositories, t: Translate) -> None:
    text, markup = await settings_screen(repo, user, t)
    await message.answer(text, reply_markup=markup)


async def pressed(
    callback: CallbackQuery,
    callback_data: SettingsCb,
    user: User,
    repo: Repositories,
    t: Translate,
) -> None:
    await callback.answer()
    message = message_of(callback)
    if callback_data.action == SettingsAction.LANGUAGE:
        if message is not None:
            await language_command(message, t)
        return
    if callback_data.action == SettingsAction.LIBRARY:
        libraries = await repo.libraries.of_user(user.id)
        current = await repo.libraries.current(user.id)
        if message is not None:
            await message.answer(
                library_text(libraries, current, t),
                reply_markup=libraries_keyboard(libraries, current, t),
            )
        return
    # Summaries, milestones and digests; what concerns the user's own team role still comes.
    await repo.users.set_notifications(user.id, not user.notifications)
    fresh = await repo.users.get(user.id)
    assert fresh is not None
    text, markup = await settings_screen(repo, fresh, t)
    await edit_text(callback, text, markup)


def create_router() -> Router:
    router = Router(name="settings")
    router.message.register(settings_command, Command("settings"))
    router.callback_query.register(
        pressed,
        SettingsCb.filter(
            F.action.in_({SettingsAction.LANGUAGE, SettingsAction.LIBRARY, SettingsAction.NOTIFY})
        ),
    )
    return router
