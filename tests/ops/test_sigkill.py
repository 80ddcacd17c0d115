"""SIGKILL at chosen points of a whole wizard walk: no answer lost, none doubled, no dead screen.

The real bot runs in polling mode as a separate process (``python -m bot polling``, forked from
a warm parent, see tests/ops/bot_zygote.py) against a fake Bot API on 127.0.0.1 that behaves
as Telegram does where it matters here: an update stays in ``getUpdates`` until an offset past
it confirms it, so an update the bot never confirmed comes again after a restart.

A librarian walks the whole wizard (tests/profiles.py RURAL_RU, every question). The fake
API kills the bot with SIGKILL right after it has *applied* a request (the message is on the
user's screen, the bot never learns it was sent), then the bot is started again. Where: the
first update of every kind (``/start``, a typed answer, a single-choice press, Skip, a tick of a
multiple choice, Done, Next after a step summary, Finish) is killed after its 1st visible
request (sendMessage, edits, answerCallbackQuery), and on its redelivery after the 2nd, and so
on (``POINTS``), each time with its transaction open (an update holds the database across its
Telegram calls); for the kinds in ``CONFIRM_KINDS`` finally also on the ``getUpdates`` that would
confirm it (committed, Telegram not told): that redelivery must change nothing. 27 kills in all
(start 1-2, text 1 + confirm, pick 1-3 + confirm, skip 1-3, toggle 1-2 + confirm, done 1-3,
next 1-3, finish 1-6 + confirm); a restart costs no import (forked from a warm parent).

After every update the test checks what the user sees: the newest message is the current
question (its buttons, or its text for a typed answer), the step summary or the review, as the
bot's stored state says. At the end the stored answers equal the profile, exactly one strategy
exists and is finished, and every update id was handled once. ``SIGKILL_EVERY_REQUEST=1`` kills
every update after each of its visible requests in turn (several hundred restarts, for a local
run).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.domain.method import STRATEGY_METHOD
from bot.domain.questions import OTHER, Kind, Question
from bot.domain.summary import question_text
from bot.i18n import Translator, create_i18n
from handlers.strategy.callbacks import QuestionCb, StepCb
from handlers.strategy.states import Wizard
from tests.fake_bot_api import FakeBotApi, callback_update, message_update
from tests.profiles import RURAL_RU
from tests.wizard_driver import OTHER_TEXT_SUFFIX

pytestmark = pytest.mark.sigkill

ROOT = Path(__file__).resolve().parents[2]
BOT_ID = 424242
TOKEN = f"{BOT_ID}:" + "K" * 35
USER = 1001
VISIBLE = {"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery"}
POINTS = {
    "touch": 0,
    "skip": 3,
    "start": 3,
    "text": 2,
    "pick": 3,
    "toggle": 2,
    "done": 3,
    "next": 3,
    "finish": 6,
}
"""Per kind of update: kill its first update after its 1st, 2nd … nth visible request."""
CONFIRM_KINDS = {"text", "pick", "toggle", "finish"}
"""Kinds whose confirming getUpdates is a kill point too (once each)."""
WAIT = 120.0
"""Bounds a hang only (a busy machine is slow); a passing walk never waits this long."""


class KillingBotApi(FakeBotApi):
    """The fake Bot API with a trigger: SIGKILL the bot after the n-th visible request
    (applied: the user sees it) or on the getUpdates that would confirm an update."""

    def __init__(self) -> None:
        super().__init__(bot_id=BOT_ID)
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
        if method == "getUpdates" and self.kill_on_confirm is not None and self.pid:
            form = await request.post() if request.method == "POST" else request.query
            if int(str(form.get("offset") or 0)) > self.kill_on_confirm:
                # Never reaches "Telegram": the update stays unconfirmed.
                self._kill(on_confirm=True)
                return web.json_response({"ok": False, "error_code": 502}, status=502)
        reply = await super()._handle(request)
        if method in VISIBLE and self.kill_after is not None and self.pid:
            self.kill_after -= 1
            if self.kill_after == 0:
                self._kill()
        return reply


@dataclass
class Screen:
    """One message in the user's chat as they see it now."""

    message_id: int
    text: str
    markup: dict[str, Any] | None

    def buttons(self) -> list[tuple[str, str]]:
        rows = (self.markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


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


@dataclass
class Walk:
    api: KillingBotApi
    bot: BotProcess
    database: Path
    t: Translator
    dead_screens: list[str] = field(default_factory=list)
    updates: list[int] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)
    hit: list[str] = field(default_factory=list)
    """The kill points reached, as "<kind> <k>" or "<kind> confirm"."""
    every_request: bool = False

    # --- what the user sees ------------------------------------------------------------

    def chat(self) -> list[Screen]:
        screens: dict[int, Screen] = {}
        for call in self.api.calls:
            if not call.answered or call.params.get("chat_id") != str(USER):
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

    # --- what the bot has stored ------------------------------------------------------

    def position(self) -> tuple[str | None, dict[str, Any]]:
        with contextlib.closing(sqlite3.connect(self.database, timeout=WAIT)) as db:
            row = db.execute(
                "SELECT state, data FROM fsm WHERE key = ?",
                (f"fsm:{BOT_ID}:{USER}:{USER}:default",),
            ).fetchone()
        return (None, {}) if row is None else (row[0], json.loads(row[1]))

    # --- one update ------------------------------------------------------------------

    def _points(self, kind: str) -> list[int | None]:
        """Where to kill this update: after its k-th visible request (k), or on the getUpdates
        that confirms it (None). The first update of each kind gets every point of its kind,
        one after another on its redeliveries; later ones none."""
        if kind in self.seen:
            return []
        self.seen[kind] = 1
        confirm: list[int | None] = [None] if kind in CONFIRM_KINDS else []
        return [*range(1, POINTS.get(kind, 0) + 1), *confirm]

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
            log = self.database.with_name("bot.log").read_text(errors="replace")[-3000:]
            raise AssertionError(f"update {update_id} never confirmed; bot log:\n{log}") from None
        # A kill point this update never reached is not carried over to the next one.
        self.api.kill_after = self.api.kill_on_confirm = None

    async def send(self, kind: str, text: str) -> None:
        number = len(self.updates) + 1
        await self.feed(kind, message_update(text, user_id=USER, message_id=10_000 + number))

    async def press(self, kind: str, data: str) -> None:
        screen = next(
            (s for s in reversed(self.chat()) if data in {d for _, d in s.buttons()}), None
        )
        assert screen is not None, f"no button {data} on the screen"
        message = {
            "message_id": screen.message_id,
            "date": 1767571200,
            "chat": {"id": USER, "type": "private"},
            "text": screen.text,
            "reply_markup": screen.markup,
        }
        update = callback_update(data, message, user_id=USER)
        update["callback_query"]["id"] = f"cb-{len(self.updates)}"
        await self.feed(kind, update)

    # --- the librarian ---------------------------------------------------------------

    def check_screen(self, state: str | None, data: dict[str, Any]) -> bool:
        """The newest message is the screen the bot's state says is current."""
        newest = self.newest()
        current = STRATEGY_METHOD.question(str(data.get("question")))
        data_of = [d for _, d in newest.buttons()]
        if state == Wizard.question.state and current is not None:
            if current.kind in (Kind.SINGLE, Kind.MULTI):
                ok = any(QuestionCb.unpack(d).q == current.id for d in data_of if d[:2] == "q:")
            else:
                ok = question_text(current, self.t) in newest.text
        elif state == Wizard.other_text.state:
            ok = newest.text == self.t("hint.other")
        elif state == Wizard.step_done.state:
            ok = any(d.startswith("st:next:") for d in data_of)
        elif state == Wizard.review.state:
            ok = any(d.startswith("st:finish:") for d in data_of)
        else:
            ok = True
        if not ok:
            self.dead_screens.append(f"{state} {data.get('question')}: {newest.text[:60]!r}")
        return ok

    async def answer(self, question: Question, strategy_id: int) -> None:
        value = RURAL_RU.get(question.id)
        if value is None:
            await self.press(
                "skip", QuestionCb(action="skip", s=strategy_id, q=question.id).pack()
            )
        elif question.kind is Kind.SINGLE:
            chosen = value if question.option(value) is not None else OTHER
            pick = QuestionCb(action="pick", s=strategy_id, q=question.id, v=chosen)
            await self.press("pick", pick.pack())
            if chosen == OTHER:
                await self.send("text", str(value))
        elif question.kind is Kind.MULTI:
            ticked = {
                QuestionCb.unpack(d).v
                for label, d in self.newest().buttons()
                if label.startswith("✅") and d.startswith("q:toggle:")
            }
            missing = [v for v in value if v not in ticked]
            if missing:
                option = missing[0]
                tick = QuestionCb(action="toggle", s=strategy_id, q=question.id, v=option)
                await self.press("toggle", tick.pack())
                if option == OTHER:
                    await self.send("text", RURAL_RU[question.id + OTHER_TEXT_SUFFIX])
                return
            await self.press(
                "done", QuestionCb(action="done", s=strategy_id, q=question.id).pack()
            )
        else:
            await self.send("text", str(value))

    async def run(self) -> None:
        await self.send("start", "/start")
        for _ in range(400):
            state, data = self.position()
            if not self.check_screen(state, data):
                await self.send("touch", "/start")  # how a user gets out of a dead screen
                continue
            if state is None:
                return
            strategy_id = int(data["strategy_id"])
            if state == Wizard.question.state:
                question = STRATEGY_METHOD.question(data["question"])
                assert question is not None
                await self.answer(question, strategy_id)
            elif state == Wizard.other_text.state:
                await self.send("text", RURAL_RU[f"{data['question']}{OTHER_TEXT_SUFFIX}"])
            elif state == Wizard.step_done.state:
                await self.press("next", StepCb(action="next", s=strategy_id).pack())
            elif state == Wizard.review.state:
                await self.press("finish", StepCb(action="finish", s=strategy_id).pack())
            else:
                raise AssertionError(f"unexpected state {state}")
        recent = [(c.method, str(c.params)[:160])
                  for c in self.api.calls[-12:]]  # fmt: skip
        raise AssertionError(f"the wizard did not end: {self.position()}, {recent}")


