"""What the plan asks Telegram about a channel: members' rights and the member count."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.plan.rights import Member


class TelegramChannels:
    """``bot.plan.rights.ChannelAccess`` over the Bot API (getChatMember, getChatMemberCount)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def member(self, chat_id: int, user_id: int | None) -> Member | None:
        try:
            found = await self._bot.get_chat_member(
                chat_id, self._bot.id if user_id is None else user_id
            )
        except TelegramAPIError:
            return None
        return Member(str(found.status), getattr(found, "can_post_messages", None))

    async def member_count(self, chat_id: int) -> int | None:
        try:
            return await self._bot.get_chat_member_count(chat_id)
        except TelegramAPIError:
            return None
