"""The real bot under SIGKILL: a fake Bot API that kills it at chosen requests, the bot
process forked from a warm parent, and a chat driven through it update by update.

Shared by the wizard walk (tests/ops/test_sigkill.py) and the reader's survey walk
(tests/ops/test_sigkill_reader.py); the module docstring of the first says how a kill works.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.fake_bot_api import FakeBotApi, callback_update, message_update

ROOT = Path(__file__).resolve().parents[2]
BOT_ID = 424242
TOKEN = f"{BOT_ID}:" + "K" * 35
VISIBLE = {"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery"}
WAIT = 120.0
"""Bounds a hang only (a busy machine is slow); a passing walk never waits this long."""


class KillingBotApi(FakeBotApi):
    """The fake Bot API with a trigger: SIGKILL the bot after the n-th visible request in the
    watched chat (applied: the user sees it) or on the getUpdates that would confirm an
    update. Requests to other chats (the outbox notifying staff) are not kill points.

    Nor is the outbox's one documented window of a repeat (bot/outbox/sender.py: Telegram
    accepted a notification, the row is not yet marked sent; Telegram has no idempotency
    key, so a crash there sends it again, tests/ops/test_outbox.py). A kill that would land
    while the outbox has a row claimed waits until the sender marked it: the bot's own
    request is held unanswered meanwhile, so what it does for the user is the same."""

    def __init__(self, chat_id: int, database: Path | None = None) -> None:
        super().__init__(bot_id=BOT_ID)
        self.chat_id = str(chat_id)
        self.database = database
        self.pid: int | None = None
        self.kill_after: int | None = None
        self.kill_on_confirm: int | None = None
        self.kills = 0
        self.killed = asyncio.Event()
        self.killed_on_confirm = False

    def _kill(self, *, on_confirm: bool = False) -> None:
        assert self.pid is not None
        self.killed_on_confirm = on_confirm
        os.kill(self.pid, signal.SIGKILL)
        self.pid = None
        self.kill_after = self.kill_on_confirm = None
        self.kills += 1
        self.killed.set()
        self._notify()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = await request.post() if request.method == "POST" else request.query
        if (
            method == "getUpdates"
            and self.kill_on_confirm is not None
            and self.pid
            and int(str(form.get("offset") or 0)) > self.kill_on_confirm
        ):
            # Never reaches "Telegram": the update stays unconfirmed.
            self._kill(on_confirm=True)
            return web.json_response({"ok": False, "error_code": 502}, status=502)
        watched = method == "answerCallbackQuery" or str(form.get("chat_id")) == self.chat_id
        reply = await super()._handle(request)
        if method in VISIBLE and watched and self.kill_after is not None and self.pid:
            self.kill_after -= 1
            if self.kill_after == 0:
                await self._outbox_quiet()
                self._kill()
        return reply

    async def _outbox_quiet(self) -> None:
        """Until no outbox row is claimed (being sent) in the bot's database."""
        if self.database is None or not self.database.exists():
            return
        async with asyncio.timeout(WAIT):
            while True:
                with contextlib.closing(sqlite3.connect(self.database, timeout=WAIT)) as db:
                    (sending,) = db.execute(
                        "SELECT count(*) FROM outbox WHERE status = 'sending'"
                    ).fetchone()
                if not sending:
                    return
                await asyncio.sleep(0.01)


@dataclass
class Screen:
    """One message in the user's chat as they see it now."""

    message_id: int
    text: str
    markup: dict[str, Any] | None

    def buttons(self) -> list[tuple[str, str]]:
        rows = (self.markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    def labels(self) -> list[str]:
        return [label for label, _ in self.buttons()]


@dataclass
class BotProcess:
    """The bot process, forked from the warm parent."""

    zygote: asyncio.subprocess.Process
    api: KillingBotApi
    pid: int = 0
    restarts: int = 0

    async def _ask(self, line: str) -> str:
        assert self.zygote.stdin is not None and self.zygote.stdout is not None
        self.zygote.stdin.write(f"{line}\n".encode())
        await self.zygote.stdin.drain()
        async with asyncio.timeout(WAIT):
            return (await self.zygote.stdout.readline()).decode().strip()

    async def start(self) -> None:
        self.pid = int(await self._ask("start"))
        self.api.pid = self.pid

    async def reap(self) -> None:
        await self._ask(f"reap {self.pid}")

    async def after_kill(self) -> None:
        await self.reap()
        self.api.killed.clear()
        self.restarts += 1
        await self.start()


@asynccontextmanager
async def running_bot(
    tmp_path: Path, chat_id: int, env: Mapping[str, str] = {}
) -> AsyncIterator[tuple[KillingBotApi, BotProcess]]:
    """The bot polling the killing API, on the SQLite file ``tmp_path / "bot.sqlite3"``."""
    environment = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    for name in (
        "ADMIN_IDS",
        "DATABASE_URL",
        "REDIS_URL",
        "WEBHOOK_URL",
        "HEALTH_PORT",
        "BACKUP_DIR",
    ):
        environment.pop(name, None)
    environment.update(env)
    api = KillingBotApi(chat_id, tmp_path / "bot.sqlite3")
    await api.start()
    try:
        environment["TELEGRAM_API_URL"] = api.url
        log = (tmp_path / "bot.log").open("wb")
        zygote = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "tests" / "ops" / "bot_zygote.py"),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
            cwd=tmp_path,  # no stray .env is read
            env=environment,
        )
        bot = BotProcess(zygote, api)
        try:
            await bot.start()
            yield api, bot
        finally:
            if api.pid:
                os.kill(api.pid, signal.SIGTERM)  # a clean stop: it confirms and closes
                await bot.reap()
            assert zygote.stdin is not None
            zygote.stdin.close()
            await zygote.wait()
            log.close()
    finally:
        await api.stop()