@pytest.fixture
async def walk(tmp_path: Path) -> AsyncIterator[Walk]:
    env = {
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
        env.pop(name, None)
    api = KillingBotApi()
    await api.start()
    try:
        env["TELEGRAM_API_URL"] = api.url
        log = (tmp_path / "bot.log").open("wb")
        zygote = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "tests" / "ops" / "bot_zygote.py"),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
            cwd=tmp_path,  # no stray .env is read
            env=env,
        )
        bot = BotProcess(zygote, api)
        try:
            await bot.start()
            yield Walk(
                api,
                bot,
                tmp_path / "bot.sqlite3",
                Translator(create_i18n(), "ru"),
                every_request=os.environ.get("SIGKILL_EVERY_REQUEST") == "1",
            )
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


async def test_sigkill_at_every_chosen_point_of_the_wizard_loses_and_doubles_nothing(
    walk: Walk,
) -> None:
    await walk.run()

    # Every kind's first update was killed at its first visible request at least, and on
    # the getUpdates confirming it where chosen.
    kinds = {point.split()[0] for point in walk.hit}
    assert kinds >= {kind for kind, n in POINTS.items() if n}, walk.hit
    assert {f"{kind} confirm" for kind in CONFIRM_KINDS} <= set(walk.hit), walk.hit
    assert walk.api.kills == len(walk.hit)
    assert walk.dead_screens == []
    with contextlib.closing(sqlite3.connect(walk.database)) as db:
        strategies = db.execute("SELECT id, status FROM strategies").fetchall()
        assert len(strategies) == 1, strategies
        (strategy_id, status), *_ = strategies
        assert status == "complete"
        stored = {
            key: json.loads(value)
            for key, value in db.execute(
                "SELECT question_id, value FROM answers WHERE strategy_id = ?", (strategy_id,)
            )
        }
        handled = [row[0] for row in db.execute("SELECT update_id FROM processed_updates")]
    for question_id, value in RURAL_RU.items():
        assert stored.get(question_id) == value, question_id  # none lost, no tick doubled
    assert sorted(handled) == sorted(set(walk.updates))  # each update id committed once
    assert walk.t("msg.completed") in "\n".join(s.text for s in walk.chat())
