"""Survey waves: run a survey again, then compare the two waves side by side."""

from __future__ import annotations

import itertools

from aiogram.utils.i18n import I18n

from bot.db.engine import Database
from bot.db.surveys import SurveyRepository
from bot.domain.questions import Question
from bot.i18n import Translator
from bot.survey.questions import AGE, GENDER, SurveyConfig, build_questionnaire
from handlers.survey.common import StaffCb
from tests.chat import ChatUser
from tests.survey.bot_helpers import answer_survey, reader, staff_library, survey_with_link

_readers = itertools.count(40_000)
WAVE = 20


def _first_wave(question: Question, number: int) -> list[int]:
    # Half and half on age and gender; everyone picks the first choice elsewhere.
    return [number % 2] if question.id in (AGE, GENDER) else [0]


def _second_wave(question: Question, number: int) -> list[int]:
    if question.id == AGE:
        return [0] if number < WAVE // 4 else [1]
    if question.id == GENDER:
        return [0] if number < 2 else [1]  # two women: a group too small to show
    return [0]


async def test_two_waves_compared_through_the_dispatcher(
    db: Database, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    config = SurveyConfig(title="Читатели 2025", places=("Никольское", "Вохма"))
    survey, source = await survey_with_link(db, library, config)
    for number in range(WAVE):
        chat = reader(anna.dispatcher, anna.bot, next(_readers))
        await answer_survey(chat, survey, source.payload, number=number, choose=_first_wave)

    texts = anna.texts(await anna.press_data(StaffCb(a="again", s=survey.id).pack()))
    surveys = SurveyRepository(db)
    wave, first = await surveys.of_library(library.id)
    assert first.id == survey.id
    assert wave.title == "Читатели 2025 — волна 2"
    assert (wave.config.disabled, wave.config.places) == (config.disabled, config.places)
    assert (wave.config.previous_wave, wave.config.wave) == (survey.id, 2)
    (new_source,) = await surveys.sources(wave.id)
    assert (new_source.kind, new_source.label) == (source.kind, source.label)
    assert new_source.payload != source.payload
    assert new_source.payload in texts[0]
    assert ru("survey.wave.compare_button") in anna.button_texts()

    for number in range(WAVE):
        chat = reader(anna.dispatcher, anna.bot, next(_readers))
        await answer_survey(chat, wave, new_source.payload, number=number, choose=_second_wave)

    (text,) = anna.texts(await anna.press_data(StaffCb(a="waves", s=wave.id).pack()))
    lines = text.splitlines()
    assert ru("survey.wave.respondents", before=WAVE, after=WAVE) in lines
    age = build_questionnaire(wave.config).question(AGE)
    gender = build_questionnaire(wave.config).question(GENDER)
    assert age is not None and gender is not None

    def line(question: Question, index: int, before: str, after: str, change: str) -> str:
        label = ru(question.option_key(question.options[index].value))
        return ru("survey.wave.line", label=label, before=before, after=after, change=change)

    assert line(age, 0, "50%", "25%", ru("survey.wave.points", points="−25")) in lines
    assert line(age, 1, "50%", "75%", ru("survey.wave.points", points="+25")) in lines
    # Two women in the second wave: hidden, and so is the men's share that would give them
    # away; no change is computed from either.
    hidden = ru("survey.wave.no_change_shown")
    assert line(gender, 0, "50%", "&lt;5", hidden) in lines
    assert line(gender, 1, "50%", "*", hidden) in lines
    assert "2 " not in "".join(x for x in lines if ru(gender.option_key("women")) in x)


async def test_run_again_is_only_for_the_library_staff(
    db: Database, anna: ChatUser, john: ChatUser, i18n: I18n
) -> None:
    library = await staff_library(db)
    survey, _ = await survey_with_link(db, library)
    await john.send("/start")
    requests = await john.press_data(StaffCb(a="again", s=survey.id).pack())
    (alert,) = john.alerts(requests)
    assert alert
    assert len(await SurveyRepository(db).of_library(library.id)) == 1
