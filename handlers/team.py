"""A library's team: invites, the member list, removing a member, handing over, leaving.

Every button names its library and member and is checked again when pressed: a list shown
yesterday may no longer be true (someone left, the owner changed).
"""

from __future__ import annotations

from enum import StrEnum
from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.deep_linking import create_start_link

from bot.access import InLibrary, IsOwner
from bot.db.repositories import Library, Repositories, User
from bot.i18n import Translate
from bot.menus import CommandMenus
from bot.services.notifier import Notifier
from handlers.keyboards import Keyboard
from handlers.message_edits import edit_text

INVITE_PREFIX = "inv_"


class TeamAction(StrEnum):
    REMOVE = "remove"
    REMOVE_CONFIRM = "remove_yes"
    HAND_OVER = "owner"
    HAND_OVER_CONFIRM = "owner_yes"
    LEAVE = "leave"
    LEAVE_CONFIRM = "leave_yes"
    KEEP = "keep"


_CONFIRM = {
    TeamAction.REMOVE: TeamAction.REMOVE_CONFIRM,
    TeamAction.HAND_OVER: TeamAction.HAND_OVER_CONFIRM,
    TeamAction.LEAVE: TeamAction.LEAVE_CONFIRM,
}
"""The "yes" button of each question asked before acting."""


class TeamCb(CallbackData, prefix="tm"):
    action: TeamAction
    library_id: int
    user_id: int = 0


async def invite(
    message: Message, library: Library, repo: Repositories, bot: Bot, t: Translate
) -> None:
    token = await repo.invites.create(library.id, message.chat.id)
    link = await create_start_link(bot, INVITE_PREFIX + token)
    await message.answer(t("team.invite_link", library=library_name(library, t), link=link))


async def _display_name(repo: Repositories, user_id: int, t: Translate) -> str:
    user = await repo.users.get(user_id)
    return escape(user.first_name) if user and user.first_name else t("team.unnamed")


async def team(
    message: Message, user: User, library: Library, repo: Repositories, t: Translate
) -> None:
    text, markup = await team_card(repo, library, user.id, t)
    await message.answer(text, reply_markup=markup)


async def team_card(
    repo: Repositories, library: Library, viewer_id: int, t: Translate
) -> tuple[str, InlineKeyboardMarkup]:
    """The members, and what the viewer may do: owners manage, editors may leave."""
    members = await repo.libraries.members(library.id)
    viewer_role = dict(members).get(viewer_id)
    names = []
    builder = Keyboard()
    for member_id, role in members:
        name = await _display_name(repo, member_id, t)
        names.append(t(f"team.role_{role}", name=name))
        if viewer_role == "owner" and role == "editor":
            builder.button(
                text=t("team.btn_remove", name=name),
                callback_data=TeamCb(
                    action=TeamAction.REMOVE, library_id=library.id, user_id=member_id
                ),
            )
            builder.button(
                text=t("team.btn_make_owner", name=name),
                callback_data=TeamCb(
                    action=TeamAction.HAND_OVER, library_id=library.id, user_id=member_id
                ),
            )
    if viewer_role == "editor":
        builder.button(
            text=t("team.btn_leave"),
            callback_data=TeamCb(action=TeamAction.LEAVE, library_id=library.id),
        )
    builder.adjust(2)
    text = t("team.members", library=library_name(library, t), members="\n".join(names))
    if viewer_role == "owner":
        text += "\n\n" + t("team.owner_hint")
    return text, builder.as_markup()


def _confirm(t: Translate, yes: TeamCb, label: str) -> InlineKeyboardMarkup:
    builder = Keyboard()
    builder.button(text=label, callback_data=yes)
    builder.button(
        text=t("team.btn_keep"),
        callback_data=TeamCb(action=TeamAction.KEEP, library_id=yes.library_id),
    )
    return builder.as_markup()


async def ask(
    callback: CallbackQuery, callback_data: TeamCb, repo: Repositories, t: Translate
) -> None:
    """First press: say exactly what will happen and ask once more."""
    library = await repo.libraries.get(callback_data.library_id)
    role = await repo.libraries.member_role(callback_data.library_id, callback.from_user.id)
    if library is None or role is None:
        await callback.answer(t("team.not_member"), show_alert=True)
        return
    action = callback_data.action
    if action is TeamAction.LEAVE and role == "owner":
        await callback.answer(t("team.owner_cannot_leave"), show_alert=True)
        return
    if action in {TeamAction.REMOVE, TeamAction.HAND_OVER} and role != "owner":
        await callback.answer(t("access.owner_only_team"), show_alert=True)
        return
    target_role = await repo.libraries.member_role(library.id, callback_data.user_id)
    if action in {TeamAction.REMOVE, TeamAction.HAND_OVER} and target_role != "editor":
        await callback.answer(t("team.member_gone"), show_alert=True)
        return
    await callback.answer()
    name = await _display_name(repo, callback_data.user_id, t)
    lib = library_name(library, t)
    yes = TeamCb(action=_CONFIRM[action], library_id=library.id, user_id=callback_data.user_id)
    if action is TeamAction.REMOVE:
        text = t("team.confirm_remove", name=name, library=lib)
        label = t("team.btn_remove_yes")
    elif action is TeamAction.HAND_OVER:
        text = t("team.confirm_owner", name=name, library=lib)
        label = t("team.btn_owner_yes")
    else:
        text = t("team.confirm_leave", library=lib)
        label = t("team.btn_leave_yes")
    await edit_text(callback, text, _confirm(t, yes, label))


