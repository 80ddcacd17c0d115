"""``python -m bot``: choosing the mode, refusing incomplete settings, and each mode for real
(polling and webhook over HTTP against a local fake Bot API, the console on piped input)."""

from __future__ import annotations

import asyncio
import gc
import io
import os
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot import app
from bot.__main__ import missing_settings, resolve_mode, run
from bot.antiflood import AntiFlood
from bot.config import Settings
from bot.db.connection import open_database
from bot.db.repositories import Repositories
from bot.factory import KeepResponseModels, create_bot
from bot.outbox.repository import Outbox
from tests.fake_bot_api import Call, FakeBotApi, message_update

TOKEN = "420:" + "A" * 35
SECRET = "hook_secret-1"


class BotApi(FakeBotApi):
    """The shared fake, plus the one method webhook mode needs."""

    async def _api_setwebhook(self, call: Call) -> bool:
        return True


@pytest.fixture
async def api() -> AsyncIterator[BotApi]:
    server = BotApi(bot_id=420)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def make_settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings(_env_file=None, database_path=tmp_path / "data" / "bot.sqlite3", **values)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- choosing the mode ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "values", "mode"),
    [
        ("auto", {}, "console"),
        ("auto", {"bot_token": TOKEN}, "polling"),
        ("auto", {"bot_token": TOKEN, "webhook_url": "https://x.example/h"}, "webhook"),
        ("serve", {}, "polling"),
        ("serve", {"webhook_url": "https://x.example/h"}, "webhook"),
        ("polling", {"webhook_url": "https://x.example/h"}, "polling"),
        ("console", {"bot_token": TOKEN}, "console"),
    ],
)
def test_mode_is_resolved_from_the_settings(
    tmp_path: Path, asked: str, values: dict[str, Any], mode: str
) -> None:
    assert resolve_mode(asked, make_settings(tmp_path, **values)) == mode


def test_missing_settings_are_named(tmp_path: Path) -> None:
    bare = make_settings(tmp_path)
    assert missing_settings("console", bare) == []
    assert missing_settings("polling", bare) == ["BOT_TOKEN"]
    assert missing_settings("webhook", bare) == ["BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET"]
    ready = make_settings(
        tmp_path, bot_token=TOKEN, webhook_url="https://x.example/h", webhook_secret=SECRET
    )
    assert missing_settings("webhook", ready) == []


