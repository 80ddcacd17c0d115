"""The bot over real HTTP: aiogram's AiohttpSession and long polling against a local fake API.

Everything else in the suite feeds updates straight into the dispatcher; this test covers
what that skips: form encoding, multipart uploads, JSON decoding of replies, getUpdates
offsets, and a clean start and stop of polling with the session closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNotFound
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db.connection import open_database
from bot.db.repositories import Repositories
from bot.factory import create_bot, create_dispatcher
from bot.storage import DatabaseStorage
from tests.fake_bot_api import FakeBotApi, callback_update, message_update
from tests.mocked_bot import build_toy_dispatcher

TOKEN = "42:TEST"


def build_dispatcher() -> Dispatcher:
    """The dispatcher under test (to become ``create_dispatcher(...)`` of the real bot)."""
    return build_toy_dispatcher()


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


def http_bot(api: FakeBotApi) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api.url))
    return Bot(TOKEN, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


async def test_polling_answers_a_start_and_a_button_press(api: FakeBotApi) -> None:
    dispatcher = build_dispatcher()
    bot = http_bot(api)
    session = bot.session
    assert isinstance(session, AiohttpSession)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    try:
        first_poll = await api.wait_for_call("getUpdates")
        assert {"message", "callback_query"} <= set(first_poll.json("allowed_updates"))
        assert first_poll.token == TOKEN

        start_id = api.push_update(message_update("/start"))
        start = await api.wait_for_call("sendMessage")
        assert start.params["chat_id"] == "1001"
        assert start.params["parse_mode"] == "HTML"
        assert start.params["text"].startswith("<b>Привет</b>! Библиотека &amp;")
        assert start.buttons() == [("Да", "answer:yes"), ("Нет", "answer:no"), ("Сайт", None)]
        # The next poll confirms the update it got.
        await api.wait_for_call(
            "getUpdates", lambda c: c.params.get("offset") == str(start_id + 1)
        )

        api.push_update(callback_update("answer:no", start.result))
        answer = await api.wait_for_call("answerCallbackQuery")
        assert (answer.params["callback_query_id"], answer.params["text"]) == (
            "cb-answer:no",
            "Принято",
        )
        edit = await api.wait_for_call("editMessageText")
        assert edit.params["message_id"] == str(start.result["message_id"])
        assert edit.params["text"] == "Вы ответили: <i>нет</i>"
        assert "reply_markup" not in edit.params  # the buttons are gone

        api.push_update(message_update("/doc", message_id=3))
        document = await api.wait_for_call("sendDocument")
        upload = document.files[document.params["document"].removeprefix("attach://")]
        assert (upload.filename, upload.data) == ("plan.txt", b"plan\n")
        assert document.params["caption"] == "<b>План</b>"
    finally:
        if not polling.done():
            await dispatcher.stop_polling()
        await polling

    assert [c.method for c in api.calls].count("getMe") == 1
    assert session._session is not None
    assert session._session.closed  # start_polling closed the HTTP session


async def test_unknown_methods_get_telegrams_not_found(api: FakeBotApi) -> None:
    bot = http_bot(api)
    try:
        with pytest.raises(TelegramNotFound):
            await bot.get_chat(1001)
        me = await bot.get_me()
    finally:
        await bot.session.close()
    assert (me.id, me.username) == (42, "library_smm_bot")
    assert [c.method for c in api.calls] == ["getChat", "getMe"]


async def test_get_updates_returns_queued_updates_and_honours_the_offset(
    api: FakeBotApi,
) -> None:
    bot = http_bot(api)
    try:
        first = api.push_update(message_update("раз"))
        second = api.push_update(message_update("два", message_id=2))
        updates = await bot.get_updates(timeout=0)
        assert [u.update_id for u in updates] == [first, second]
        assert updates[0].message is not None
        assert updates[0].message.text == "раз"

        assert [u.update_id for u in await bot.get_updates(offset=second, timeout=0)] == [second]
        assert await bot.get_updates(offset=second + 1, timeout=0) == []

        # A long poll returns as soon as an update arrives.
        waiting = asyncio.create_task(bot.get_updates(offset=second + 1, timeout=30))
        await api.wait_for_call(
            "getUpdates", lambda c: c.params.get("timeout") == "30", answered=False
        )
        third = api.push_update(message_update("три", message_id=3))
        assert [u.update_id for u in await waiting] == [third]
    finally:
        await bot.session.close()


async def test_the_real_bot_over_http_from_start_to_a_button(
    api: FakeBotApi, tmp_path: Path, i18n: I18n
) -> None:
    """The production wiring (create_bot with TELEGRAM_API_URL, create_dispatcher, SQLite)."""
    settings = Settings(
        _env_file=None,
        bot_token=None,
        database_path=tmp_path / "bot.sqlite3",
        telegram_api_url=api.url,
    )
    db = await open_database(settings.database_path)
    dispatcher = create_dispatcher(
        repo=Repositories(db), storage=DatabaseStorage(db), i18n=i18n, settings=settings
    )
    bot = create_bot(TOKEN, api_url=settings.telegram_api_url)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    try:
        api.push_update(message_update("/start"))
        welcome = await api.wait_for_call("sendMessage")
        assert welcome.params["text"].startswith("Здравствуйте!")
        question = await api.wait_for_call(
            "sendMessage", lambda c: "Как называется" in c.params["text"]
        )
        assert "Перед началом · О библиотеке" in question.params["text"]
        commands = [c for c in api.calls if c.method == "setMyCommands"]
        assert {c.params.get("language_code") for c in commands} >= {"ru", "en"}

        for text, message_id in (("Библиотека №1", 2), ("Тверь", 3)):
            api.push_update(message_update(text, message_id=message_id))
        region = await api.wait_for_call("sendMessage", lambda c: "Район" in c.params["text"])
        skip = next(data for label, data in region.buttons() if label.startswith("Пропустить"))
        assert skip is not None
        api.push_update(callback_update(skip, region.result))
        await api.wait_for_call(
            "answerCallbackQuery", lambda c: c.params["callback_query_id"] == f"cb-{skip}"
        )
        country = await api.wait_for_call(
            "sendMessage", lambda c: "В какой стране" in c.params["text"]
        )
        russia = next(data for label, data in country.buttons() if label == "Россия")
        assert russia is not None
        api.push_update(callback_update(russia, country.result))
        await api.wait_for_call("sendMessage", lambda c: "часовой пояс" in c.params["text"])
    finally:
        if not polling.done():
            await dispatcher.stop_polling()
        await polling
        await db.close()

    answers = await _stored_answers(settings.database_path)
    assert answers == {
        "lib_name": "Библиотека №1",
        "lib_settlement": "Тверь",
        "lib_region": None,
        "lib_country": "ru",
    }


async def _stored_answers(path: Path) -> dict[str, object]:
    db = await open_database(path)
    try:
        (strategy,) = await Repositories(db).strategies.of_user(1001)
        return await Repositories(db).answers.all(strategy.id)
    finally:
        await db.close()
