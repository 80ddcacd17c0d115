"""Who may do what, decided here and nowhere else.

Bot admins come from ``ADMIN_IDS``; staff are members (owner or editor) of a library;
everyone else (readers who came by a survey link, strangers) reaches no staff command.

A member of several libraries works in one at a time: the one they chose (``/library``),
remembered per user. Commands that act on a library act on that one; buttons that name a
strategy or a survey act on its own library, if the user is a member of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram.filters import Filter
from aiogram.types import TelegramObject
from aiogram.types import User as TelegramUser

from bot.db.repositories import Repositories, Strategy

# Command menus and /help, in the order shown. Everyone's commands come first.
EVERYONE_COMMANDS = ("start", "settings", "language", "forget", "help")
STAFF_COMMANDS = (
    "strategies",
    "export",
    "survey",
    "results",
    "plan",
    "progress",
    "library",
    "team",
    "invite",
)
ADMIN_COMMANDS = ("stats",)
OWNER_COMMANDS = ("invite", "progress")


@dataclass(frozen=True, slots=True)
class Role:
    """What a user is to the bot as a whole; it decides their command menu and /help."""

    staff: bool
    admin: bool

    @property
    def commands(self) -> tuple[str, ...]:
        """The commands this user may use, in menu order (/help last)."""
        start, *rest, last = EVERYONE_COMMANDS
        # /cancel pauses the wizard, which only staff go through.
        staff = (*STAFF_COMMANDS, "cancel") if self.staff else ()
        admin = ADMIN_COMMANDS if self.admin else ()
        return (start, *staff, *admin, *rest, last)


async def role_of(user_id: int, repo: Repositories, admin_ids: frozenset[int]) -> Role:
    return Role(staff=bool(await repo.libraries.of_user(user_id)), admin=user_id in admin_ids)


def may_change_strategy(strategy: Strategy, user_id: int, member_role: str | None) -> bool:
    """Delete or reopen a strategy: its library's owner, or the member who started it.

    An editor's work is theirs to undo; the owner answers for the library's whole plan.
    """
    if member_role == "owner":
        return True
    return member_role == "editor" and strategy.created_by == user_id


def may_manage_library(member_role: str | None, *, is_admin: bool) -> bool:
    """Export everything of a library or delete it: its owner, or a bot admin."""
    return is_admin or member_role == "owner"


class IsAdmin(Filter):
    async def __call__(
        self,
        event: TelegramObject,
        event_from_user: TelegramUser | None,
        admin_ids: frozenset[int],
    ) -> bool:
        return event_from_user is not None and event_from_user.id in admin_ids


class IsStaff(Filter):
    """Passes members of at least one library.

    Hands the handler ``libraries`` (all of theirs, for buttons naming a survey or strategy)
    and ``library``, the one they work in: None while a member of several has not chosen.
    """

    async def __call__(
        self, event: TelegramObject, event_from_user: TelegramUser | None, repo: Repositories
    ) -> bool | dict[str, Any]:
        if event_from_user is None:
            return False
        libraries = await repo.libraries.of_user(event_from_user.id)
        if not libraries:
            return False
        return {
            "libraries": libraries,
            "library": await repo.libraries.current(event_from_user.id),
        }


class InLibrary(Filter):
    """Passes staff who work in a known library (``library`` is never None after it).

    A member of several who has not chosen is refused here and asked to choose
    (handlers/access.py), so a command never acts on a library picked for them.
    """

    async def __call__(
        self, event: TelegramObject, event_from_user: TelegramUser | None, repo: Repositories
    ) -> bool | dict[str, Any]:
        found = await IsStaff()(event, event_from_user, repo)
        if not isinstance(found, dict) or found["library"] is None:
            return False
        return found


class IsOwner(Filter):
    """Passes the owner of the library the user works in; hands it over as ``library``."""

    async def __call__(
        self, event: TelegramObject, event_from_user: TelegramUser | None, repo: Repositories
    ) -> bool | dict[str, Any]:
        found = await InLibrary()(event, event_from_user, repo)
        if not isinstance(found, dict) or event_from_user is None:
            return False
        role = await repo.libraries.member_role(found["library"].id, event_from_user.id)
        return found if role == "owner" else False
