"""How the bot presents itself in Telegram: name, descriptions and command menus per role.

Readers see the default menu (per language); staff and admins get their own per chat
(``BotCommandScopeChat``), rewritten whenever their role changes: joining or leaving a team,
starting a first strategy, a library deleted, a new language.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat
from aiogram.utils.i18n import I18n

from bot.access import Role, role_of
from bot.db.reads import fetch_all
from bot.db.repositories import Repositories
from bot.i18n import SUPPORTED_LOCALES, Translate, Translator

logger = logging.getLogger(__name__)

READER = Role(staff=False, admin=False)


def menu(role: Role, t: Translate) -> list[BotCommand]:
    return [BotCommand(command=name, description=t(f"cmd.{name}")) for name in role.commands]


class CommandMenus:
    def __init__(
        self, repo: Repositories, i18n: I18n, *, admin_ids: frozenset[int], default_locale: str
    ) -> None:
        self._repo = repo
        self._i18n = i18n
        self._admin_ids = admin_ids
        self._default_locale = default_locale

    async def present(self, bot: Bot) -> None:
        """At start-up: name, descriptions and the readers' menu in each language."""
        for locale in SUPPORTED_LOCALES:
            t = Translator(self._i18n, locale)
            languages: list[str | None] = [locale]
            if locale == self._default_locale:
                languages.append(None)  # clients in any other language
            for language in languages:
                await bot.set_my_commands(menu(READER, t), language_code=language)
                await bot.set_my_description(t("bot.description"), language_code=language)
                await bot.set_my_short_description(
                    t("bot.short_description"), language_code=language
                )
                # setMyName is rate-limited hard: only when Telegram shows something else.
                current = await bot.get_my_name(language_code=language)
                if current.name != t("bot.name"):
                    await bot.set_my_name(t("bot.name"), language_code=language)

    async def refresh_all(self, bot: Bot) -> None:
        """Every member's and admin's menu, at start-up (roles may have changed offline)."""
        members = [
            int(row[0])
            for row in await fetch_all(
                self._repo.db, "SELECT DISTINCT user_id FROM memberships ORDER BY user_id"
            )
        ]
        await self.refresh_many(bot, [*members, *sorted(self._admin_ids)])

    async def refresh_many(self, bot: Bot, user_ids: Iterable[int]) -> None:
        for user_id in dict.fromkeys(user_ids):
            await self.refresh(bot, user_id)

    async def refresh(self, bot: Bot, user_id: int) -> None:
        """The user's menu for their role now, in their language."""
        role = await role_of(user_id, self._repo, self._admin_ids)
        user = await self._repo.users.get(user_id)
        language = user.language if user and user.language else self._default_locale
        t = Translator(self._i18n, language)
        try:
            await bot.set_my_commands(menu(role, t), scope=BotCommandScopeChat(chat_id=user_id))
        except TelegramAPIError as error:
            # An admin who never opened the bot has no chat yet; the menu comes next start.
            logger.warning("could not set the command menu", extra={"error": str(error)})
