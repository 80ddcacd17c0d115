"""Database round trips per update, counted by the connection (bot/db/units.py), not timed.

Issue 9's target: at most 3 for a typical wizard or survey update, on both engines.

Wizard: the first trip carries BEGIN, the update id, the FSM rows and the user's row; the
second the strategy with its answers; the last every write the update made (answers, library
profile, FSM) with the COMMIT. Measured: 3 for every text answer and every press.

Reader survey: the first trip as the wizard's (the reader's FSM row, under their pseudonym,
goes with it); the second the survey, the reader's response and its answers (opening a link:
the link, the library's name and the new response too, in one statement batch); the last
the answers, the completion and the FSM with the COMMIT. Measured on both engines: 3 for
opening a link (new, resumed, already sent), Start, a single choice, Skip, Back, a tick,
Done, the typed "Other…" text, the send that completes, a stale button. Not typical, and
counted apart: a send to a survey with a response cap (or at a milestone this process has not
announced yet) reads the exact count after its completion before the commit, 4; the one send
that closes a survey at its cap also sends the results to the staff.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from aiogram import Dispatcher
from aiogram.types import Update
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.domain.questions import Kind, Question
from bot.domain.summary import other_key
from bot.factory import create_dispatcher
from bot.i18n import Translator
from bot.storage import DatabaseStorage
from bot.survey.models import Survey
from bot.survey.questions import INTERESTS, SurveyConfig, build_questionnaire
from handlers.strategy.states import Wizard
from handlers.survey.callbacks import ReaderAction, ReaderCb
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.profiles import WIZARD_RURAL_RU
from tests.survey.bot_helpers import answer_survey, staff_library, survey_with_link
from tests.wizard_driver import answer_current, wizard_position

TARGET = 3


class CountingChat(ChatUser):
    """Records, for every update it feeds, its label and the round trips its unit made."""

    counted: list[tuple[str, int]]

    async def feed(
        self, update: Update, *, expect_error: bool = False, expect_refused: bool = False
    ) -> list[Any]:
        db = self.dispatcher["repo"].db
        units, trips = Counter(db.units), Counter(db.unit_round_trips)
        requests = await super().feed(
            update, expect_error=expect_error, expect_refused=expect_refused
        )
        (label,) = (db.units - units).keys()  # exactly one unit: this update's
        self.counted.append((label, db.unit_round_trips[label] - trips[label]))
        return requests


def counting_chat(dispatcher: Dispatcher, user_id: int, **kwargs: Any) -> CountingChat:
    chat = CountingChat(dispatcher, MockedBot(), user_id, **kwargs)
    chat.counted = []
    return chat


def remembering_dispatcher(db: Database, i18n: I18n, settings: Settings) -> Dispatcher:
    return create_dispatcher(
        repo=Repositories(db),
        storage=DatabaseStorage(db),
        i18n=i18n,
        settings=settings,
        remember_updates=True,  # as polling and the webhook run it
    )


async def test_wizard_answers_and_presses_take_at_most_three_round_trips(
    db: Database, i18n: I18n, settings: Settings
) -> None:
    t = Translator(i18n, "ru")
    anna = counting_chat(remembering_dispatcher(db, i18n, settings), 100, first_name="Анна")
    await anna.send("/start")
    anna.counted.clear()
    # Typed answers (library questions also fill the library's profile), single choices,
    # ticks and Done, Skip, Next after a step summary: the first three steps.
    for _ in range(60):
        state, data = await wizard_position(anna)
        if state == Wizard.question.state and data["question"].startswith("net_"):
            break
        await answer_current(anna, WIZARD_RURAL_RU, t)
    kinds = {label for label, _ in anna.counted}
    assert kinds == {"text", "press"}
    assert len(anna.counted) > 30
    assert max(n for _, n in anna.counted) <= TARGET, anna.counted

    repo = Repositories(db)
    (strategy,) = await repo.strategies.of_user(100)
    stored = await repo.answers.all(strategy.id)
    for question_id in ("lib_name", "lib_settlement", "goal_families", "goal_horizon"):
        assert stored[question_id] == WIZARD_RURAL_RU[question_id]
    (library,) = await repo.libraries.of_user(100)
    assert library.name == WIZARD_RURAL_RU["lib_name"]  # the profile write went with the commit


class ReaderChat(CountingChat):
    """A reader whose every update is counted under the name of what it does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counted = []
        self.by_kind: dict[str, list[int]] = {}

    async def do(self, kind: str, data: str | None = None, text: str | None = None) -> None:
        before = len(self.counted)
        if data is not None:
            await self.press_data(data)
        else:
            assert text is not None
            await self.send(text)
        ((_, trips),) = self.counted[before:]
        self.by_kind.setdefault(kind, []).append(trips)

    async def press_reader(
        self, kind: str, survey: Survey, action: ReaderAction, question: str = "", option: int = -1
    ) -> None:
        data = ReaderCb(action=action, survey_id=survey.id, question=question, option=option)
        await self.do(kind, data.pack())