@pytest.mark.parametrize(
    ("argv", "env", "line"),
    [
        (
            ["webhook"],
            {"BOT_TOKEN": TOKEN},
            "Configuration error: webhook mode needs WEBHOOK_URL, WEBHOOK_SECRET",
        ),
        (
            ["serve"],
            {},
            "Configuration error: polling mode needs BOT_TOKEN (or run: python -m bot console)",
        ),
        (
            [],
            {"WEBHOOK_PORT": "99999"},
            "Configuration error: WEBHOOK_PORT: Input should be less than or equal to 65535",
        ),
    ],
)
def test_incomplete_settings_give_one_clear_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    env: dict[str, str],
    line: str,
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in list(os.environ):
        if name.startswith(("BOT_", "WEBHOOK_", "REDIS_", "DATABASE_")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exit_info:
        run(argv)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip().splitlines() == [line]


def test_webhook_path_comes_from_the_url() -> None:
    assert app.webhook_path("https://bot.example.org/telegram/hook?x=1") == "/telegram/hook"
    assert app.webhook_path("https://bot.example.org") == "/"


# --- the runtime ------------------------------------------------------------------------


async def test_runtime_has_antiflood_and_keeps_the_fsm_open_until_shutdown(
    tmp_path: Path, api: BotApi
) -> None:
    settings = make_settings(tmp_path, bot_token=TOKEN, telegram_api_url=api.url)
    bot = create_bot(TOKEN, api_url=api.url)
    gc.unfreeze()
    runtime = await app.build_runtime(settings, bot)
    try:
        # What start-up built is out of the collector's sight (bot/factory.py), and the
        # session keeps aiogram's reply models alive.
        assert gc.get_freeze_count() > 0
        assert any(isinstance(m, KeepResponseModels) for m in bot.session.middleware)
        flood = [m for m in runtime.dispatcher.message.outer_middleware if type(m) is AntiFlood]
        assert len(flood) == 1
        callbacks = runtime.dispatcher.shutdown.handlers
        assert all(h.callback != runtime.dispatcher.fsm.close for h in callbacks)
    finally:
        await runtime.shutdown()
    with pytest.raises(ValueError, match="connection"):
        await runtime.db.execute("SELECT 1")
    with pytest.raises(ValueError, match="connection"):
        await runtime.sender_db.execute("SELECT 1")


async def test_polling_answers_sends_the_outbox_and_stops_on_sigterm(
    tmp_path: Path, api: BotApi
) -> None:
    settings = make_settings(tmp_path, bot_token=TOKEN, telegram_api_url=api.url)
    db = await open_database(settings.database_path)
    library = await Repositories(db).libraries.create(
        (await Repositories(db).users.upsert(5, "Owner", "ru")).id, "Библиотека"
    )
    running = asyncio.create_task(app.run_polling(settings))
    try:
        await api.wait_for_call("getUpdates", answered=False)
        assert api.calls_of("deleteWebhook")

        api.push_update(message_update("/start"))
        welcome = await api.wait_for_call("sendMessage")
        assert welcome.params["text"].startswith("Здравствуйте!")

        # Anything enqueued (by a job, by another process) goes out through the sender.
        await Outbox(db).enqueue_message(5, "из очереди")
        await api.wait_for_call("sendMessage", lambda c: c.params["text"] == "из очереди")
    finally:
        os.kill(os.getpid(), signal.SIGTERM)  # as `docker stop` does
        await running
        asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
        asyncio.get_running_loop().remove_signal_handler(signal.SIGINT)
    async with db.execute(
        "SELECT scope FROM schedule WHERE name = 'digest'"
    ) as cursor:  # the scheduler ran and planned the library's digest
        assert [row[0] for row in await cursor.fetchall()] == [str(library.id)]
    async with db.execute("SELECT status FROM outbox") as cursor:
        assert [row[0] for row in await cursor.fetchall()] == ["sent"]
    await db.close()


async def test_polling_serves_health_and_metrics_when_health_port_is_set(
    tmp_path: Path, api: BotApi
) -> None:
    port = free_port()
    settings = make_settings(tmp_path, bot_token=TOKEN, telegram_api_url=api.url, health_port=port)
    db = await open_database(settings.database_path)
    await Outbox(db).enqueue_message(5, "ждёт", dedupe_key="waiting")
    await db.execute("UPDATE outbox SET status = 'failed'")
    await db.commit()
    stop = asyncio.Event()
    running = asyncio.create_task(app.run_polling(settings, stop_event=stop))
    try:
        await api.wait_for_call("getUpdates", answered=False)
        api.push_update(message_update("/start"))
        await api.wait_for_call("sendMessage")
        async with aiohttp.ClientSession() as http:
            base = f"http://127.0.0.1:{port}"
            health = await http.get(f"{base}/health")
            assert health.status == 200
            assert await health.json() == {
                "status": "ok",
                "database": "ok",
                "redis": "not used",
                "outbox": {"pending": 0, "failed": 1, "blocked": 0},
            }
            handled = 'bot_updates_handled_total{outcome="ok",type="message"} 1.0'
            # The reply goes out inside the handler: the count follows a moment later.
            for _ in range(200):
                metrics = await (await http.get(f"{base}/metrics")).text()
                if handled in metrics:
                    break
                await asyncio.sleep(0.05)
        assert 'bot_outbox_messages{status="failed"} 1.0' in metrics
        assert handled in metrics
        assert 'bot_handler_seconds_count{type="message"} 1.0' in metrics
    finally:
        stop.set()
        await running
        loop = asyncio.get_running_loop()
        loop.remove_signal_handler(signal.SIGTERM)
        loop.remove_signal_handler(signal.SIGINT)
        await db.close()


async def test_webhook_sets_the_hook_answers_posts_and_stops(tmp_path: Path, api: BotApi) -> None:
    port = free_port()
    settings = make_settings(
        tmp_path,
        bot_token=TOKEN,
        telegram_api_url=api.url,
        webhook_url="https://bot.example.org/tg/hook",
        webhook_secret=SECRET,
        webhook_host="127.0.0.1",
        webhook_port=port,
    )
    stop = asyncio.Event()
    running = asyncio.create_task(app.run_webhook(settings, stop_event=stop))
    try:
        hook = await api.wait_for_call("setWebhook")
        assert hook.params["url"] == "https://bot.example.org/tg/hook"
        assert hook.params["secret_token"] == SECRET
        async with aiohttp.ClientSession() as http:
            base = f"http://127.0.0.1:{port}"
            update = {"update_id": 1, **message_update("/start")}
            refused = await http.post(f"{base}/tg/hook", json=update)
            assert refused.status == 401
            accepted = await http.post(
                f"{base}/tg/hook",
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
            assert accepted.status == 200
            health = await http.get(f"{base}/health")
            assert (health.status, (await health.json())["status"]) == (200, "ok")
        welcome = await api.wait_for_call("sendMessage")
        assert welcome.params["text"].startswith("Здравствуйте!")
    finally:
        stop.set()
        await running
        loop = asyncio.get_running_loop()
        loop.remove_signal_handler(signal.SIGTERM)
        loop.remove_signal_handler(signal.SIGINT)
    assert not api.calls_of("deleteWebhook")  # Telegram keeps queueing while we restart


async def test_lang_overrides_the_saved_language_for_the_session(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    await app.run_console_mode(
        settings, language_code="ru", stdin=io.StringIO("/start\n"), stdout=io.StringIO()
    )
    out = io.StringIO()
    await app.run_console_mode(
        settings, language_code="en", stdin=io.StringIO("/help\n"), stdout=out
    )
    assert "/settings — Settings" in out.getvalue()
    db = await open_database(tmp_path / "data" / "console.sqlite3")
    user = await Repositories(db).users.get(1)
    await db.close()
    assert user is not None and user.language == "ru"  # saved again after the session


async def test_console_uses_its_own_database_and_the_chosen_language(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    out = io.StringIO()
    await app.run_console_mode(
        settings, language_code="en", stdin=io.StringIO("/start\n"), stdout=out
    )
    assert "Hello! I will help your library" in out.getvalue()
    console_db = tmp_path / "data" / "console.sqlite3"
    assert app.console_database_path(settings) == console_db
    assert console_db.exists()
    assert not settings.database_path.exists()  # the real users table never sees user 1
    db = await open_database(console_db)
    try:
        user = await Repositories(db).users.get(1)
    finally:
        await db.close()
    assert user is not None
    assert user.language == "en"
