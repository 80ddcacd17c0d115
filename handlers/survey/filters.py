"""Filters of the survey's buttons: they hand the handler what the button names.

``OwnSurvey`` runs after ``StaffCb.filter()`` (or ``PosterCb.filter()``) and ``IsStaff()``:
aiogram passes ``callback_data`` and ``libraries``, which those two return, on to the
filters after them, and this one adds ``survey``. A button naming another library's
survey (forged, or kept after leaving a team) matches no handler and gets the survey
router's closing answer (``handlers/survey/__init__.py``).

``CurrentReaderButton`` runs after ``ReaderCb.filter()`` and adds the reader's ``session`` and, for
a button of a question, the ``question`` (and the chosen option's ``value``). A button it
refuses reaches the reader router's last handler, which tells the reader why
(:func:`check_reader_button` says it, for both).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, TelegramObject

from bot.db.repositories import Library
from bot.domain.questions import Kind, Question
from bot.readers import ASKING_KEY
from bot.services.surveys import ReaderSession, SurveyService
from handlers.survey.callbacks import PosterCb, ReaderAction, ReaderCb, StaffCb


class OwnSurvey(Filter):
    """Passes when the button's survey belongs to one of the user's libraries."""

    async def __call__(
        self,
        event: TelegramObject,
        callback_data: StaffCb | PosterCb,
        libraries: list[Library],
        surveys: SurveyService,
    ) -> bool | dict[str, Any]:
        survey = await surveys.staff_survey(callback_data.survey_id, [x.id for x in libraries])
        return {"survey": survey} if survey is not None else False


class Refusal(StrEnum):
    OLD_BUTTON = "old"
    """No response of this reader to the survey, an unknown question, a wrong option."""
    CLOSED = "closed"
    """The survey stopped taking answers (the button's question was not the current one)."""
    ELSEWHERE = "elsewhere"
    """Another question (or the review) of this survey is the reader's current screen."""


_OPTION_KINDS = {ReaderAction.PICK: Kind.SINGLE, ReaderAction.TOGGLE: Kind.MULTI}
_SURVEY_ACTIONS = frozenset({ReaderAction.BEGIN, ReaderAction.CHANGE_ANSWERS, ReaderAction.SEND})


@dataclass(frozen=True, slots=True)
class ReaderButton:
    """What a reader's button names, or why it names nothing that can be answered."""

    session: ReaderSession | None
    question: Question | None = None
    value: str | None = None
    """The chosen option's value (pick and tick)."""
    refusal: Refusal | None = None
    asking: list[Any] | None = None
    """``[survey id, question id]`` of the reader's current screen, as recorded."""


async def check_reader_button(
    callback_data: ReaderCb,
    telegram_id: int,
    surveys: SurveyService,
    reader_state: FSMContext | None,
) -> ReaderButton:
    """The reader's response, question and option a button names, if the button is
    current: a button of an older question (its screen was never replaced: the bot stopped
    mid-update, or the reader scrolled up) is refused, and shows the current question."""
    action = callback_data.action
    # Sending takes the survey's row to the commit: "thanks" only if it still takes answers.
    lock = action is ReaderAction.SEND
    session = await surveys.session(callback_data.survey_id, telegram_id, lock=lock)
    if session is None:
        return ReaderButton(None, refusal=Refusal.OLD_BUTTON)
    if action in _SURVEY_ACTIONS:
        return ReaderButton(session)
    question = session.questionnaire.question(callback_data.question)
    if question is None:
        return ReaderButton(session, refusal=Refusal.OLD_BUTTON)
    data = await reader_state.get_data() if reader_state is not None else {}
    asking = data.get(ASKING_KEY)
    if isinstance(asking, list) and _shown_elsewhere(asking, session.survey.id, question.id):
        refusal = Refusal.ELSEWHERE if session.survey.is_open else Refusal.CLOSED
        return ReaderButton(session, question, refusal=refusal, asking=asking)
    kind = _OPTION_KINDS.get(action)
    if kind is None:
        return ReaderButton(session, question)
    options = question.options
    if question.kind is not kind or not 0 <= callback_data.option < len(options):
        return ReaderButton(session, question, refusal=Refusal.OLD_BUTTON)
    return ReaderButton(session, question, options[callback_data.option].value)


def _shown_elsewhere(asking: list[Any], survey_id: int, question_id: str) -> bool:
    """Whether the reader's current screen of this survey is another question or the review
    (another survey's, or nothing recorded: the button is taken as it is)."""
    return len(asking) == 2 and asking[0] == survey_id and asking[1] != question_id


class CurrentReaderButton(Filter):
    """Passes when a reader's button is current (:func:`check_reader_button`); hands the
    handler ``session`` and, for a question's button, ``question`` and ``value``."""

    async def __call__(
        self,
        event: CallbackQuery,
        callback_data: ReaderCb,
        surveys: SurveyService,
        reader_state: FSMContext | None,
    ) -> bool | dict[str, Any]:
        found = await check_reader_button(callback_data, event.from_user.id, surveys, reader_state)
        if found.refusal is not None:
            return False
        return {"session": found.session, "question": found.question, "value": found.value}