async def _answer(chat: ReaderChat, survey: Survey, question: Question, option: int) -> None:
    if question.kind is Kind.SINGLE:
        await chat.press_reader("pick", survey, ReaderAction.PICK, question.id, option)
        return
    await chat.press_reader("tick", survey, ReaderAction.TOGGLE, question.id, option)
    await chat.press_reader("done", survey, ReaderAction.DONE, question.id)


async def test_reader_survey_updates_take_at_most_three_round_trips(
    db: Database, i18n: I18n, settings: Settings
) -> None:
    dispatcher = remembering_dispatcher(db, i18n, settings)
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    questions = build_questionnaire(survey.config).questions
    # Another reader first: the process has read its pseudonym key (once per process).
    first = ChatUser(dispatcher, MockedBot(), 7001, first_name="Читатель")
    await answer_survey(first, survey, source.payload)

    vera = ReaderChat(dispatcher, MockedBot(), 7002, first_name="Вера")
    start = f"/start {source.payload}"
    await vera.do("open link", text=start)
    await vera.press_reader("start", survey, ReaderAction.BEGIN)
    place, age, gender, education, interests, *rest = questions
    await _answer(vera, survey, place, 0)
    await vera.do("open link again (resume)", text=start)
    await _answer(vera, survey, age, 2)
    # A button of the question before (its screen was replaced): the current one again.
    await vera.press_reader("stale button", survey, ReaderAction.PICK, age.id, 1)
    await vera.press_reader("back", survey, ReaderAction.BACK, gender.id)
    await _answer(vera, survey, age, 3)
    await vera.press_reader("skip", survey, ReaderAction.SKIP, gender.id)
    await _answer(vera, survey, education, 1)
    assert interests.id == INTERESTS
    other = [option.value for option in interests.options].index("other")
    await vera.press_reader("tick", survey, ReaderAction.TOGGLE, interests.id, 0)
    await vera.press_reader("tick", survey, ReaderAction.TOGGLE, interests.id, other)
    await vera.do("typed answer", text="Настольные игры")
    await vera.press_reader("done", survey, ReaderAction.DONE, interests.id)
    for question in rest:
        await _answer(vera, survey, question, 0)
    await vera.press_reader("send (completes)", survey, ReaderAction.SEND)
    await vera.do("open link again (sent)", text=start)

    assert set(vera.by_kind) == {
        "open link",
        "start",
        "pick",
        "open link again (resume)",
        "stale button",
        "back",
        "skip",
        "tick",
        "typed answer",
        "done",
        "send (completes)",
        "open link again (sent)",
    }
    worst = {kind: max(trips) for kind, trips in vera.by_kind.items()}
    print("reader round trips, most per kind:", worst)  # noqa: T201 (read with -s)
    assert max(worst.values()) <= TARGET, worst
    # What was written with those commits is all there.
    repo = Repositories(db)
    assert await repo.surveys.response_counts(survey.id) == (2, 2)
    rows = await repo.surveys.export_rows(survey.id)
    answers = rows[1].answers
    assert answers[gender.id] is None
    assert answers[age.id] == age.options[3].value
    assert answers[INTERESTS] == [interests.options[0].value, "other"]
    assert answers[other_key(INTERESTS)] == "Настольные игры"


async def test_a_send_to_a_capped_survey_reads_the_count_once_more(
    db: Database, i18n: I18n, settings: Settings
) -> None:
    dispatcher = remembering_dispatcher(db, i18n, settings)
    library = await staff_library(db)
    survey, source = await survey_with_link(
        db, library, SurveyConfig(title="Что вам интересно", response_cap=2)
    )
    vera = ReaderChat(dispatcher, MockedBot(), 7003, first_name="Вера")
    await vera.do("open link", text=f"/start {source.payload}")  # the key is read here
    await vera.press_reader("start", survey, ReaderAction.BEGIN)
    for question in build_questionnaire(survey.config).questions:
        await _answer(vera, survey, question, 0)
    await vera.press_reader("send (capped survey)", survey, ReaderAction.SEND)
    # The completion and the exact count after it, before the commit: one trip more.
    assert vera.by_kind["send (capped survey)"] == [TARGET + 1], vera.by_kind
    assert max(max(vera.by_kind[kind]) for kind in ("start", "pick", "tick", "done")) <= TARGET
    # The second completion reaches the cap and closes the survey (with the results to the
    # staff, through the outbox: many statements, once per survey).
    await answer_survey(ChatUser(dispatcher, MockedBot(), 7004), survey, source.payload)
    closed = await Repositories(db).surveys.get_survey(survey.id)
    assert closed is not None and closed.status == "closed"
