"""One bot for a library network: members of several libraries, switching, removal,
handing over, invites, who may delete a strategy, menus and /help per role."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile

from aiogram.methods import (
    SendDocument,
    SetMyCommands,
    SetMyDescription,
    SetMyName,
    SetMyShortDescription,
)
from aiogram.types import BotCommandScopeChat, BufferedInputFile
from aiogram.utils.i18n import I18n
from openpyxl import load_workbook

from bot.access import ADMIN_COMMANDS, STAFF_COMMANDS, Role
from bot.db.reads import fetch_all
from bot.db.repositories import Library, Repositories
from bot.i18n import Translator
from tests.chat import ChatUser
from tests.conftest import ADMIN_ID
from tests.profiles import WIZARD_RURAL_RU
from tests.wizard_driver import complete_wizard

RU_NAME = "Библиотека А"
EN_NAME = "Library B"


async def found_library(chat: ChatUser, name: str, repo: Repositories) -> Library:
    """/start and the library's name: a draft strategy in a library the user owns."""
    await chat.send("/start")
    await chat.send(name)
    library = await repo.libraries.current(chat.user.id)
    assert library is not None and library.name == name
    return library


async def invite_link(owner: ChatUser) -> str:
    (reply,) = owner.texts(await owner.send("/invite"))
    link = re.search(r"start=(inv_[\w-]+)", reply)
    assert link is not None, reply
    return link.group(1)


async def outbox_texts(repo: Repositories, chat_id: int) -> list[str]:
    rows = await fetch_all(
        repo.db, "SELECT payload FROM outbox WHERE chat_id = ? ORDER BY id", (chat_id,)
    )
    return [json.loads(row[0]).get("text", "") for row in rows]


def chat_menus(chat: ChatUser, requests: list[object]) -> list[list[str]]:
    return [
        [command.command for command in r.commands]
        for r in requests
        if isinstance(r, SetMyCommands)
        and isinstance(r.scope, BotCommandScopeChat)
        and r.scope.chat_id == chat.user.id
    ]


