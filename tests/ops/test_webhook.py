"""Webhook mode over real HTTP on 127.0.0.1, and the graceful shutdown sequence."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.methods import SetWebhook
from aiogram.types import Message
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.db.connection import open_database
from bot.db.engine import Database
from bot.outbox import Outbox, OutboxSender
from bot.shutdown import UpdatesInFlight, graceful_shutdown, install_signal_handlers
from bot.webhook import create_webhook_app, set_webhook
from tests.ops.fakes import FakeSession

SECRET = "s3cret_token-for-tests"
PATH = "/telegram/webhook"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def update(text: str, update_id: int = 1) -> dict[str, Any]:
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


class Seen:
    def __init__(self) -> None:
        self.texts: list[str] = []
        self.extras: list[object] = []
        self.events: list[str] = []


def dispatcher_with(seen: Seen) -> Dispatcher:
    router = Router()

    @router.message()
    async def remember(message: Message, marker: object) -> None:
        seen.texts.append(message.text or "")
        seen.extras.append(marker)

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    dispatcher.startup.register(lambda: seen.events.append("startup"))
    dispatcher.shutdown.register(lambda: seen.events.append("shutdown"))
    return dispatcher


@pytest.fixture
async def client(
    db: Database, bot: Bot
) -> AsyncIterator[tuple[TestClient[web.Request, web.Application], Seen]]:
    seen = Seen()
    app = create_webhook_app(
        dispatcher_with(seen), bot, secret=SECRET, path=PATH, db=db, marker="workflow"
    )
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        yield test_client, seen
    assert seen.events == ["startup", "shutdown"]


@pytest.mark.parametrize("headers", [{}, {HEADER: "wrong"}, {HEADER: SECRET + "x"}])
async def test_requests_without_the_secret_are_refused(
    client: tuple[TestClient[web.Request, web.Application], Seen], headers: dict[str, str]
) -> None:
    test_client, seen = client
    response = await test_client.post(PATH, json=update("hello"), headers=headers)
    assert response.status == 401
    assert seen.texts == []


async def test_update_with_the_secret_reaches_the_handler(
    client: tuple[TestClient[web.Request, web.Application], Seen],
) -> None:
    test_client, seen = client
    response = await test_client.post(PATH, json=update("hello"), headers={HEADER: SECRET})
    assert response.status == 200
    assert seen.texts == ["hello"]  # handled before the answer: nothing left in flight
    assert seen.extras == ["workflow"]
    assert test_client.port is not None


async def test_health_answers_ok_when_the_database_does(
    client: tuple[TestClient[web.Request, web.Application], Seen],
) -> None:
    test_client, _ = client
    response = await test_client.get("/health")
    assert response.status == 200
    assert await response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not used",
        "outbox": {"pending": 0, "failed": 0, "blocked": 0},
    }
    assert (await test_client.get(PATH)).status == 405  # the webhook only takes POST


async def test_health_reports_a_dead_database(db_path: Path, bot: Bot) -> None:
    dead = await open_database(db_path)
    await dead.close()
    app = create_webhook_app(Dispatcher(), bot, secret=SECRET, path=PATH, db=dead)
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        response = await test_client.get("/health")
        assert response.status == 503
        report = await response.json()
        assert (report["status"], report["database"]) == ("error", "unavailable")


@pytest.mark.parametrize(
    ("secret", "path"), [("", PATH), ("has space", PATH), ("x" * 257, PATH), (SECRET, "hook")]
)
def test_bad_secret_or_path_is_rejected(db: Database, bot: Bot, secret: str, path: str) -> None:
    with pytest.raises(ValueError, match="must"):
        create_webhook_app(Dispatcher(), bot, secret=secret, path=path, db=db)


async def test_graceful_shutdown_finishes_updates_in_flight_then_flushes_the_outbox(
    db: Database, bot: Bot, session: FakeSession
) -> None:
    entered, release = asyncio.Event(), asyncio.Event()
    outbox = Outbox(db)
    router = Router()

    @router.message()
    async def slow(message: Message) -> None:
        entered.set()
        await release.wait()
        await outbox.enqueue_message(message.chat.id, "done")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    app = create_webhook_app(dispatcher, bot, secret=SECRET, path=PATH, db=db)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    stop = asyncio.Event()
    sender = OutboxSender(bot, db, poll_interval=0.05)
    sender_loop = asyncio.create_task(sender.run_forever(stop))

    async with aiohttp.ClientSession() as http:
        request = asyncio.create_task(
            http.post(f"http://{host}:{port}{PATH}", json=update("hi"), headers={HEADER: SECRET})
        )
        await entered.wait()
        shutdown = asyncio.create_task(
            graceful_shutdown(
                stop_event=stop, runner=runner, background=[sender_loop], sender=sender, db=db
            )
        )
        await asyncio.sleep(0)
        assert not shutdown.done()  # waiting for the update in flight
        release.set()
        response = await request
        assert response.status == 200
        await shutdown

    assert session.texts() == ["done"]  # enqueued by the last update, sent before exit
    with pytest.raises(ValueError, match="connection"):  # closed last
        await db.execute("SELECT 1")


async def test_set_webhook_sends_the_secret_and_used_update_types(
    bot: Bot, session: FakeSession
) -> None:
    seen = Seen()
    await set_webhook(bot, dispatcher_with(seen), url="https://bot.example/hook", secret=SECRET)
    [call] = session.attempts
    assert isinstance(call, SetWebhook)
    assert call.url == "https://bot.example/hook"
    assert call.secret_token == SECRET
    assert call.allowed_updates == ["message"]


async def test_sigterm_sets_the_stop_event() -> None:
    stop = asyncio.Event()
    install_signal_handlers(stop)
    loop = asyncio.get_running_loop()
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        await stop.wait()
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
        loop.remove_signal_handler(signal.SIGINT)
    assert stop.is_set()


async def test_polling_style_shutdown_waits_for_updates_being_handled(
    db: Database, bot: Bot, session: FakeSession
) -> None:
    entered, release = asyncio.Event(), asyncio.Event()
    outbox = Outbox(db)
    router = Router()

    @router.message()
    async def slow(message: Message) -> None:
        entered.set()
        await release.wait()
        await outbox.enqueue_message(message.chat.id, "finished")

    dispatcher = Dispatcher()
    in_flight = UpdatesInFlight()
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.include_router(router)
    # What polling does with handle_as_tasks=True: the update runs as its own task.
    handling = asyncio.create_task(dispatcher.feed_raw_update(bot, update("hi")))
    await entered.wait()
    assert in_flight.count == 1
    shutdown = asyncio.create_task(
        graceful_shutdown(
            stop_event=asyncio.Event(), in_flight=in_flight, sender=OutboxSender(bot, db)
        )
    )
    await asyncio.sleep(0)
    assert not shutdown.done()
    release.set()
    await shutdown
    await handling

    assert in_flight.count == 0
    assert session.texts() == ["finished"]
