"""Filters of the staff's survey buttons: they hand the handler what the button names.

``OwnSurvey`` runs after ``StaffCb.filter()`` (or ``PosterCb.filter()``) and ``IsStaff()``:
aiogram passes ``callback_data`` and ``libraries``, which those two return, on to the
filters after them, and this one adds ``survey``. A button naming another library's
survey (forged, or kept after leaving a team) matches no handler and gets the survey
router's closing answer (``handlers/survey/__init__.py``).
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from bot.db.repositories import Library
from bot.services.surveys import SurveyService
from handlers.survey.callbacks import PosterCb, StaffCb


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
