"""A library's team: the owner invites colleagues with one-time links."""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.deep_linking import create_start_link

from bot.access import IsOwner, IsStaff
from bot.db.repositories import Library, Repositories, User
from aiogram.utils.i18n import I18n

from bot.i18n import Translate, Translator

INVITE_PREFIX = "inv_"


async def invite(message: Message, libraries: list[Library], repo: Repositories, bot: Bot, t: Translate) -> None:
    library = libraries[0]
    token = await repo.invites.create(library.id, message.chat.id)
    link = await create_start_link(bot, INVITE_PREFIX + token)
    name = escape(library.name or t("msg.untitled_library"))
    await message.answer(t("team.invite_link", library=name, link=link))


async def team(message: Message, libraries: list[Library], repo: Repositories, t: Translate) -> None:
    lines = []
    for library in libraries:
        members = await repo.libraries.members(library.id)
        names = []
        for user_id, role in members:
            user = await repo.users.get(user_id)
            name = escape(user.first_name) if user and user.first_name else str(user_id)
            names.append(t(f"team.role_{role}", name=name))
        lines.append(t("team.members", library=escape(library.name or t("msg.untitled_library")), members="\n".join(names)))
    await message.answer("\n\n".join(lines))


async def join(
    message: Message, command: CommandObject, user: User, repo: Repositories, i18n: I18n, t: Translate
) -> None:
    token = (command.args or "").removeprefix(INVITE_PREFIX)
    library_id = await repo.invites.redeem(token, user.id)
    library = await repo.libraries.get(library_id) if library_id else None
    if library is None:
        await message.answer(t("team.invite_invalid"))
        return
    await repo.libraries.add_member(library.id, user.id, "editor")
    name = escape(library.name or t("msg.untitled_library"))
    await message.answer(t("team.joined", library=name))
    owner = await repo.users.get(library.owner_id)
    if owner is not None and owner.id != user.id:
        owner_t = Translator(i18n, owner.language or t.locale)
        await notify(owner.id, owner_t("team.colleague_joined", name=escape(user.first_name), library=name))


def create_router() -> Router:
    router = Router(name="team")
    router.message.register(join, CommandStart(deep_link=True, magic=F.args.startswith(INVITE_PREFIX)))
    router.message.register(invite, Command("invite"), IsOwner())
    router.message.register(team, Command("team"), IsStaff())
    return router
