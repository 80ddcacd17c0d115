"""SIGKILL at chosen points of a reader's whole survey walk: no answer lost, none doubled, the
response completed once, the milestone told to staff once, no dead screen.

The same harness as the wizard walk (tests/ops/test_sigkill.py, whose docstring says how a
kill works): the real bot in polling mode against a fake Bot API that redelivers unconfirmed
updates, killed with SIGKILL after the k-th visible request in the reader's chat of the first
update of each kind, and on the getUpdates that would confirm it.

The reader opens a survey link, starts, picks, skips an optional question, goes back and
answers it after all, ticks choices (one of them "Other…", typed), confirms with Done, sends
the survey, opens the link again, changes an answer, sends again and finally leaves with
/forget. Nine other readers had completed before, so this completion is the tenth: the
milestone every staff member is told of once.

After every update the newest message must be the screen the stored state says is current
(the question being asked, with its ticks; the review; the "Other…" prompt), else it is a dead
screen and the reader touches the link again to get out, as a person would. At the end of the
answering the stored answers are exactly the walk's, the kept counts hold one completion, the
staff member got the milestone once, and every update id was handled once; after /forget
nothing of the reader is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.db.connection import open_database
from bot.db.repositories import Libraries, Users
from bot.db.surveys import SurveyRepository
from bot.domain.questions import OTHER, Kind, Question, ticked_key
from bot.i18n import Translator, create_i18n
from bot.survey.models import LinkProblem, Source, Survey
from bot.survey.questions import (
    AGE,
    INTERESTS,
    PLACE,
    SurveyConfig,
    build_questionnaire,
    option_label,
)
from handlers.message_edits import Screen as Drawn
from handlers.survey.view import question_screen, review_screen
from tests.ops.sigkill_harness import WAIT, KilledChat, running_bot

pytestmark = pytest.mark.sigkill
logger = logging.getLogger(__name__)

READER = 2002
STAFF = 100
TITLE = "Что вам интересно"
EARLIER = 9
"""Readers who completed before this one: theirs is the tenth, a milestone."""
POINTS = {
    "link": 1,
    "go": 3,
    "pick": 3,
    "skip": 3,
    "back": 3,
    "toggle": 2,
    "toggle other": 3,
    "text": 1,
    "done": 3,
    "send": 3,
    "link again": 1,
    "edit": 3,
    "resend": 3,
    "forget": 1,
    "forget yes": 2,
}
"""Per kind of update: kill its first update after its 1st, 2nd … nth visible request."""
CONFIRM_KINDS = frozenset(POINTS)
OTHER_TEXT = "Встречи с краеведами"


@dataclass
class ReaderWalk(KilledChat):
    survey: Survey | None = None
    source: Source | None = None
    t: Translator = field(default_factory=lambda: Translator(create_i18n(), "ru"))
    dead_screens: list[str] = field(default_factory=list)

    @property
    def questionnaire(self) -> Any:
        assert self.survey is not None
        return build_questionnaire(self.survey.config)

    # --- what the bot has stored ------------------------------------------------------

    def _db(self) -> contextlib.closing[sqlite3.Connection]:
        return contextlib.closing(sqlite3.connect(self.database, timeout=WAIT))

    def reader_state(self) -> tuple[str | None, dict[str, Any]]:
        with self._db() as db:
            rows = db.execute(
                "SELECT state, data FROM fsm WHERE key LIKE '%survey_reader:%'"
            ).fetchall()
        assert len(rows) <= 1, rows  # one reader in this walk
        return (None, {}) if not rows else (rows[0][0], json.loads(rows[0][1]))

    def responses(self) -> list[tuple[int, str | None]]:
        """This reader's responses (the earlier ones are tagged ``earlier-…``)."""
        with self._db() as db:
            return db.execute(
                "SELECT id, completed_at FROM responses WHERE reader_hash NOT LIKE 'earlier-%'"
            ).fetchall()

    def answers(self) -> dict[str, Any]:
        responses = self.responses()
        if not responses:
            return {}
        with self._db() as db:
            rows = db.execute(
                "SELECT question_id, value FROM response_answers WHERE response_id = ?",
                (responses[0][0],),
            ).fetchall()
        return {key: json.loads(value) for key, value in rows}

    # --- what the reader should see ---------------------------------------------------

    def expected(self) -> Drawn | str | None:
        """The current screen as the stored state says: a drawn screen, a text (or a button
        label), or None when nothing stored names one (the step says what it expects then)."""
        assert self.survey is not None
        state, data = self.reader_state()
        if state == "ReaderStates:other_text":
            return self.t("survey.reader.other_prompt")
        asking = data.get("asking")
        if not (isinstance(asking, list) and asking and asking[0] == self.survey.id):
            return None
        answers = self.answers()
        if asking[1] == "":
            return review_screen(self.survey.id, self.questionnaire, answers, self.t)
        question = self.questionnaire.question(asking[1])
        return question_screen(self.survey.id, self.questionnaire, question, answers, self.t)

    def check_screen(self, step: str, otherwise: str | None) -> None:
        newest = self.newest()
        expected = self.expected()
        if expected is None:
            expected = otherwise
        if expected is None:
            return
        if isinstance(expected, str):
            ok = expected in newest.text or expected in newest.labels()
        else:
            rows = expected.markup.inline_keyboard if expected.markup else []
            labels = [button.text for row in rows for button in row]
            ok = newest.text == expected.text and newest.labels() == labels
        if not ok:
            self.dead_screens.append(f"after {step}: {newest.text[:80]!r} {newest.labels()}")

    # --- the reader -------------------------------------------------------------------

    def label(self, question_id: str, value: str) -> str:
        question: Question = self.questionnaire.question(question_id)
        return option_label(question, value, self.t)

    async def link(self, kind: str, otherwise: str | None) -> None:
        assert self.source is not None
        await self.send(kind, f"/start {self.source.payload}")
        self.check_screen(kind, otherwise)

    async def tap(self, kind: str, label: str, otherwise: str | None = None) -> None:
        await self.press_label(kind, label)
        self.check_screen(f"{kind} {label!r}", otherwise)

    async def type(self, kind: str, text: str) -> None:
        await self.send(kind, text)
        self.check_screen(f"{kind} {text!r}", None)

    async def pick(self, question_id: str, value: str) -> None:
        await self.tap("pick", self.label(question_id, value))

    async def run(self) -> None:
        t = self.t
        await self.link("link", t("survey.reader.start_button"))
        await self.tap("go", t("survey.reader.start_button"))
        await self.pick(PLACE, "settlement")
        await self.pick(AGE, "18_24")
        await self.tap("skip", t("survey.reader.skip_button"))  # gender: optional
        await self.tap("back", t("survey.reader.back_button"))  # from education: gender again
        await self.pick("sv_gender", "women")
        await self.pick("sv_education", "higher")
        await self.tap("toggle", self.label(INTERESTS, "fiction"))
        await self.tap("toggle other", self.label(INTERESTS, OTHER))
        await self.type("text", OTHER_TEXT)  # back to the list, "Other" ticked
        await self.tap("done", t("survey.reader.done_button"))
        await self.tap("toggle", self.label("sv_networks", "vk"))
        await self.tap("toggle", self.label("sv_networks", "telegram"))
        await self.tap("done", t("survey.reader.done_button"))
        await self.tap("toggle", self.label("sv_wants", "events"))
        await self.tap("done", t("survey.reader.done_button"))
        await self.pick("sv_visits", "monthly")
        await self.tap("send", t("survey.reader.send_button"), t("survey.reader.thanks"))

    async def change(self) -> None:
        """Back by the link after sending: one answer changed, the rest kept, sent again."""
        t = self.t
        await self.link("link again", t("survey.reader.already_done"))
        await self.tap("edit", t("survey.reader.change_answers_button"))
        await self.pick(PLACE, "district")
        for question in self.questionnaire.questions[1:]:
            if question.kind is Kind.MULTI:
                await self.tap("done", t("survey.reader.done_button"))
            else:
                await self.tap("pick", self.chosen_label(question))
        await self.tap("resend", t("survey.reader.send_button"), t("survey.reader.updated"))

    def chosen_label(self, question: Question) -> str:
        """The button of the option the reader chose before (ticked on the screen)."""
        return f"✅ {option_label(question, str(self.answers()[question.id]), self.t)}"

    async def forget(self) -> None:
        t = self.t
        await self.send("forget", "/forget")
        self.check_screen("forget", t("survey.forget.confirm"))
        await self.tap("forget yes", t("survey.forget.confirm_button"))
        assert t.plural("survey.forget.done", 1) in self.newest().text


