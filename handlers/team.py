"""A library's team: the owner invites colleagues with one-time links."""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.deep_linking import create_start_link

from bot.access import IsOwner, IsStaff
from bot.db.repositories import Library, Repositories, User
from bot.i18n import Translate
from bot.services.notifier import Notifier

INVITE_PREFIX = "inv_"


async def invite(
    message: Message, libraries: list[Library], repo: Repositories, bot: Bot, t: Translate
) -> None:
    library = libraries[0]
    token = await repo.invites.create(library.id, message.chat.id)
    link = await create_start_link(bot, INVITE_PREFIX + token)
    await message.answer(t("team.invite_link", library=_name(library, t), link=link))


async def team(
    message: Message, libraries: list[Library], repo: Repositories, t: Translate
) -> None:
    lines = []
    for library in libraries:
        members = await repo.libraries.members(library.id)
        names = []
        for user_id, role in members:
            user = await repo.users.get(user_id)
            name = escape(user.first_name) if user and user.first_name else str(user_id)
            names.append(t(f"team.role_{role}", name=name))
        lines.append(
            t(
                "team.members",
                library=escape(library.name or t("msg.untitled_library")),
                members="\n".join(names),
            )
        )
    await message.answer("\n\n".join(lines))


async def join(
    message: Message,
    *,
    command: CommandObject,
    user: User,
    repo: Repositories,
    notifier: Notifier,
    t: Translate,
) -> None:
    token = (command.args or "").removeprefix(INVITE_PREFIX)
    library_id = await repo.invites.redeem(token, user.id)
    library = await repo.libraries.get(library_id) if library_id else None
    if library is None:
        await message.answer(t("team.invite_invalid"))
        return
    await repo.libraries.add_member(library.id, user.id, "editor")
    await message.answer(t("team.joined", library=_name(library, t)))
    if library.owner_id != user.id:
        colleague = escape(user.first_name)
        await notifier.tell(
            library.owner_id,
            lambda owner_t: owner_t(
                "team.colleague_joined", name=colleague, library=_name(library, owner_t)
            ),
            dedupe_key=f"joined:{library.id}:{user.id}",
        )


def _name(library: Library, t: Translate) -> str:
    return escape(library.name or t("msg.untitled_library"))


def create_router() -> Router:
    router = Router(name="team")
    router.message.register(
        join, CommandStart(deep_link=True, magic=F.args.startswith(INVITE_PREFIX))
    )
    router.message.register(invite, Command("invite"), IsOwner())
    router.message.register(team, Command("team"), IsStaff())
    return router
