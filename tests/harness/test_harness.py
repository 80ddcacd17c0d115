"""The conversation harness itself: a crash or a refused request fails the test that caused it.

Checked on the toy router with the bot's real error handlers, so the check does not depend
on any feature of the bot staying broken.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram.methods import SendMessage
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db.connection import open_database
from bot.db.repositories import Repositories
from bot.factory import register_error_handlers
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot, build_toy_dispatcher


@pytest.fixture
async def toy(tmp_path: Path, i18n: I18n, settings: Settings) -> AsyncIterator[ChatUser]:
    db = await open_database(tmp_path / "toy.sqlite3")
    dispatcher = build_toy_dispatcher()
    dispatcher.workflow_data.update(repo=Repositories(db), i18n=i18n, settings=settings)
    register_error_handlers(dispatcher)
    yield ChatUser(dispatcher, MockedBot(), 100)
    await db.close()


async def test_a_crash_answered_by_the_error_handler_fails_the_test(
    toy: ChatUser, i18n: I18n
) -> None:
    with pytest.raises(AssertionError, match="a handler failed"):
        await toy.send("/fail")
    # The user was told; the harness still refused to call it a success.
    assert toy.last_text() == i18n.gettext("error.generic", locale="ru")


async def test_an_expected_crash_passes_and_an_expected_one_that_did_not_happen_fails(
    toy: ChatUser,
) -> None:
    await toy.send("/fail", expect_error=True)
    with pytest.raises(AssertionError, match="expected to fail"):
        await toy.send("привет", expect_error=True)


async def test_a_refused_request_fails_the_test_and_is_not_shown(toy: ChatUser) -> None:
    await toy.send("привет")
    with pytest.raises(AssertionError, match="Telegram refused"):
        await toy.send("/bad_html")
    # What the user sees is what Telegram accepted: the echo, not the refused message.
    assert toy.texts() == ["Эхо: привет"]
    assert toy.last_text() == "Эхо: привет"


async def test_expected_refusals_pass(toy: ChatUser) -> None:
    replies = await toy.send("/bad_html", expect_refused=True)
    assert toy.texts(replies) == []
    with pytest.raises(AssertionError, match="expected to refuse"):
        await toy.send("привет", expect_refused=True)
    # A refusal the test queued itself is expected by construction.
    toy.bot.session.add_result_for(SendMessage, ok=False, description="Bad Request: boom")
    await toy.send("ещё", expect_error=True)


async def test_a_keyboard_on_a_refused_message_cannot_be_pressed(toy: ChatUser) -> None:
    await toy.send("/start")
    toy.bot.session.add_result_for(SendMessage, ok=False, description="Bad Request: boom")
    await toy.send("/start", expect_error=True)
    # The second keyboard never reached the user; pressing uses the first one's message.
    message_id, _ = toy.last_keyboard()
    assert message_id == toy.bot.session.results[0].message_id