@dataclass
class KilledChat:
    """One user's chat with the bot, each update pushed until the bot confirmed it, the bot
    killed at the update's chosen points and started again."""

    api: KillingBotApi
    bot: BotProcess
    database: Path
    user_id: int
    points: Mapping[str, int]
    """Per kind of update: kill its first update after its 1st, 2nd … nth visible request."""
    confirm_kinds: frozenset[str]
    """Kinds whose confirming getUpdates is a kill point too (once each)."""
    every_request: bool = False
    updates: list[int] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)
    hit: list[str] = field(default_factory=list)
    """The kill points reached, as "<kind> <k>" or "<kind> confirm"."""

    # --- what the user sees ------------------------------------------------------------

    def chat(self) -> list[Screen]:
        screens: dict[int, Screen] = {}
        for call in self.api.calls:
            if not call.answered or call.params.get("chat_id") != str(self.user_id):
                continue
            markup = call.json("reply_markup") if "reply_markup" in call.params else None
            if call.method in {"sendMessage", "sendDocument", "sendPhoto"}:
                text = call.params.get("text", call.params.get("caption", ""))
                message_id = call.result["message_id"]
                screens[message_id] = Screen(message_id, text, markup)
            elif call.method == "editMessageText":
                message_id = int(call.params["message_id"])
                screens[message_id] = Screen(message_id, call.params["text"], markup)
            elif call.method == "editMessageReplyMarkup":
                message_id = int(call.params["message_id"])
                if message_id in screens:
                    screens[message_id].markup = markup
        return [screens[k] for k in sorted(screens)]

    def newest(self) -> Screen:
        return self.chat()[-1]

    def log_tail(self) -> str:
        return self.database.with_name("bot.log").read_text(errors="replace")[-3000:]

    # --- one update ------------------------------------------------------------------

    def _points(self, kind: str) -> list[int | None]:
        """Where to kill this update: after its k-th visible request (k), or on the getUpdates
        that confirms it (None). The first update of each kind gets every point of its kind,
        one after another on its redeliveries; later ones none."""
        if kind in self.seen:
            return []
        self.seen[kind] = 1
        confirm: list[int | None] = [None] if kind in self.confirm_kinds else []
        return [*range(1, self.points.get(kind, 0) + 1), *confirm]

    def _arm(self, points: list[int | None], update_id: int) -> None:
        """The next kill point; the confirming getUpdates is armed with it when it is still to
        come, and fires first if the update makes fewer visible requests than the point."""
        if self.every_request:
            self.api.kill_after = len(points) + 1
            return
        if points and points[0] is not None:
            self.api.kill_after = points[0]
        if None in points:
            self.api.kill_on_confirm = update_id

    async def feed(self, kind: str, update: dict[str, Any]) -> None:
        """Push one update and wait until the bot confirmed it, restarting it after a kill."""
        update_id = self.api.push_update(update)
        self.updates.append(update_id)
        asked = len(self.api.calls)
        points = [] if self.every_request else self._points(kind)

        def confirmed() -> bool:
            return any(
                call.method == "getUpdates" and int(call.params.get("offset") or 0) > update_id
                for call in self.api.calls[asked:]
            )

        self._arm(points, update_id)
        try:
            async with asyncio.timeout(WAIT):
                while not confirmed():
                    if self.api.killed.is_set():
                        if self.api.killed_on_confirm:
                            self.hit.append(f"{kind} confirm")
                            points = []
                        elif self.every_request:
                            self.hit.append(f"{kind} {len(points) + 1}")
                            points.append(len(points) + 1)  # one more next time
                        else:
                            self.hit.append(f"{kind} {points.pop(0)}")
                        await self.bot.after_kill()  # the update comes again: next point
                        self._arm(points, update_id)
                        continue
                    await self.api._until(lambda: confirmed() or self.api.killed.is_set())
        except TimeoutError:
            raise AssertionError(
                f"update {update_id} never confirmed; bot log:\n{self.log_tail()}"
            ) from None
        # A kill point this update never reached is not carried over to the next one.
        self.api.kill_after = self.api.kill_on_confirm = None

    async def send(self, kind: str, text: str) -> None:
        number = len(self.updates) + 1
        await self.feed(
            kind, message_update(text, user_id=self.user_id, message_id=10_000 + number)
        )

    async def press_on(self, kind: str, screen: Screen, data: str) -> None:
        message = {
            "message_id": screen.message_id,
            "date": 1767571200,
            "chat": {"id": self.user_id, "type": "private"},
            "text": screen.text,
            "reply_markup": screen.markup,
        }
        update = callback_update(data, message, user_id=self.user_id)
        update["callback_query"]["id"] = f"cb-{len(self.updates)}"
        await self.feed(kind, update)

    async def press(self, kind: str, data: str) -> None:
        """Press the button with callback ``data`` on the newest message that has it."""
        screen = next(
            (s for s in reversed(self.chat()) if data in {d for _, d in s.buttons()}), None
        )
        assert screen is not None, f"no button {data} on the screen"
        await self.press_on(kind, screen, data)

    async def press_label(self, kind: str, label: str) -> None:
        """Press the button labelled ``label`` on the newest message, as a person does."""
        screen = self.newest()
        found = [data for text, data in screen.buttons() if text == label]
        assert found, f"no button {label!r} on the newest message: {screen.labels()}"
        await self.press_on(kind, screen, found[0])
