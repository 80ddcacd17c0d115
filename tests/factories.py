"""Telegram objects for tests: users, chats, chat members, polls, messages and their updates.

Typed aiogram objects, valid as the Bot API sends them, so a test says only what matters to
it (``chat_member(anna_id, "creator")``) and the mocked session or the Dispatcher gets the
rest right. Queue them with ``bot.add_result_for(GetChatMember, result=...)`` or feed them
with ``dispatcher.feed_update(bot, poll_update(...))``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime

from aiogram.types import (
    AcceptedGiftTypes,
    Chat,
    ChatFullInfo,
    ChatMember,
    ChatMemberAdministrator,
    ChatMemberMember,
    ChatMemberOwner,
    Message,
    Poll,
    PollOption,
    Update,
    User,
)

BOT_ID = 42
"""The id of the pretend bot (``MockedBot().id``)."""

_update_ids = itertools.count(800_000)  # far from ChatUser's own update ids
_message_ids = itertools.count(50_000)


def user(
    user_id: int,
    first_name: str = "Анна",
    *,
    language_code: str | None = "ru",
    is_bot: bool = False,
) -> User:
    return User(id=user_id, is_bot=is_bot, first_name=first_name, language_code=language_code)


def private_chat(user_id: int) -> Chat:
    return Chat(id=user_id, type="private")


def channel(chat_id: int = -1001, title: str = "Библиотека <канал>") -> Chat:
    return Chat(id=chat_id, type="channel", title=title)


def full_info(chat: Chat) -> ChatFullInfo:
    """What getChat answers about ``chat``."""
    gifts = AcceptedGiftTypes(
        unlimited_gifts=False,
        limited_gifts=False,
        unique_gifts=False,
        premium_subscription=False,
        gifts_from_channels=False,
    )
    return ChatFullInfo(
        **chat.model_dump(exclude_none=True),
        accent_color_id=0,
        max_reaction_count=0,
        accepted_gift_types=gifts,
    )


def chat_member(user_id: int, status: str) -> ChatMember:
    """What getChatMember answers: ``member``, ``administrator`` (no rights) or ``creator``."""
    who = user(user_id, "X", language_code=None, is_bot=user_id == BOT_ID)
    if status == "administrator":
        return ChatMemberAdministrator(
            user=who,
            can_be_edited=False,
            is_anonymous=False,
            can_manage_chat=False,
            can_delete_messages=False,
            can_manage_video_chats=False,
            can_restrict_members=False,
            can_promote_members=False,
            can_change_info=False,
            can_invite_users=False,
            can_post_stories=False,
            can_edit_stories=False,
            can_delete_stories=False,
            can_send_welcome_messages=False,
        )
    if status == "creator":
        return ChatMemberOwner(user=who, is_anonymous=False)
    assert status == "member", status
    return ChatMemberMember(user=who)


def poll(
    poll_id: str,
    question: str,
    options: Sequence[str],
    votes: Sequence[int] | None = None,
    *,
    closed: bool = False,
) -> Poll:
    """An anonymous one-answer poll, with ``votes`` per option (none yet by default)."""
    counts = list(votes) if votes is not None else [0] * len(options)
    return Poll(
        id=poll_id,
        question=question,
        options=[
            PollOption(text=text, voter_count=count, persistent_id=str(index))
            for index, (text, count) in enumerate(zip(options, counts, strict=True))
        ],
        total_voter_count=sum(counts),
        is_closed=closed,
        is_anonymous=True,
        type="regular",
        allows_multiple_answers=False,
        allows_revoting=True,
        members_only=False,
    )


def message(
    chat: Chat,
    text: str | None = None,
    *,
    message_id: int | None = None,
    from_user: User | None = None,
    poll: Poll | None = None,
) -> Message:
    """A message in ``chat`` (the bot's own unless ``from_user`` says otherwise)."""
    return Message(
        message_id=next(_message_ids) if message_id is None else message_id,
        date=datetime.now(UTC),
        chat=chat,
        from_user=from_user or user(BOT_ID, "Bot", language_code=None, is_bot=True),
        text=text,
        poll=poll,
    )


def text_update(user_id: int, text: str) -> Update:
    """A user's text in their private chat with the bot, as an update."""
    sent = message(private_chat(user_id), text, from_user=user(user_id))
    return Update(update_id=next(_update_ids), message=sent)


def poll_update(changed: Poll) -> Update:
    """The update Telegram sends when a poll's counts change."""
    return Update(update_id=next(_update_ids), poll=changed)
