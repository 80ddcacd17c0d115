"""A staff button names its survey; only the survey's own library may use it.

Every button of the card (and the poster's) is pressed by a member of another library, with
the real id of a survey that is not theirs and with an id that names nothing: each gets the
translated "belongs to another library" answer, and nothing is shown, sent or changed.
"""

from __future__ import annotations

import pytest
from aiogram import Dispatcher
from aiogram.methods import AnswerCallbackQuery
from aiogram.utils.i18n import I18n

from bot.db.engine import Database
from bot.db.surveys import SurveyRepository
from bot.i18n import Translator
from handlers.survey.callbacks import PosterCb, StaffCb
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.survey.bot_helpers import staff_library, survey_with_link

OTHER_STAFF_ID = 300
MISSING_SURVEY = 987_654

# Every staff action that acts on a survey, with the value its button carries.
OWN_SURVEY_ACTIONS = [
    *(("card", ""), ("res", ""), ("charts", ""), ("csv", ""), ("xlsx", ""), ("sources", "")),
    *(("apply", ""), ("apply_ok", "1"), ("again", ""), ("waves", ""), ("edit", "")),
    *(("ed", "title"), ("src", ""), ("kind", "poster"), ("close", ""), ("closeyes", "")),
    ("pulse", ""),
]


@pytest.fixture
async def other(db: Database, dispatcher: Dispatcher, bot: MockedBot) -> ChatUser:
    await staff_library(db, OTHER_STAFF_ID)
    return ChatUser(dispatcher, bot, OTHER_STAFF_ID, first_name="Борис")


@pytest.mark.parametrize(("action", "value"), OWN_SURVEY_ACTIONS, ids=lambda x: x or "-")
async def test_another_librarys_survey_is_not_found(
    db: Database, other: ChatUser, i18n: I18n, action: str, value: str
) -> None:
    ru = Translator(i18n, "ru")
    survey, _ = await survey_with_link(db, await staff_library(db))
    before = await SurveyRepository(db).get_survey(survey.id)

    for survey_id in (survey.id, MISSING_SURVEY):
        requests = await other.press_data(
            StaffCb(action=action, survey_id=survey_id, value=value).pack()
        )
        assert other.alerts(requests) == [ru("survey.staff.not_member")]
        # The answer to the press is all that happened.
        assert all(isinstance(r, AnswerCallbackQuery) for r in requests)

    assert await SurveyRepository(db).get_survey(survey.id) == before
    assert await SurveyRepository(db).get_survey(survey.id + 1) is None  # no new wave


async def test_another_librarys_poster_is_not_found(
    db: Database, other: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    survey, source = await survey_with_link(db, await staff_library(db))
    for survey_id in (survey.id, MISSING_SURVEY):
        requests = await other.press_data(
            PosterCb(survey_id=survey_id, source_id=source.id).pack()
        )
        assert other.alerts(requests) == [ru("survey.staff.not_member")]
        assert all(isinstance(r, AnswerCallbackQuery) for r in requests)


async def test_the_own_library_gets_the_same_buttons_answered(
    db: Database, anna: ChatUser, other: ChatUser, i18n: I18n
) -> None:
    # The control: the same presses by the survey's own staff do what the button says.
    ru = Translator(i18n, "ru")
    survey, source = await survey_with_link(db, await staff_library(db))
    texts = anna.texts(await anna.press_data(StaffCb(action="close", survey_id=survey.id).pack()))
    assert texts == [ru("survey.staff.close_confirm", title=survey.title)]
    requests = await anna.press_data(PosterCb(survey_id=survey.id, source_id=source.id).pack())
    assert not anna.alerts(requests)[0]
    assert len(requests) > 1

    # An action nobody knows is an unknown button, not a refusal, whoever presses it.
    for chat in (anna, other):
        requests = await chat.press_data(f"ss:nonsense:{survey.id}:")
        assert chat.alerts(requests) == [ru("cb.unknown")]
