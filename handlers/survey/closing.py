"""Closing a survey by hand from its card: asked once, then done."""

from __future__ import annotations

from html import escape

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.access import IsStaff
from bot.i18n import Translate
from bot.services.surveys import SurveyService
from bot.survey.models import Survey
from handlers.message_edits import edit_markup, message_of, pressed_message
from handlers.survey.callbacks import StaffAction, StaffCb
from handlers.survey.common import one_button
from handlers.survey.filters import OwnSurvey


async def close_ask(callback: CallbackQuery, survey: Survey, *, t: Translate) -> None:
    message = await pressed_message(callback)
    if message is not None:
        await message.answer(
            t("survey.staff.close_confirm", title=escape(survey.title)),
            reply_markup=one_button(
                t("survey.staff.close_button"),
                StaffCb(action=StaffAction.CLOSE_CONFIRM, survey_id=survey.id),
            ),
        )


async def close_now(
    callback: CallbackQuery, survey: Survey, *, surveys: SurveyService, t: Translate
) -> None:
    await callback.answer()
    await edit_markup(callback, None)
    closed = await surveys.close(survey)
    message = message_of(callback)
    if message is not None:
        key = "survey.staff.closed_done" if closed else "survey.staff.already_closed"
        await message.answer(t(key))


def create_router() -> Router:
    router = Router(name="survey_closing")
    staff, own = IsStaff(), OwnSurvey()
    router.callback_query.register(
        close_ask, StaffCb.filter(F.action == StaffAction.CLOSE), staff, own
    )
    router.callback_query.register(
        close_now, StaffCb.filter(F.action == StaffAction.CLOSE_CONFIRM), staff, own
    )
    return router
