"""Who may do what, decided here and nowhere else.

Bot admins come from ``ADMIN_IDS``; staff are members (owner or editor) of a library;
everyone else (readers who came by a survey link, strangers) reaches no staff command.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import TelegramObject
from aiogram.types import User as TelegramUser

from bot.db.repositories import Repositories

STAFF_COMMANDS = (
    "strategies",
    "export",
    "survey",
    "results",
    "plan",
    "progress",
    "invite",
    "team",
)
ADMIN_COMMANDS = ("stats",)


class IsAdmin(Filter):
    async def __call__(
        self,
        event: TelegramObject,
        event_from_user: TelegramUser | None,
        admin_ids: frozenset[int],
    ) -> bool:
        return event_from_user is not None and event_from_user.id in admin_ids


class IsStaff(Filter):
    """Passes members of at least one library; hands their libraries to the handler."""

    async def __call__(
        self, event: TelegramObject, event_from_user: TelegramUser | None, repo: Repositories
    ) -> bool | dict[str, Any]:
        if event_from_user is None:
            return False
        libraries = await repo.libraries.of_user(event_from_user.id)
        return {"libraries": libraries} if libraries else False


class IsOwner(Filter):
    """Passes owners of a library; hands the owned libraries to the handler."""

    async def __call__(
        self, event: TelegramObject, event_from_user: TelegramUser | None, repo: Repositories
    ) -> bool | dict[str, Any]:
        if event_from_user is None:
            return False
        owned = [
            library
            for library in await repo.libraries.of_user(event_from_user.id)
            if await repo.libraries.member_role(library.id, event_from_user.id) == "owner"
        ]
        return {"libraries": owned} if owned else False
