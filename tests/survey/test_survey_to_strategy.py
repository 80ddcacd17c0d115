"""Survey results reach a strategy only from enough answers, after a preview and a yes."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import I18n

from bot.advice.models import AudienceData
from bot.advice.profile import read_profile
from bot.advice.rules.audience import audience_items
from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.db.surveys import SurveyRepository
from bot.i18n import Translator
from bot.services.surveys import AUDIENCE_SURVEY_KEY, audience_for_strategy
from bot.survey.models import Started, Survey
from bot.survey.questions import AGE, GENDER, INTERESTS
from tests.chat import ChatUser
from tests.survey.bot_helpers import STAFF_ID, staff_library, survey_with_link


async def _responses(db: Database, survey: Survey, answers: list[dict[str, Any]]) -> None:
    """Completed responses written straight to the tables (the bot's own path is tested
    elsewhere); each under its own pseudonym."""
    surveys = SurveyRepository(db)
    for number, given in enumerate(answers):
        pseudonym = f"{number:064x}"
        started = await surveys.start_or_resume(survey.id, pseudonym)
        assert isinstance(started, Started)
        for question_id, value in given.items():
            await surveys.save_answer(started.response.id, pseudonym, question_id, value)
        assert await surveys.complete(started.response.id, pseudonym)


OLDER = {AGE: "55_64", GENDER: "women", INTERESTS: ["history", "health"]}
OLDEST = {AGE: "65_plus", GENDER: "women", INTERESTS: ["history"]}


async def _open_results(anna: ChatUser, survey: Survey) -> None:
    await anna.send("/results")
    await anna.press(survey.title)


async def test_one_answer_changes_no_strategy(db: Database, anna: ChatUser, i18n: I18n) -> None:
    ru = Translator(i18n, "ru")
    repo = Repositories(db)
    library = await staff_library(db)
    strategy = await repo.strategies.create(library.id, STAFF_ID)
    await repo.answers.save(strategy.id, "aud_age", ["25_34", "35_44"])
    survey, _ = await survey_with_link(db, library)
    await _responses(db, survey, [OLDER])
    await _open_results(anna, survey)
    texts = anna.texts(await anna.press(ru("survey.staff.apply_button")))
    assert texts == [ru.plural("survey.staff.apply_too_few", 30, count=1)]
    assert await repo.answers.all(strategy.id) == {"aud_age": ["25_34", "35_44"]}


async def test_preview_then_confirm_writes_only_the_survey_answers(
    db: Database, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    repo = Repositories(db)
    library = await staff_library(db)
    strategy = await repo.strategies.create(library.id, STAFF_ID)
    await repo.answers.save(strategy.id, "aud_area", "rural")
    survey, _ = await survey_with_link(db, library)
    await _responses(db, survey, [OLDER] * 20 + [OLDEST] * 12)
    await _open_results(anna, survey)

    (preview,) = anna.texts(await anna.press(ru("survey.staff.apply_button")))
    assert "55–64" in preview or "55" in preview
    assert ru.plural("survey.staff.applied_sample", 32) in preview
    assert await repo.answers.all(strategy.id) == {"aud_area": "rural"}  # nothing yet

    (done,) = anna.texts(await anna.press(ru("survey.staff.apply_confirm_button")))
    assert ru.plural("survey.staff.applied_sample", 32) in done
    answers = await repo.answers.all(strategy.id)
    assert answers["aud_source"] == "survey"
    assert answers[AUDIENCE_SURVEY_KEY] == survey.id
    assert answers["aud_age"] == ["55_64", "65_plus"]
    assert answers["aud_gender"] == "women"
    assert answers["aud_area"] == "rural"  # the survey says nothing of it: left as it was
    audience = await audience_for_strategy(repo, strategy.id)
    assert audience is not None and audience.sample_size == 32
    assert audience.age == {"55_64": 0.625, "65_plus": 0.375}
    # Back to the librarian's own description: the survey no longer speaks for step 2.
    await repo.answers.save(strategy.id, "aud_source", "self")
    assert await audience_for_strategy(repo, strategy.id) is None


async def test_cancel_and_a_finished_strategy_change_nothing(
    db: Database, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    repo = Repositories(db)
    library = await staff_library(db)
    strategy = await repo.strategies.create(library.id, STAFF_ID)
    survey, _ = await survey_with_link(db, library)
    await _responses(db, survey, [OLDER] * 30)
    await _open_results(anna, survey)
    await anna.press(ru("survey.staff.apply_button"))
    assert anna.texts(await anna.press(ru("survey.staff.apply_cancel_button"))) == [
        ru("survey.staff.apply_cancelled")
    ]
    assert await repo.answers.all(strategy.id) == {}

    # Finished between the preview and the yes: refused, the strategy stays as it was.
    await _open_results(anna, survey)
    await anna.press(ru("survey.staff.apply_button"))
    assert await repo.strategies.mark_complete(strategy.id)
    texts = anna.texts(await anna.press(ru("survey.staff.apply_confirm_button")))
    assert texts == [ru("survey.staff.apply_complete")]
    assert await repo.answers.all(strategy.id) == {}
    await _open_results(anna, survey)
    texts = anna.texts(await anna.press(ru("survey.staff.apply_button")))
    assert texts == [ru("survey.staff.apply_complete")]

    await repo.strategies.reopen(strategy.id)
    await _open_results(anna, survey)
    await anna.press(ru("survey.staff.apply_button"))
    await anna.press(ru("survey.staff.apply_confirm_button"))
    assert (await repo.answers.all(strategy.id))["aud_source"] == "survey"


def test_advice_cites_the_survey_only_for_numbers_from_it() -> None:
    answers = {"aud_source": "survey", "aud_age": ["25_34", "35_44"]}
    # Ages hidden in the results (too small): the survey says nothing about them.
    survey = AudienceData(sample_size=40, age={}, interests={"history": 0.5})
    reasons = [
        reason.key
        for item in audience_items(read_profile(answers, survey))
        for reason in item.reasons
    ]
    assert reasons
    assert "advice.audience.reason.survey" not in reasons
    with_ages = AudienceData(sample_size=40, age={"55_64": 0.7, "65_plus": 0.3})
    reasons = [
        reason.key
        for item in audience_items(read_profile(answers, with_ages))
        for reason in item.reasons
    ]
    assert "advice.audience.reason.survey" in reasons
