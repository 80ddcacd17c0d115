"""A library's owner invites a colleague with a one-time link; outsiders are refused."""

from __future__ import annotations

import re

from aiogram.utils.i18n import I18n

from bot.db.repositories import Repositories
from bot.i18n import Translator
from bot.outbox.repository import Outbox
from tests.chat import ChatUser
from tests.profiles import WIZARD_RURAL_RU
from tests.wizard_driver import complete_wizard


async def test_invite_link_makes_a_colleague_an_editor_once(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, ru)
    (reply,) = anna.texts(await anna.send("/invite"))
    link = re.search(r"https://t\.me/library_smm_bot\?start=(inv_[\w-]+)", reply)
    assert link is not None, reply
    payload = link.group(1)
    assert len(payload) <= 64

    texts = john.texts(await john.send(f"/start {payload}"))
    assert texts == [
        Translator(i18n, "en")(
            "team.joined", library="Сельская библиотека &lt;им. Пушкина&gt; &amp; филиал"
        )
    ]
    (library,) = await repo.libraries.of_user(anna.user.id)
    assert await repo.libraries.member_role(library.id, john.user.id) == "editor"
    # John now sees the library's strategy, the owner hears about it through the outbox.
    assert [s.id for s in await repo.strategies.of_user(john.user.id)] == [
        s.id for s in await repo.strategies.of_user(anna.user.id)
    ]
    counts = await Outbox(repo.db).counts()
    assert counts.get("pending") == 1

    stranger = ChatUser(anna.dispatcher, anna.bot, 300, language_code="ru", first_name="Чужой")
    assert stranger.texts(await stranger.send(f"/start {payload}")) == [ru("team.invite_invalid")]
    assert await repo.libraries.member_role(library.id, 300) is None


async def test_outsiders_cannot_invite_or_see_the_team(anna: ChatUser, i18n: I18n) -> None:
    ru = Translator(i18n, "ru")
    assert anna.texts(await anna.send("/invite")) == [ru("access.owner_only")]
    assert anna.texts(await anna.send("/team")) == [ru("access.staff_only")]
    assert anna.texts(await anna.send("/strategies")) == [ru("access.staff_only")]
