"""No update lost, none handled twice: confirmed to Telegram only once handled, a replayed
update id changes nothing, a malformed webhook body gets 400."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.methods import SendMessage
from aiogram.types import Message
from aiogram.utils.i18n import I18n
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.factory import create_bot, create_dispatcher
from bot.polling import ConfirmingPoller
from bot.storage import DatabaseStorage
from bot.webhook import create_webhook_app
from tests.chat import ChatUser
from tests.fake_bot_api import FakeBotApi, message_update
from tests.mocked_bot import MockedBot
from tests.ops.fakes import FakeSession

SECRET = "s3cret_token-for-tests"
PATH = "/telegram/webhook"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def bot_dispatcher(db: Database, i18n: I18n, settings: Settings) -> Dispatcher:
    return create_dispatcher(
        repo=Repositories(db),
        storage=DatabaseStorage(db),
        i18n=i18n,
        settings=settings,
        remember_updates=True,
    )


async def test_a_replayed_update_changes_nothing(
    db: Database, i18n: I18n, settings: Settings
) -> None:
    anna = ChatUser(bot_dispatcher(db, i18n, settings), MockedBot(), 100)
    await anna.send("/start")
    name = anna.message_update("Библиотека №1")
    first = await anna.feed(name)
    assert first  # the next question was sent
    repo = Repositories(db)
    (strategy,) = await repo.strategies.of_user(100)
    answers = await repo.answers.all(strategy.id)

    again = await anna.feed(name)  # Telegram delivers it once more

    assert again == []
    assert await repo.answers.all(strategy.id) == answers
    rows = await db.execute_fetchall("SELECT count(*) FROM processed_updates")
    assert list(next(iter(rows))) == [2]


async def test_an_update_that_failed_is_handled_when_it_comes_again(
    db: Database, i18n: I18n, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = ChatUser(bot_dispatcher(db, i18n, settings), MockedBot(), 100)
    await anna.send("/start")
    name = anna.message_update("Библиотека №1")

    async def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("disk on fire")

    with monkeypatch.context() as patch:
        patch.setattr("bot.services.wizard.WizardService.save", broken)
        await anna.feed(name, expect_error=True)
    # Its id was rolled back with it, so the redelivery is handled for real.
    await anna.feed(name)
    (strategy,) = await Repositories(db).strategies.of_user(100)
    assert (await Repositories(db).answers.all(strategy.id))["lib_name"] == "Библиотека №1"


def raw_update(text: str, update_id: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1767571200,
            "chat": {"id": 7, "type": "private"},
            "from": {"id": 7, "is_bot": False, "first_name": "Anna"},
            "text": text,
        },
    }


@pytest.fixture
async def webhook(
    db: Database, bot: Bot, i18n: I18n, settings: Settings
) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    app = create_webhook_app(
        bot_dispatcher(db, i18n, settings), bot, secret=SECRET, path=PATH, db=db
    )
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


async def test_the_same_update_posted_twice_is_handled_once(
    webhook: TestClient[web.Request, web.Application], session: FakeSession
) -> None:
    first = await webhook.post(PATH, json=raw_update("/start", 501), headers={HEADER: SECRET})
    assert first.status == 200
    sent = [r for r in session.delivered if isinstance(r, SendMessage)]
    assert sent

    second = await webhook.post(PATH, json=raw_update("/start", 501), headers={HEADER: SECRET})
    assert second.status == 200
    assert [r for r in session.delivered if isinstance(r, SendMessage)] == sent


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        json.dumps([1, 2, 3]).encode(),
        json.dumps({"message": {"text": "no update_id"}}).encode(),
        json.dumps({"update_id": "seven"}).encode(),
    ],
)
async def test_a_malformed_body_gets_400_without_a_traceback(
    webhook: TestClient[web.Request, web.Application],
    session: FakeSession,
    body: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO):
        response = await webhook.post(
            PATH, data=body, headers={HEADER: SECRET, "Content-Type": "application/json"}
        )
    assert response.status == 400
    assert await response.json() == {"ok": False, "description": "malformed update"}
    assert not [r for r in session.attempts if isinstance(r, SendMessage)]
    assert not [record for record in caplog.records if record.exc_info]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        "webhook: malformed update refused"
    ]


# --- polling ------------------------------------------------------------------------------


async def test_polling_confirms_an_update_only_once_it_is_handled() -> None:
    release = asyncio.Event()
    handled: list[str] = []
    fast_done = asyncio.Event()
    router = Router()

    @router.message()
    async def slow(message: Message) -> None:
        if message.text == "slow":
            await release.wait()
        handled.append(message.text or "")
        if message.text == "fast":
            fast_done.set()

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    async with FakeBotApi() as api:
        bot = create_bot("42:" + "A" * 35, api_url=api.url)
        stop = asyncio.Event()
        poller = ConfirmingPoller(dispatcher, bot, timeout=1, busy_wait=0.01)
        running = asyncio.create_task(poller.run(stop))
        slow_id = api.push_update(message_update("slow", user_id=7))
        fast_id = api.push_update(message_update("fast", user_id=8))
        await asyncio.wait_for(fast_done.wait(), timeout=10)
        # The later update is done, the earlier is not: Telegram must keep both.
        asked = len(api.calls_of("getUpdates"))
        await api.wait_for_call("getUpdates", lambda _: len(api.calls_of("getUpdates")) > asked)
        offsets = [int(call.params.get("offset") or 0) for call in api.calls_of("getUpdates")]
        assert max(offsets) <= slow_id
        assert handled == ["fast"]  # and "fast", delivered again meanwhile, ran once

        release.set()
        await api.wait_for_call(
            "getUpdates", lambda call: int(call.params.get("offset") or 0) == fast_id + 1
        )
        stop.set()
        await running
        await bot.session.close()
    assert handled == ["fast", "slow"]
