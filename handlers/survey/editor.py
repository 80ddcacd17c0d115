"""The survey editor: title, questions, places, closing date and cap, typed or chosen.

Creating a survey walks every step and then creates it. Editing an open survey (started
in ``survey_settings``) asks one step and saves it: the editor's data then names the
survey (``edit_survey``) and the setting (``edit_field``). The editor keeps its state
under its own destiny, so the wizard keeps its place; /cancel leaves the editor only.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.access import IsStaff
from bot.db.repositories import Library, Repositories
from bot.domain.validation import Invalid
from bot.i18n import Translate
from bot.services.surveys import SurveyService
from bot.survey.draft import (
    Draft,
    draft_of,
    new_config,
    setting_change,
    typed_setting,
)
from bot.survey.models import EditRefusal, Survey
from bot.survey.questions import (
    MAX_PLACES,
    MAX_TITLE_LEN,
    PLACE,
    QUESTION_IDS,
    default_questions,
)
from handlers.keyboards import Keyboard
from handlers.library import ask_to_choose
from handlers.message_edits import edit_markup, message_of
from handlers.survey.callbacks import StaffAction, StaffCb
from handlers.survey.common import (
    EDITOR_DESTINY,
    InDestiny,
    data_int,
    editor_context,
    one_button,
    pressed_in_step,
    register_typed,
)
from handlers.survey.menu import show_card
from handlers.survey.states import EditorStates

_FIELD_OF_STATE = {
    EditorStates.title.state: "title",
    EditorStates.questions.state: "questions",
    EditorStates.places.state: "places",
    EditorStates.closes_at.state: "closes",
    EditorStates.cap.state: "cap",
}
_TYPED = (EditorStates.title, EditorStates.places, EditorStates.closes_at, EditorStates.cap)
_STEP_BUTTONS = {
    StaffAction.QUESTIONS_DONE: EditorStates.questions,
    StaffAction.NO_PLACES: EditorStates.places,
    StaffAction.NO_DATE: EditorStates.closes_at,
    StaffAction.NO_CAP: EditorStates.cap,
}
""""Next" under the questions and the "no places / no date / no cap" buttons: each answers
its step."""


@dataclass(frozen=True, slots=True)
class _Dialog:
    """What a step needs to go on: ask the next one, create the survey or save an edit."""

    chat_id: int
    editor: FSMContext
    libraries: list[Library]
    surveys: SurveyService
    repo: Repositories
    bot: Bot
    t: Translate


def _edited_id(data: dict[str, Any]) -> int:
    """The survey being edited; 0 while a new one is being created."""
    return data_int(data, "edit_survey")


def _library(libraries: list[Library], data: dict[str, Any]) -> Library:
    wanted = data_int(data, "library_id")
    return next((library for library in libraries if library.id == wanted), libraries[0])


async def start_editing(editor: FSMContext, survey: Survey, field: str) -> Draft:
    """Open the editor on one setting of ``survey``; the draft starts with its questions."""
    draft: Draft = {"disabled": sorted(survey.config.disabled)}
    await editor.set_data(
        {
            "library_id": survey.library_id,
            "edit_survey": survey.id,
            "edit_field": field,
            "draft": draft,
        }
    )
    return draft


# --- asking each step ----------------------------------------------------------------------


def questions_markup(draft: Draft, t: Translate, *, editing: bool = False) -> InlineKeyboardMarkup:
    disabled = set(draft.get("disabled", ()))
    builder = Keyboard()
    for question in default_questions():
        key = (
            "survey.staff.question_off" if question.id in disabled else "survey.staff.question_on"
        )
        builder.button(
            text=t(key, question=t(f"{question.text_key}.short")),
            callback_data=StaffCb(action=StaffAction.TOGGLE_QUESTION, value=question.id),
        )
    done = "survey.edit.save_button" if editing else "survey.staff.next_button"
    builder.button(text=t(done), callback_data=StaffCb(action=StaffAction.QUESTIONS_DONE))
    builder.adjust(1)
    return builder.as_markup()


async def ask_places(message: Message, editor: FSMContext, t: Translate) -> None:
    await editor.set_state(EditorStates.places)
    await message.answer(
        t("survey.staff.ask_places", max=MAX_PLACES),
        reply_markup=one_button(
            t("survey.staff.no_places_button"), StaffCb(action=StaffAction.NO_PLACES)
        ),
    )


async def ask_closing(message: Message, editor: FSMContext, t: Translate) -> None:
    await editor.set_state(EditorStates.closes_at)
    await message.answer(
        t("survey.staff.ask_closes_at"),
        reply_markup=one_button(
            t("survey.staff.no_deadline_button"), StaffCb(action=StaffAction.NO_DATE)
        ),
    )


async def ask_cap(message: Message, editor: FSMContext, t: Translate, *, started: int = 0) -> None:
    """Ask for the cap; when editing, say how many readers started (the lowest allowed)."""
    await editor.set_state(EditorStates.cap)
    text = t("survey.staff.ask_cap")
    if started:
        text = f"{text}\n\n{t('survey.edit.cap_minimum', started=started)}"
    await message.answer(
        text,
        reply_markup=one_button(
            t("survey.staff.no_cap_button"), StaffCb(action=StaffAction.NO_CAP)
        ),
    )


# --- a step answered -----------------------------------------------------------------------


async def _answered(dialog: _Dialog, field: str, message: Message | None) -> None:
    """Editing: save the setting. Creating: ask the next step, or create after the cap."""
    editor, t = dialog.editor, dialog.t
    data = await editor.get_data()
    if _edited_id(data):
        await _save_edit(dialog, data)
        return
    if field == "cap":
        await _create(dialog, data)
        return
    if message is None:
        return
    draft = draft_of(data)
    if field == "title":
        await editor.set_state(EditorStates.questions)
        await message.answer(t("survey.staff.questions"), reply_markup=questions_markup(draft, t))
    elif field == "questions" and PLACE not in draft.get("disabled", ()):
        await ask_places(message, editor, t)
    elif field in {"questions", "places"}:
        await ask_closing(message, editor, t)
    else:
        await ask_cap(message, editor, t)


async def _create(dialog: _Dialog, data: dict[str, Any]) -> None:
    library = _library(dialog.libraries, data)
    if library.id != data_int(data, "library_id"):
        # Left (or was removed from) that library while typing: never create it elsewhere.
        await dialog.editor.clear()
        await dialog.bot.send_message(dialog.chat_id, dialog.t("survey.staff.not_member"))
        return
    config = new_config(draft_of(data), library.timezone)
    # In a private chat the chat is the user.
    survey = await dialog.surveys.create(library.id, dialog.chat_id, config)
    await dialog.editor.clear()
    await dialog.bot.send_message(
        dialog.chat_id, dialog.t("survey.staff.created", title=escape(survey.title))
    )
    await _show_card(dialog, survey)


async def _save_edit(dialog: _Dialog, data: dict[str, Any]) -> None:
    bot, chat_id, t = dialog.bot, dialog.chat_id, dialog.t
    survey_id = _edited_id(data)
    library = _library(dialog.libraries, data)
    change = setting_change(str(data.get("edit_field", "")), draft_of(data), library.timezone)
    result = await dialog.surveys.edit(survey_id, [x.id for x in dialog.libraries], change)
    if result is EditRefusal.CAP_TOO_LOW:
        # Readers started meanwhile (or the number was too low): ask again, still editing.
        started, _ = await dialog.surveys.response_counts(survey_id)
        await bot.send_message(chat_id, t("survey.edit.refused.cap_too_low", started=started))
        return
    await dialog.editor.clear()
    if result is None:
        await bot.send_message(chat_id, t("survey.staff.not_member"))
    elif isinstance(result, EditRefusal):
        await bot.send_message(chat_id, t(f"survey.edit.refused.{result.value}"))
    else:
        key = "survey.edit.closed_by_cap" if result.closed_by_cap else "survey.edit.saved"
        await bot.send_message(chat_id, t(key))
        await _show_card(dialog, result.survey)


async def _show_card(dialog: _Dialog, survey: Survey) -> None:
    await show_card(
        dialog.bot, dialog.chat_id, survey, surveys=dialog.surveys, repo=dialog.repo, t=dialog.t
    )


# --- handlers ------------------------------------------------------------------------------


async def new_survey(
    callback: CallbackQuery,
    *,
    libraries: list[Library],
    library: Library | None,
    state: FSMContext,
    bot: Bot,
    t: Translate,
) -> None:
    await callback.answer()
    if library is None:
        await ask_to_choose(bot, callback.from_user.id, libraries, t)
        return
    editor = editor_context(state)
    await editor.set_state(EditorStates.title)
    # The survey belongs to the library the member works in now, fixed at this moment.
    await editor.set_data({"library_id": library.id, "draft": {"disabled": []}})
    message = message_of(callback)
    if message is not None:
        await message.answer(t("survey.staff.ask_title", max=MAX_TITLE_LEN))


async def typed_answer(
    message: Message,
    *,
    libraries: list[Library],
    surveys: SurveyService,
    repo: Repositories,
    state: FSMContext,
    bot: Bot,
    t: Translate,
) -> None:
    """The title, places, closing day or cap the editor asked for."""
    editor = editor_context(state)
    field = _FIELD_OF_STATE[await editor.get_state() or ""]
    data = await editor.get_data()
    values = typed_setting(field, message.text or "", _library(libraries, data).timezone)
    if isinstance(values, Invalid):
        await message.answer(t(values.key, **values.params))
        return
    await editor.update_data(draft={**draft_of(data), **values})
    dialog = _Dialog(message.chat.id, editor, libraries, surveys, repo, bot, t)
    await _answered(dialog, field, message)


async def step_button(
    callback: CallbackQuery,
    callback_data: StaffCb,
    *,
    libraries: list[Library],
    surveys: SurveyService,
    repo: Repositories,
    state: FSMContext,
    bot: Bot,
    t: Translate,
) -> None:
    step = _STEP_BUTTONS[callback_data.action]
    editor = await pressed_in_step(callback, state, step, t)
    if editor is None:
        return
    dialog = _Dialog(callback.from_user.id, editor, libraries, surveys, repo, bot, t)
    await _answered(dialog, _FIELD_OF_STATE[step.state], message_of(callback))


async def toggle_question(
    callback: CallbackQuery, callback_data: StaffCb, *, state: FSMContext, t: Translate
) -> None:
    editor = editor_context(state)
    if (
        await editor.get_state() != EditorStates.questions.state
        or callback_data.value not in QUESTION_IDS
    ):
        await callback.answer(t("cb.stale"))
        return
    data = await editor.get_data()
    draft = draft_of(data)
    disabled = set(draft.get("disabled", ())) ^ {callback_data.value}
    if set(QUESTION_IDS) <= disabled:
        await callback.answer(t("survey.staff.need_one_question"), show_alert=True)
        return
    draft["disabled"] = sorted(disabled)
    await editor.update_data(draft=draft)
    await callback.answer()
    await edit_markup(callback, questions_markup(draft, t, editing=bool(_edited_id(data))))


async def cancel_editor(message: Message, *, state: FSMContext, t: Translate) -> None:
    await editor_context(state).clear()
    await message.answer(t("survey.staff.cancelled"))


async def editor_not_text(message: Message, t: Translate) -> None:
    await message.answer(t("survey.staff.text_expected"))


async def editor_buttons_expected(message: Message, t: Translate) -> None:
    await message.answer(t("invalid.use_buttons"))


def create_router() -> Router:
    """Before the other editor steps' routers (links, pulse polls): /cancel and "text
    expected" here serve every editor state."""
    router = Router(name="survey_editor")
    staff = IsStaff()
    editing = InDestiny(EDITOR_DESTINY, *EditorStates.__all_states__)
    router.message.register(cancel_editor, Command("cancel"), editing)
    register_typed(router, typed_answer, *_TYPED)
    router.message.register(
        editor_buttons_expected,
        InDestiny(EDITOR_DESTINY, EditorStates.questions),
        F.text,
        ~F.text.startswith("/"),
    )
    router.message.register(editor_not_text, editing, ~F.text)

    router.callback_query.register(new_survey, StaffCb.filter(F.action == StaffAction.NEW), staff)
    router.callback_query.register(
        toggle_question, StaffCb.filter(F.action == StaffAction.TOGGLE_QUESTION), staff
    )
    router.callback_query.register(step_button, StaffCb.filter(F.action.in_(_STEP_BUTTONS)), staff)
    return router
