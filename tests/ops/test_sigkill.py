"""SIGKILL at chosen points of a whole wizard walk: no answer lost, none doubled, no dead screen.

The real bot runs in polling mode as a separate process (``python -m bot polling``, forked from
a warm parent, see tests/ops/bot_zygote.py) against a fake Bot API on 127.0.0.1 that behaves
as Telegram does where it matters here: an update stays in ``getUpdates`` until an offset past
it confirms it, so an update the bot never confirmed comes again after a restart.

A librarian walks the whole wizard (tests/profiles.py WIZARD_RURAL_RU, every question). The fake
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
run). The fake API and the bot process are tests/ops/sigkill_harness.py, shared with the
reader's survey walk (tests/ops/test_sigkill_reader.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.domain.method import STRATEGY_METHOD
from bot.domain.questions import OTHER, Kind, Question
from bot.domain.summary import question_text
from bot.i18n import Translator, create_i18n
from handlers.strategy.callbacks import QuestionCb, StepCb
from handlers.strategy.states import Wizard
from tests.ops.sigkill_harness import BOT_ID, WAIT, KilledChat, running_bot
from tests.profiles import WIZARD_RURAL_RU
from tests.wizard_driver import OTHER_TEXT_SUFFIX

pytestmark = pytest.mark.sigkill

USER = 1001
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
CONFIRM_KINDS = frozenset({"text", "pick", "toggle", "finish"})
"""Kinds whose confirming getUpdates is a kill point too (once each)."""


@dataclass
class Walk(KilledChat):
    t: Translator = field(default_factory=lambda: Translator(create_i18n(), "ru"))
    dead_screens: list[str] = field(default_factory=list)

    def position(self) -> tuple[str | None, dict[str, Any]]:
        with contextlib.closing(sqlite3.connect(self.database, timeout=WAIT)) as db:
            row = db.execute(
                "SELECT state, data FROM fsm WHERE key = ?",
                (f"fsm:{BOT_ID}:{USER}:{USER}:default",),
            ).fetchone()
        return (None, {}) if row is None else (row[0], json.loads(row[1]))

    # --- the librarian ---------------------------------------------------------------

    def check_screen(self, state: str | None, data: dict[str, Any]) -> bool:
        """The newest message is the screen the bot's state says is current."""
        newest = self.newest()
        current = STRATEGY_METHOD.question(str(data.get("question")))
        data_of = [d for _, d in newest.buttons()]
        if state == Wizard.question.state and current is not None:
            if current.kind in (Kind.SINGLE, Kind.MULTI):
                ok = any(
                    QuestionCb.unpack(d).question == current.id for d in data_of if d[:2] == "q:"
                )
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
        value = WIZARD_RURAL_RU.get(question.id)
        if value is None:
            await self.press(
                "skip",
                QuestionCb(action="skip", strategy_id=strategy_id, question=question.id).pack(),
            )
        elif question.kind is Kind.SINGLE:
            chosen = value if question.option(value) is not None else OTHER
            pick = QuestionCb(
                action="pick", strategy_id=strategy_id, question=question.id, value=chosen
            )
            await self.press("pick", pick.pack())
            if chosen == OTHER:
                await self.send("text", str(value))
        elif question.kind is Kind.MULTI:
            ticked = {
                QuestionCb.unpack(d).value
                for label, d in self.newest().buttons()
                if label.startswith("✅") and d.startswith("q:toggle:")
            }
            missing = [v for v in value if v not in ticked]
            if missing:
                option = missing[0]
                tick = QuestionCb(
                    action="toggle", strategy_id=strategy_id, question=question.id, value=option
                )
                await self.press("toggle", tick.pack())
                if option == OTHER:
                    await self.send("text", WIZARD_RURAL_RU[question.id + OTHER_TEXT_SUFFIX])
                return
            await self.press(
                "done",
                QuestionCb(action="done", strategy_id=strategy_id, question=question.id).pack(),
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
                await self.send("text", WIZARD_RURAL_RU[f"{data['question']}{OTHER_TEXT_SUFFIX}"])
            elif state == Wizard.step_done.state:
                await self.press("next", StepCb(action="next", strategy_id=strategy_id).pack())
            elif state == Wizard.review.state:
                await self.press("finish", StepCb(action="finish", strategy_id=strategy_id).pack())
            else:
                raise AssertionError(f"unexpected state {state}")
        recent = [(c.method, str(c.params)[:160])
                  for c in self.api.calls[-12:]]  # fmt: skip
        raise AssertionError(f"the wizard did not end: {self.position()}, {recent}")


@pytest.fixture
async def walk(tmp_path: Path) -> AsyncIterator[Walk]:
    async with running_bot(tmp_path, USER) as (api, bot):
        yield Walk(
            api,
            bot,
            tmp_path / "bot.sqlite3",
            USER,
            POINTS,
            CONFIRM_KINDS,
            every_request=os.environ.get("SIGKILL_EVERY_REQUEST") == "1",
        )


async def test_sigkill_at_every_chosen_point_of_the_wizard_loses_and_doubles_nothing(
    walk: Walk,
) -> None:
    await walk.run()

    # Every kind's first update was killed at its first visible request at least, and on
    # the getUpdates confirming it where chosen.
    kinds = {point.split()[0] for point in walk.hit}
    assert kinds >= {kind for kind, n in POINTS.items() if n}, walk.hit
    if not walk.every_request:  # that mode kills after requests only
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
    for question_id, value in WIZARD_RURAL_RU.items():
        assert stored.get(question_id) == value, question_id  # none lost, no tick doubled
    assert sorted(handled) == sorted(set(walk.updates))  # each update id committed once
    assert walk.t("msg.completed") in "\n".join(s.text for s in walk.chat())