EXPECTED = {
    PLACE: "district",
    AGE: "18_24",
    "sv_gender": "women",
    "sv_education": "higher",
    INTERESTS: ["fiction", OTHER],
    f"{INTERESTS}.other": OTHER_TEXT,
    "sv_networks": ["vk", "telegram"],
    "sv_wants": ["events"],
    "sv_visits": "monthly",
}


async def _seed(path: Path) -> tuple[Survey, Source]:
    """A library with its survey and a poster link; nine readers completed already."""
    db = await open_database(path)
    try:
        await Users(db).upsert(STAFF, "Анна", "ru")
        library = await Libraries(db).create(STAFF, "Сельская библиотека")
        surveys = SurveyRepository(db)
        survey = await surveys.create_survey(library.id, STAFF, SurveyConfig(title=TITLE))
        source = await surveys.add_source(survey.id, "poster", "Афиша")
        for number in range(EARLIER):
            tag = f"earlier-{number}"
            started = await surveys.start_or_resume(survey.id, tag, source.id)
            assert not isinstance(started, LinkProblem)
            response = await surveys.response_of(survey.id, tag)
            assert response is not None
            assert await surveys.complete(response.id, tag)
        return survey, source
    finally:
        await db.close()


@pytest.fixture
async def walk(tmp_path: Path) -> AsyncIterator[ReaderWalk]:
    survey, source = await _seed(tmp_path / "bot.sqlite3")
    async with running_bot(tmp_path, READER) as (api, bot):
        yield ReaderWalk(
            api,
            bot,
            tmp_path / "bot.sqlite3",
            READER,
            POINTS,
            CONFIRM_KINDS,
            every_request=os.environ.get("SIGKILL_EVERY_REQUEST") == "1",
            survey=survey,
            source=source,
        )