async def test_owner_of_b_who_joins_a_works_in_the_library_they_choose(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    en = Translator(i18n, "en")
    a = await found_library(anna, RU_NAME, repo)
    b = await found_library(john, EN_NAME, repo)
    payload = await invite_link(anna)

    joined = john.texts(await john.send(f"/start {payload}"))
    assert en("team.joined_several", library=RU_NAME) in joined[0]
    # Joining makes the invited library the current one, said so in the reply.
    assert await repo.libraries.current(john.user.id) == a

    # John switches back to his own library; a new strategy and survey land there.
    await john.send("/library")
    await john.press(en("library.btn_use", library=EN_NAME))
    assert await repo.libraries.current(john.user.id) == b
    await john.send("/cancel")
    await john.send("/start")
    await john.press(en("btn.new_strategy"))
    strategies_b = await repo.strategies.of_library(b.id)
    assert len(strategies_b) == 2
    assert len(await repo.strategies.of_library(a.id)) == 1

    await john.send("/survey")
    await john.press(en("survey.staff.create_button"))
    await john.send("Readers of B")
    # The survey's library is fixed when the editor opens: the one John works in.
    drafts = await fetch_all(repo.db, "SELECT data FROM fsm WHERE data LIKE '%library_id%'")
    assert [json.loads(row[0])["library_id"] for row in drafts] == [b.id]

    # /strategies lists the current library's strategies only.
    texts = john.texts(await john.send("/strategies"))
    assert en("library.heading", library=EN_NAME) in texts[0]

    # Switching to A: the survey list and /strategies follow.
    await john.send("/library")
    await john.press(en("library.btn_use", library=RU_NAME))
    texts = john.texts(await john.send("/strategies"))
    assert en("library.heading", library=RU_NAME) in texts[0]


async def test_member_of_several_without_a_choice_is_asked_first(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    en = Translator(i18n, "en")
    await found_library(anna, RU_NAME, repo)
    b = await found_library(john, EN_NAME, repo)
    await john.send(f"/start {await invite_link(anna)}")
    await repo.db.execute("UPDATE users SET current_library_id = NULL WHERE id = ?", (200,))
    await repo.db.commit()

    for command in ("/survey", "/strategies", "/invite", "/team", "/results", "/export"):
        assert john.texts(await john.send(command)) == [en("library.choose_first")], command
    await john.send("/cancel")
    assert john.texts(await john.send("/start")) == [en("library.choose_first")]
    count = len(await repo.strategies.of_user(john.user.id))
    await john.press(en("library.btn_use", library=EN_NAME))
    assert await repo.libraries.current(john.user.id) == b
    assert len(await repo.strategies.of_user(john.user.id)) == count  # nothing was created


async def test_owner_opening_their_own_invite_keeps_it_valid(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    ru, en = Translator(i18n, "ru"), Translator(i18n, "en")
    a = await found_library(anna, RU_NAME, repo)
    payload = await invite_link(anna)
    assert anna.texts(await anna.send(f"/start {payload}")) == [
        ru("team.invite_own", library=RU_NAME)
    ]
    assert await repo.libraries.member_role(a.id, john.user.id) is None
    assert john.texts(await john.send(f"/start {payload}"))[0].startswith(
        en("team.joined", library=RU_NAME)
    )
    assert await repo.libraries.member_role(a.id, john.user.id) == "editor"


async def test_owner_removes_a_member_who_loses_the_staff_menu(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    ru, en = Translator(i18n, "ru"), Translator(i18n, "en")
    a = await found_library(anna, RU_NAME, repo)
    requests = await john.send(f"/start {await invite_link(anna)}")
    assert chat_menus(john, requests) == [list(Role(staff=True, admin=False).commands)]

    await anna.send("/team")
    await anna.press(ru("team.btn_remove", name="John"))
    assert anna.last_text() == ru("team.confirm_remove", name="John", library=RU_NAME)
    await anna.press(ru("team.btn_keep"))
    assert await repo.libraries.member_role(a.id, john.user.id) == "editor"

    await anna.send("/team")
    await anna.press(ru("team.btn_remove", name="John"))
    requests = await anna.press(ru("team.btn_remove_yes"))
    assert await repo.libraries.member_role(a.id, john.user.id) is None
    assert anna.last_text() == ru("team.done_remove", name="John", library=RU_NAME)
    reader_menu = list(Role(staff=False, admin=False).commands)
    assert chat_menus(john, requests) == [reader_menu]
    assert not set(STAFF_COMMANDS) & set(reader_menu)
    assert en("team.you_were_removed", library=RU_NAME) in await outbox_texts(repo, 200)
    assert john.texts(await john.send("/team")) == [en("access.staff_only")]


async def test_hand_over_then_the_old_owner_may_leave_but_the_last_owner_may_not(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    ru, en = Translator(i18n, "ru"), Translator(i18n, "en")
    a = await found_library(anna, RU_NAME, repo)
    await john.send(f"/start {await invite_link(anna)}")

    # The owner has no "leave" button, and a forged one is refused.
    await anna.send("/team")
    assert ru("team.btn_leave") not in anna.button_texts()
    alerts = anna.alerts(await anna.press_data(f"tm:leave:{a.id}:0"))
    assert alerts == [ru("team.owner_cannot_leave")]
    # An editor cannot remove the owner or take ownership.
    alerts = john.alerts(await john.press_data(f"tm:owner_yes:{a.id}:200"))
    assert alerts == [en("team.member_gone")]
    assert await repo.libraries.member_role(a.id, john.user.id) == "editor"

    await anna.send("/team")
    await anna.press(ru("team.btn_make_owner", name="John"))
    assert anna.last_text() == ru("team.confirm_owner", name="John", library=RU_NAME)
    await anna.press(ru("team.btn_owner_yes"))
    assert await repo.libraries.member_role(a.id, john.user.id) == "owner"
    assert await repo.libraries.member_role(a.id, anna.user.id) == "editor"
    library = await repo.libraries.get(a.id)
    assert library is not None and library.owner_id == john.user.id
    assert en("team.you_are_owner", library=RU_NAME) in await outbox_texts(repo, 200)
    # Only the new owner invites now.
    assert anna.texts(await anna.send("/invite")) == [ru("access.owner_only")]
    assert "start=inv_" in john.texts(await john.send("/invite"))[0]

    await anna.send("/team")
    await anna.press(ru("team.btn_leave"))
    await anna.press(ru("team.btn_leave_yes"))
    assert await repo.libraries.member_role(a.id, anna.user.id) is None
    assert await repo.libraries.members(a.id) == [(200, "owner")]


async def test_an_editor_may_not_delete_or_reopen_the_owners_strategy(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    en = Translator(i18n, "en")
    a = await found_library(anna, RU_NAME, repo)
    (strategy,) = await repo.strategies.of_library(a.id)
    await john.send(f"/start {await invite_link(anna)}")

    await john.send("/strategies")
    assert en("btn.strategy_delete") not in john.button_texts()
    for action in ("delete", "delete_yes", "reopen"):
        alerts = john.alerts(await john.press_data(f"sg:{action}:{strategy.id}"))
        assert alerts == [en("access.strategy_not_yours")], action
    assert await repo.strategies.get(strategy.id) is not None

    # His own strategy in the same library is his to delete.
    await john.send("/cancel")
    await john.send("/start")
    await john.press(en("btn.new_strategy"))
    mine = [s for s in await repo.strategies.of_library(a.id) if s.created_by == 200]
    assert len(mine) == 1
    await john.press_data(f"sg:delete_yes:{mine[0].id}")
    assert await repo.strategies.get(mine[0].id) is None


async def test_help_lists_the_commands_of_each_role(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    en, ru = Translator(i18n, "en"), Translator(i18n, "ru")
    (reader_help,) = john.texts(await john.send("/help"))
    assert "/forget" in reader_help and "/settings" in reader_help
    assert "/team" not in reader_help and "/stats" not in reader_help

    await found_library(anna, RU_NAME, repo)
    (staff_help,) = anna.texts(await anna.send("/help"))
    for command in STAFF_COMMANDS:
        assert f"/{command} — {ru(f'cmd.{command}')}" in staff_help
    assert ru("help.rules") in staff_help
    assert "/stats" not in staff_help

    admin = ChatUser(anna.dispatcher, anna.bot, ADMIN_ID, language_code="en", first_name="Meth")
    (admin_help,) = admin.texts(await admin.send("/help"))
    for command in ADMIN_COMMANDS:
        assert f"/{command} — {en(f'cmd.{command}')}" in admin_help
    assert "/team" not in admin_help  # an admin in no team has no staff commands


async def test_startup_presents_the_bot_and_gives_admins_and_staff_their_menus(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    ru, en = Translator(i18n, "ru"), Translator(i18n, "en")
    await found_library(anna, RU_NAME, repo)
    before = len(anna.bot.session.requests)
    await anna.dispatcher.emit_startup(bot=anna.bot, **anna.dispatcher.workflow_data)
    requests = anna.bot.session.requests[before:]

    descriptions = {
        r.language_code: r.description for r in requests if isinstance(r, SetMyDescription)
    }
    assert descriptions == {
        "ru": ru("bot.description"),
        None: ru("bot.description"),
        "en": en("bot.description"),
    }
    shorts = {
        r.language_code: r.short_description
        for r in requests
        if isinstance(r, SetMyShortDescription)
    }
    assert shorts["en"] == en("bot.short_description")
    assert all(len(text or "") <= 120 for text in shorts.values())  # Telegram's limit
    assert all(len(text or "") <= 512 for text in descriptions.values())
    names = {r.language_code: r.name for r in requests if isinstance(r, SetMyName)}
    assert names["en"] == en("bot.name") and names["ru"] == ru("bot.name")

    default_menus = {
        r.language_code: [c.command for c in r.commands]
        for r in requests
        if isinstance(r, SetMyCommands) and r.scope is None
    }
    assert default_menus["en"] == list(Role(staff=False, admin=False).commands)
    scoped = {
        r.scope.chat_id: [c.command for c in r.commands]
        for r in requests
        if isinstance(r, SetMyCommands) and isinstance(r.scope, BotCommandScopeChat)
    }
    assert scoped[anna.user.id] == list(Role(staff=True, admin=False).commands)
    assert scoped[ADMIN_ID] == list(Role(staff=False, admin=True).commands)
    assert "stats" in scoped[ADMIN_ID]


async def test_notifications_switched_off_in_settings_are_not_sent(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    await found_library(anna, RU_NAME, repo)
    await anna.send("/cancel")
    (text,) = anna.texts(await anna.send("/settings"))
    assert ru("settings.notifications_on") in text
    assert ru("settings.library", library=RU_NAME) in text
    await anna.press(ru("settings.btn_notify_off"))
    assert ru("settings.notifications_off") in anna.last_text()
    user = await repo.users.get(anna.user.id)
    assert user is not None and not user.notifications

    await john.send(f"/start {await invite_link(anna)}")
    assert await outbox_texts(repo, anna.user.id) == []
    await anna.press(ru("settings.btn_notify_on"))
    user = await repo.users.get(anna.user.id)
    assert user is not None and user.notifications


async def test_an_admin_sees_each_library_and_an_xlsx_of_all(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    en = Translator(i18n, "en")
    ru = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, ru)
    await found_library(john, EN_NAME, repo)
    admin = ChatUser(anna.dispatcher, anna.bot, ADMIN_ID, language_code="en", first_name="Meth")

    texts = admin.texts(await admin.send("/stats"))
    report = "\n".join(texts)
    (rural,) = await repo.libraries.of_user(anna.user.id)
    assert f"{html.escape(rural.name)}: {en('admin.network.status_complete')}" in report
    assert f"{EN_NAME}: {en('admin.network.status_draft')}" in report

    requests = await admin.press(en("admin.network.xlsx_button"))
    (document,) = [r for r in requests if isinstance(r, SendDocument)]
    assert isinstance(document.document, BufferedInputFile)
    sheet = load_workbook(io.BytesIO(document.document.data)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == en("admin.network.col.library")
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {rural.name, EN_NAME}
    header = rows[0]
    rural_row = by_name[rural.name]
    assert rural_row[header.index(en("admin.network.col.networks"))]  # networks were chosen
    assert int(rural_row[header.index(en("admin.network.col.posts"))]) > 0

    # Nobody else gets the sheet.
    requests = await john.press_data("adm:xlsx")
    assert not [r for r in requests if isinstance(r, SendDocument)]

    # The admin exports and deletes any library, not being in its team.
    await admin.send("/stats")
    await admin.press(en("admin.network.manage_button"))
    await admin.press(EN_NAME, exact=True)
    requests = await admin.press(en("library.btn_zip"))
    assert [r for r in requests if isinstance(r, SendDocument)]
    await admin.press(en("library.btn_delete"))
    await admin.press(en("library.btn_delete_yes"))
    assert [library.name for library in await repo.libraries.all()] == [rural.name]


async def test_an_owner_exports_everything_as_zip_then_deletes_the_library(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    ru, en = Translator(i18n, "ru"), Translator(i18n, "en")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, ru)
    (library,) = await repo.libraries.of_user(anna.user.id)
    await john.send(f"/start {await invite_link(anna)}")

    # An editor gets no such buttons, and a forged one is refused.
    await john.send("/library")
    assert en("library.btn_delete") not in john.button_texts()
    alerts = john.alerts(await john.press_data(f"lib:delete_yes:{library.id}"))
    assert alerts == [en("library.not_allowed")]
    assert await repo.libraries.get(library.id) is not None

    await anna.send("/library")
    requests = await anna.press(ru("library.btn_zip"))
    (document,) = [r for r in requests if isinstance(r, SendDocument)]
    assert isinstance(document.document, BufferedInputFile)
    names = zipfile.ZipFile(io.BytesIO(document.document.data)).namelist()
    assert "library.json" in names
    assert any(name.endswith("-strategy.docx") for name in names)
    assert any(name.endswith("answers.json") for name in names)

    await anna.send("/library")
    await anna.press(ru("library.btn_delete"))
    assert anna.last_text() == ru("library.confirm_delete", library=html.escape(library.name))
    await anna.press(ru("team.btn_keep"))
    assert await repo.libraries.get(library.id) is not None
    await anna.send("/library")
    await anna.press(ru("library.btn_delete"))
    requests = await anna.press(ru("library.btn_delete_yes"))
    assert await repo.libraries.get(library.id) is None
    assert await repo.strategies.of_library(library.id) == []
    assert await repo.libraries.members(library.id) == []
    # Both lost their staff menus; John hears about it.
    assert chat_menus(john, requests) == [list(Role(staff=False, admin=False).commands)]
    told = en("library.deleted_for_member", library=html.escape(library.name))
    assert told in await outbox_texts(repo, 200)
    assert anna.texts(await anna.send("/team")) == [ru("access.staff_only")]
