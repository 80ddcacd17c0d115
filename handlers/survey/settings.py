"""Changing an open survey from its card: the list of its settings, then the chosen one.

The chosen setting is asked by the survey editor, which saves it instead of going on.
Once a reader has sent answers, the questions and places stay as they are.
"""

from __future__ import annotations

from html import escape

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.access import IsStaff
from bot.i18n import Translate
from bot.services.surveys import SurveyService
from bot.survey.draft import EDIT_FIELDS, QUESTION_FIELDS
from bot.survey.models import Survey
from bot.survey.questions import MAX_TITLE_LEN
from handlers.keyboards import Keyboard
from handlers.message_edits import edit_markup, message_of
from handlers.survey.callbacks import StaffAction, StaffCb
from handlers.survey.common import editor_context
from handlers.survey.editor import (
    ask_cap,
    ask_closing,
    ask_places,
    questions_markup,
    start_editing,
)
from handlers.survey.filters import OwnSurvey
from handlers.survey.states import EditorStates


async def edit_menu(
    callback: CallbackQuery, survey: Survey, *, surveys: SurveyService, t: Translate
) -> None:
    if not survey.is_open:
        await callback.answer(t("survey.edit.closed"), show_alert=True)
        return
    await callback.answer()
    _, completed = await surveys.response_counts(survey.id)
    builder = Keyboard()
    for field in EDIT_FIELDS:
        if completed and field in QUESTION_FIELDS:
            continue
        builder.button(
            text=t(f"survey.edit.{field}_button"),
            callback_data=StaffCb(action=StaffAction.EDIT_FIELD, survey_id=survey.id, value=field),
        )
    builder.adjust(1)
    note = t("survey.edit.questions_locked" if completed else "survey.edit.questions_open")
    message = message_of(callback)
    if message is not None:
        await message.answer(
            f"{t('survey.edit.menu', title=escape(survey.title))}\n\n{note}",
            reply_markup=builder.as_markup(),
        )


async def edit_field(
    callback: CallbackQuery,
    callback_data: StaffCb,
    survey: Survey,
    *,
    surveys: SurveyService,
    state: FSMContext,
    t: Translate,
) -> None:
    field = callback_data.value
    if field not in EDIT_FIELDS:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    if not survey.is_open:
        await callback.answer(t("survey.edit.closed"), show_alert=True)
        return
    started, completed = await surveys.response_counts(survey.id)
    if completed and field in QUESTION_FIELDS:
        await callback.answer(t("survey.edit.refused.answered"), show_alert=True)
        return
    message = message_of(callback)
    if message is None:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    await callback.answer()
    await edit_markup(callback, None)
    editor = editor_context(state)
    draft = await start_editing(editor, survey, field)
    if field == "title":
        await editor.set_state(EditorStates.title)
        await message.answer(
            t("survey.edit.ask_title", title=escape(survey.title), max=MAX_TITLE_LEN)
        )
    elif field == "questions":
        await editor.set_state(EditorStates.questions)
        await message.answer(
            t("survey.edit.questions"), reply_markup=questions_markup(draft, t, editing=True)
        )
    elif field == "places":
        await ask_places(message, editor, t)
    elif field == "closes":
        await ask_closing(message, editor, t)
    else:
        await ask_cap(message, editor, t, started=started)


def create_router() -> Router:
    router = Router(name="survey_settings")
    staff, own = IsStaff(), OwnSurvey()
    router.callback_query.register(
        edit_menu, StaffCb.filter(F.action == StaffAction.EDIT_MENU), staff, own
    )
    router.callback_query.register(
        edit_field, StaffCb.filter(F.action == StaffAction.EDIT_FIELD), staff, own
    )
    return router