async def test_sigkill_at_every_chosen_point_of_a_readers_survey_loses_and_doubles_nothing(
    walk: ReaderWalk,
) -> None:
    t = walk.t
    await walk.run()
    await walk.change()

    assert walk.dead_screens == []
    responses = walk.responses()
    assert len(responses) == 1 and responses[0][1] is not None, responses
    stored = walk.answers()
    assert {key: stored.get(key) for key in EXPECTED} == EXPECTED
    ticks = {ticked_key(question.id) for question in walk.questionnaire.questions}
    assert not set(stored) - set(EXPECTED) - ticks, stored
    with walk._db() as db:
        counts = dict(
            db.execute("SELECT a, n FROM survey_tallies WHERE kind = 't' AND b = ''").fetchall()
        )
        place = dict(
            db.execute(
                "SELECT b, n FROM survey_tallies WHERE kind = 'q' AND a = ?", (PLACE,)
            ).fetchall()
        )
        handled = [row[0] for row in db.execute("SELECT update_id FROM processed_updates")]
    assert counts == {"started": EARLIER + 1, "completed": EARLIER + 1}
    assert place.get("district") == 1 and place.get("settlement", 0) == 0, place
    assert sorted(handled) == sorted(set(walk.updates))  # each update id committed once

    # The milestone reached staff once (the outbox sends it after the completion commits).
    milestone = t.plural("survey.staff.milestone", EARLIER + 1, title=TITLE)
    async with asyncio.timeout(WAIT):
        await walk.api._until(
            lambda: any(c.params.get("text") == milestone for c in walk.api.calls if c.answered)
        )
    to_staff = [
        c.params.get("text")
        for c in walk.api.calls_of("sendMessage")
        if c.answered and c.params.get("chat_id") == str(STAFF)
    ]
    assert to_staff.count(milestone) == 1, to_staff
    assert len(to_staff) == len(set(to_staff)), to_staff
    reader_texts = [s.text for s in walk.chat()]
    assert any(t("survey.reader.thanks") in text for text in reader_texts)
    assert any(t("survey.reader.updated") in text for text in reader_texts)

    await walk.forget()
    assert walk.dead_screens == []
    assert walk.responses() == []
    assert walk.reader_state() == (None, {})
    with walk._db() as db:
        counts = dict(
            db.execute("SELECT a, n FROM survey_tallies WHERE kind = 't' AND b = ''").fetchall()
        )
    assert counts == {"started": EARLIER, "completed": EARLIER}
    logger.info("%d kills over %d updates: %s", walk.api.kills, len(walk.updates), walk.hit)
    # Every kind's first update was killed at its first visible request at least, and on the
    # getUpdates confirming it.
    kinds = {point.rsplit(" ", 1)[0] for point in walk.hit}
    assert kinds >= set(POINTS), (sorted(set(POINTS) - kinds), walk.hit)
    if not walk.every_request:  # that mode kills after requests only
        assert {f"{kind} confirm" for kind in CONFIRM_KINDS} <= set(walk.hit), walk.hit
    assert walk.api.kills == len(walk.hit)