async def keep(callback: CallbackQuery, t: Translate) -> None:
    await callback.answer()
    await edit_text(callback, t("team.kept"))


async def confirmed(
    callback: CallbackQuery,
    callback_data: TeamCb,
    *,
    repo: Repositories,
    notifier: Notifier,
    menus: CommandMenus,
    bot: Bot,
    t: Translate,
) -> None:
    library = await repo.libraries.get(callback_data.library_id)
    me = callback.from_user.id
    if library is None or await repo.libraries.member_role(library.id, me) is None:
        await callback.answer(t("team.not_member"), show_alert=True)
        return
    # The key of the texts: remove, owner or leave.
    action = callback_data.action.removesuffix("_yes")
    target = callback_data.user_id
    lib_id = library.id
    if callback_data.action is TeamAction.REMOVE_CONFIRM:
        done = await repo.libraries.member_role(
            lib_id, me
        ) == "owner" and await repo.libraries.remove_member(lib_id, target)
        if done:
            await notifier.tell(
                target,
                lambda their_t: their_t(
                    "team.you_were_removed", library=library_name(library, their_t)
                ),
                essential=True,
            )
            await menus.refresh(bot, target)
    elif callback_data.action is TeamAction.HAND_OVER_CONFIRM:
        done = await repo.libraries.hand_over(lib_id, me, target)
        if done:
            await notifier.tell(
                target,
                lambda their_t: their_t(
                    "team.you_are_owner", library=library_name(library, their_t)
                ),
                essential=True,
            )
    else:
        done = await repo.libraries.remove_member(lib_id, me)
        if done:
            await menus.refresh(bot, me)
            colleague = escape(callback.from_user.first_name)
            await notifier.tell(
                library.owner_id,
                lambda owner_t: owner_t(
                    "team.colleague_left", name=colleague, library=library_name(library, owner_t)
                ),
            )
    if not done:
        await callback.answer(t("team.member_gone"), show_alert=True)
        return
    await callback.answer()
    name = await _display_name(repo, target, t)
    await edit_text(
        callback, t(f"team.done_{action}", name=name, library=library_name(library, t))
    )


async def join(
    message: Message,
    *,
    command: CommandObject,
    user: User,
    repo: Repositories,
    notifier: Notifier,
    menus: CommandMenus,
    bot: Bot,
    t: Translate,
) -> None:
    token = (command.args or "").removeprefix(INVITE_PREFIX)
    invited_to = await repo.invites.library_of(token)
    role = await repo.libraries.member_role(invited_to, user.id) if invited_to else None
    if invited_to is not None and role is not None:
        # The owner checking their own link (or a colleague pressing it twice) must not use
        # it up: it is meant for someone else.
        library = await repo.libraries.get(invited_to)
        assert library is not None
        key = "team.invite_own" if role == "owner" else "team.already_member"
        await message.answer(t(key, library=library_name(library, t)))
        return
    was_reader = user.is_reader
    # Accepting an invitation makes a reader staff (the invite row points at their user row).
    user = await repo.users.become_staff(user)
    library_id = await repo.invites.redeem(token, user.id)
    library = await repo.libraries.get(library_id) if library_id else None
    if library is None:
        if was_reader:
            await repo.users.forget_unless_staff(user.id)  # a dead link makes nobody staff
        await message.answer(t("team.invite_invalid"))
        return
    await repo.libraries.add_member(library.id, user.id, "editor")
    # A new colleague works in the library they were invited to, until they switch.
    await repo.libraries.choose(user.id, library.id)
    await menus.refresh(bot, user.id)
    text = t("team.joined", library=library_name(library, t))
    if len(await repo.libraries.of_user(user.id)) > 1:
        text += "\n\n" + t("team.joined_several", library=library_name(library, t))
    await message.answer(text)
    colleague = escape(user.first_name)
    await notifier.tell(
        library.owner_id,
        lambda owner_t: owner_t(
            "team.colleague_joined", name=colleague, library=library_name(library, owner_t)
        ),
        dedupe_key=f"joined:{library.id}:{user.id}",
    )


def library_name(library: Library, t: Translate) -> str:
    return escape(library.name or t("msg.untitled_library"))


def create_router() -> Router:
    router = Router(name="team")
    router.message.register(
        join, CommandStart(deep_link=True, magic=F.args.startswith(INVITE_PREFIX))
    )
    router.message.register(invite, Command("invite"), IsOwner())
    router.message.register(team, Command("team"), InLibrary())
    router.callback_query.register(
        ask,
        TeamCb.filter(F.action.in_({TeamAction.REMOVE, TeamAction.HAND_OVER, TeamAction.LEAVE})),
    )
    router.callback_query.register(keep, TeamCb.filter(F.action == TeamAction.KEEP))
    router.callback_query.register(
        confirmed,
        TeamCb.filter(
            F.action.in_(
                {TeamAction.REMOVE_CONFIRM, TeamAction.HAND_OVER_CONFIRM, TeamAction.LEAVE_CONFIRM}
            )
        ),
    )
    return router
