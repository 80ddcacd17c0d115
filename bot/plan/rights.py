"""May the bot publish to a channel, on behalf of a user? The rule over what Telegram says.

``ChannelAccess`` is what the plan needs to know of a channel; the Telegram adapter is
``handlers.plan.telegram.TelegramChannels``, tests may pass their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

ADMINISTRATOR = "administrator"
OWNER = "creator"


@dataclass(frozen=True, slots=True)
class Member:
    """A chat member as Telegram reports it (``ChatMember.status``, ``can_post_messages``)."""

    status: str
    can_post: bool | None = None
    """Only channels carry it; in groups every administrator may post."""


class ChannelAccess(Protocol):
    async def member(self, chat_id: int, user_id: int | None) -> Member | None:
        """``user_id`` None asks about the bot itself; None when Telegram will not tell."""

    async def member_count(self, chat_id: int) -> int | None:
        """Members (subscribers) of the chat; None when Telegram will not tell."""


def rights_problem(me: Member | None, them: Member | None, *, user_asked: bool) -> str | None:
    """Why the bot cannot publish (``bot_not_admin``, ``bot_cannot_post``, ``user_not_admin``,
    ``no_access``), or None when it can. ``them`` matters only when ``user_asked``."""
    if me is None:
        return "no_access"
    if me.status == ADMINISTRATOR:
        if me.can_post is False:
            return "bot_cannot_post"
    elif me.status != OWNER:
        return "bot_not_admin"
    if not user_asked:
        return None
    if them is None:
        return "no_access"
    if them.status not in {ADMINISTRATOR, OWNER}:
        return "user_not_admin"
    return None


async def check_rights(access: ChannelAccess, chat_id: int, user_id: int | None) -> str | None:
    """The rule above, asking Telegram about the bot first and the user only if needed."""
    me = await access.member(chat_id, None)
    problem = rights_problem(me, None, user_asked=False)
    if problem is not None or user_id is None:
        return problem
    return rights_problem(me, await access.member(chat_id, user_id), user_asked=True)
