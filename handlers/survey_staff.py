"""Staff create, edit and link surveys: /survey, the wizard's offer, title to QR code.

Typed steps (title, places, date, cap, link label) keep their state under the editor
destiny, so the wizard below keeps its place; /cancel leaves the editor only. Editing an
open survey walks the same steps one at a time: the editor's data then names the survey
(``edit_survey``) and the setting (``edit_field``), and each step saves instead of going on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from html import escape
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access import IsStaff
from bot.callbacks import QuestionCb
from bot.db.repositories import Library, Repositories
from bot.db.survey_repository import EditRefusal, Survey
from bot.domain.questions import OTHER
from bot.domain.zones import library_zone
from bot.i18n import Translate
from bot.states import Wizard
from bot.survey.links import SourceKind, deep_link
from bot.survey.qr import qr_png
from bot.survey.questions import (
    MAX_PLACE_LEN,
    MAX_PLACES,
    MAX_TITLE_LEN,
    PLACE,
    QUESTION_IDS,
    SurveyConfig,
    clean_places,
    default_questions,
    end_of_day,
    parse_closing_day,
)
from bot.survey_service import SurveyService, source_name
from handlers import wizard
from handlers.editing import edit_markup, message_of
from handlers.survey_common import (
    EDITOR_DESTINY,
    EditorStates,
    InDestiny,
    StaffCb,
    data_int,
    editor_context,
)
from handlers.survey_view import survey_card, surveys_list_keyboard
from handlers.wizard_flow import WizardFlow

MAX_CAP = 100_000
MAX_LABEL_LEN = 60


# --- the draft of a new survey, kept in the editor's FSM data ------------------------------


def _draft(data: dict[str, Any]) -> dict[str, Any]:
    draft = data.get("draft")
    return dict(draft) if isinstance(draft, dict) else {}


def _closes_at(draft: dict[str, Any], timezone: str) -> datetime | None:
    closes = draft.get("closes_on")
    if not closes:
        return None
    return end_of_day(date.fromisoformat(closes), library_zone(timezone).key)


def _config(draft: dict[str, Any], timezone: str) -> SurveyConfig:
    return SurveyConfig(
        title=str(draft.get("title", "")),
        disabled=frozenset(draft.get("disabled", ())),
        places=tuple(draft.get("places", ())),
        closes_at=_closes_at(draft, timezone),
        response_cap=draft.get("cap"),
    )


def _edited_id(data: dict[str, Any]) -> int:
    """The survey being edited; 0 while a new one is being created."""
    return data_int(data, "edit_survey")


async def _library(libraries: list[Library], data: dict[str, Any]) -> Library:
    wanted = data_int(data, "library_id")
    return next((library for library in libraries if library.id == wanted), libraries[0])


def _button_markup(text: str, callback: StaffCb) -> Any:
    builder = InlineKeyboardBuilder()
    builder.button(text=text, callback_data=callback)
    return builder.as_markup()


# --- menu and card -------------------------------------------------------------------------


async def survey_menu(
    message: Message, *, libraries: list[Library], surveys: SurveyService, t: Translate
) -> None:
    found = await surveys.of_libraries([library.id for library in libraries])
    builder = await surveys_list_keyboard(found, surveys, "card", t)
    builder.row(
        InlineKeyboardButton(
            text=t("survey.staff.create_button"), callback_data=StaffCb(a="new").pack()
        )
    )
    listing = t("survey.staff.list_title") if found else t("survey.staff.list_empty")
    await message.answer(
        f"{t('survey.staff.menu')}\n\n{listing}", reply_markup=builder.as_markup()
    )


async def show_card(
    bot: Bot, chat_id: int, survey: Survey, *, surveys: SurveyService, repo: Repositories,
    t: Translate,
) -> None:  # fmt: skip
    started, completed = await surveys.surveys.response_counts(survey.id)
    library = await repo.libraries.get(survey.library_id)
    text, markup = survey_card(
        survey, started, completed, library.timezone if library else "UTC", t
    )
    await bot.send_message(chat_id, text, reply_markup=markup)


async def staff_survey(
    callback: CallbackQuery, callback_data: StaffCb, libraries: list[Library],
    surveys: SurveyService, t: Translate,
) -> Survey | None:  # fmt: skip
    survey = await surveys.staff_survey(callback_data.s, [library.id for library in libraries])
    if survey is None:
        await callback.answer(t("survey.staff.not_member"), show_alert=True)
    return survey


async def card(
    callback: CallbackQuery, callback_data: StaffCb, *, libraries: list[Library],
    surveys: SurveyService, repo: Repositories, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    survey = await staff_survey(callback, callback_data, libraries, surveys, t)
    if survey is None:
        return
    await callback.answer()
    await show_card(bot, callback.from_user.id, survey, surveys=surveys, repo=repo, t=t)


# --- creating a survey ---------------------------------------------------------------------


async def new_survey(
    callback: CallbackQuery, *, libraries: list[Library], state: FSMContext, t: Translate
) -> None:
    await callback.answer()
    editor = editor_context(state)
    await editor.set_state(EditorStates.title)
    await editor.set_data({"library_id": libraries[0].id, "draft": {}})
    message = message_of(callback)
    if message is not None:
        await message.answer(t("survey.staff.ask_title", max=MAX_TITLE_LEN))


async def typed_title(
    message: Message, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, state: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    title = " ".join((message.text or "").split())
    if not title or len(title) > MAX_TITLE_LEN:
        await message.answer(t("survey.staff.title_invalid", max=MAX_TITLE_LEN))
        return
    editor = editor_context(state)
    data = await editor.get_data()
    if _edited_id(data):
        await editor.update_data(draft={**_draft(data), "title": title})
        await _save_edit(
            message.chat.id, libraries=libraries, surveys=surveys, repo=repo, editor=editor,
            bot=bot, t=t,
        )  # fmt: skip
        return
    draft = {**_draft(data), "title": title, "disabled": []}
    await editor.update_data(draft=draft)
    await editor.set_state(EditorStates.questions)
    await message.answer(t("survey.staff.questions"), reply_markup=_questions_markup(draft, t))


def _questions_markup(draft: dict[str, Any], t: Translate, *, editing: bool = False) -> Any:
    disabled = set(draft.get("disabled", ()))
    builder = InlineKeyboardBuilder()
    for question in default_questions():
        key = (
            "survey.staff.question_off" if question.id in disabled else "survey.staff.question_on"
        )
        builder.button(
            text=t(key, question=t(f"{question.text_key}.short")),
            callback_data=StaffCb(a="qt", v=question.id),
        )
    done = "survey.edit.save_button" if editing else "survey.staff.next_button"
    builder.button(text=t(done), callback_data=StaffCb(a="qnext"))
    builder.adjust(1)
    return builder.as_markup()


async def toggle_question(
    callback: CallbackQuery, callback_data: StaffCb, *, state: FSMContext, t: Translate
) -> None:
    editor = editor_context(state)
    if (
        await editor.get_state() != EditorStates.questions.state
        or callback_data.v not in QUESTION_IDS
    ):
        await callback.answer(t("cb.stale"))
        return
    data = await editor.get_data()
    draft = _draft(data)
    disabled = set(draft.get("disabled", ())) ^ {callback_data.v}
    if set(QUESTION_IDS) <= disabled:
        await callback.answer(t("survey.staff.need_one_question"), show_alert=True)
        return
    draft["disabled"] = sorted(disabled)
    await editor.update_data(draft=draft)
    await callback.answer()
    await edit_markup(callback, _questions_markup(draft, t, editing=bool(_edited_id(data))))


async def questions_next(
    callback: CallbackQuery, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, state: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    editor = editor_context(state)
    if await editor.get_state() != EditorStates.questions.state:
        await callback.answer(t("cb.stale"))
        return
    await callback.answer()
    await edit_markup(callback, None)
    data = await editor.get_data()
    if _edited_id(data):
        await _save_edit(
            callback.from_user.id, libraries=libraries, surveys=surveys, repo=repo,
            editor=editor, bot=bot, t=t,
        )  # fmt: skip
        return
    message = message_of(callback)
    if message is None:
        return
    if PLACE in _draft(data).get("disabled", ()):
        await _ask_closing(message, editor, t)
        return
    await _ask_places(message, editor, t)


async def _ask_places(message: Message, editor: FSMContext, t: Translate) -> None:
    await editor.set_state(EditorStates.places)
    await message.answer(
        t("survey.staff.ask_places", max=MAX_PLACES),
        reply_markup=_button_markup(t("survey.staff.no_places_button"), StaffCb(a="noplaces")),
    )


async def typed_places(
    message: Message, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, state: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    lines = (message.text or "").splitlines()
    places = clean_places(lines)
    bad = (
        not places
        or len(places) > MAX_PLACES
        or any(len(place) > MAX_PLACE_LEN or place.casefold() == OTHER for place in places)
    )
    if bad:
        await message.answer(
            t("survey.staff.places_invalid", max=MAX_PLACES, max_len=MAX_PLACE_LEN)
        )
        return
    editor = editor_context(state)
    draft = {**_draft(await editor.get_data()), "places": list(places)}
    await editor.update_data(draft=draft)
    if not await _saved_if_editing(
        message.chat.id, libraries=libraries, surveys=surveys, repo=repo, editor=editor,
        bot=bot, t=t,
    ):  # fmt: skip
        await _ask_closing(message, editor, t)


async def _skipped(
    callback: CallbackQuery, state: FSMContext, expected: State, t: Translate
) -> FSMContext | None:
    """The editor, if the "no …" button belongs to the step being asked; else a stale answer."""
    editor = editor_context(state)
    if await editor.get_state() != expected.state:
        await callback.answer(t("cb.stale"))
        return None
    await callback.answer()
    await edit_markup(callback, None)
    return editor


async def no_places(
    callback: CallbackQuery, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, state: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    editor = await _skipped(callback, state, EditorStates.places, t)
    if editor is None or await _saved_if_editing(
        callback.from_user.id, libraries=libraries, surveys=surveys, repo=repo, editor=editor,
        bot=bot, t=t,
    ):  # fmt: skip
        return
    message = message_of(callback)
    if message is not None:
        await _ask_closing(message, editor, t)


async def _ask_closing(message: Message, editor: FSMContext, t: Translate) -> None:
    await editor.set_state(EditorStates.closes_at)
    await message.answer(
        t("survey.staff.ask_closes_at"),
        reply_markup=_button_markup(t("survey.staff.no_deadline_button"), StaffCb(a="nodate")),
    )


async def typed_closing(
    message: Message, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, state: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    editor = editor_context(state)
    data = await editor.get_data()
    library = await _library(libraries, data)
    day = parse_closing_day(message.text or "", library.timezone)
    if day is None:
        await message.answer(t("survey.staff.closes_at_invalid"))
        return
    await editor.update_data(draft={**_draft(data), "closes_on": day.isoformat()})
    if not await _saved_if_editing(
        message.chat.id, libraries=libraries, surveys=surveys, repo=repo, editor=editor,
        bot=bot, t=t,
    ):  # fmt: skip
        await _ask_cap(message, editor, t)


async def no_closing(
    callback: CallbackQuery, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, state: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    editor = await _skipped(callback, state, EditorStates.closes_at, t)
    if editor is None or await _saved_if_editing(
        callback.from_user.id, libraries=libraries, surveys=surveys, repo=repo, editor=editor,
        bot=bot, t=t,
    ):  # fmt: skip
        return
    message = message_of(callback)
    if message is not None:
        await _ask_cap(message, editor, t)


async def _ask_cap(
    message: Message, editor: FSMContext, t: Translate, *, started: int = 0
) -> None:
    """Ask for the cap; when editing, say how many readers started (the lowest allowed)."""
    await editor.set_state(EditorStates.cap)
    text = t("survey.staff.ask_cap")
    if started:
        text = f"{text}\n\n{t('survey.edit.cap_minimum', started=started)}"
    await message.answer(
        text, reply_markup=_button_markup(t("survey.staff.no_cap_button"), StaffCb(a="nocap"))
    )


async def typed_cap(
    message: Message, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, state: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    text = (message.text or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_CAP:
        await message.answer(t("survey.staff.cap_invalid", max=MAX_CAP))
        return
    editor = editor_context(state)
    await editor.update_data(draft={**_draft(await editor.get_data()), "cap": int(text)})
    await _finish(
        message.chat.id, libraries=libraries, surveys=surveys, repo=repo, editor=editor,
        bot=bot, t=t,
    )  # fmt: skip


async def no_cap(
    callback: CallbackQuery, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, state: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    editor = await _skipped(callback, state, EditorStates.cap, t)
    if editor is None:
        return
    await _finish(
        callback.from_user.id, libraries=libraries, surveys=surveys, repo=repo, editor=editor,
        bot=bot, t=t,
    )  # fmt: skip


async def _finish(
    chat_id: int, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, editor: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    """The cap was the last step: create the new survey, or save the edited one."""
    if not await _saved_if_editing(
        chat_id, libraries=libraries, surveys=surveys, repo=repo, editor=editor, bot=bot, t=t
    ):
        await _create(
            chat_id, libraries=libraries, surveys=surveys, repo=repo, editor=editor, bot=bot,
            t=t,
        )  # fmt: skip


async def _create(
    chat_id: int, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, editor: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    data = await editor.get_data()
    library = await _library(libraries, data)
    config = _config(_draft(data), library.timezone)
    # In a private chat the chat is the user.
    survey = await surveys.create(library.id, chat_id, config)
    await editor.clear()
    await bot.send_message(chat_id, t("survey.staff.created", title=escape(survey.title)))
    await show_card(bot, chat_id, survey, surveys=surveys, repo=repo, t=t)


async def cancel_editor(message: Message, *, state: FSMContext, t: Translate) -> None:
    await editor_context(state).clear()
    await message.answer(t("survey.staff.cancelled"))


async def editor_not_text(message: Message, t: Translate) -> None:
    await message.answer(t("survey.staff.text_expected"))


async def editor_buttons_expected(message: Message, t: Translate) -> None:
    await message.answer(t("invalid.use_buttons"))


# --- editing an open survey: the creation steps, one at a time ---------------------------

EDIT_FIELDS = ("title", "questions", "places", "closes", "cap")
QUESTION_FIELDS = frozenset({"questions", "places"})
"""What readers are asked: fixed once someone has sent answers, so results stay comparable."""


def _change(
    field: str, draft: dict[str, Any], timezone: str
) -> Callable[[SurveyConfig], SurveyConfig]:
    """The one setting staff edited, to apply to the survey as it is stored when saving."""

    def change(config: SurveyConfig) -> SurveyConfig:
        if field == "title":
            return replace(config, title=str(draft.get("title", config.title)))
        if field == "questions":
            return replace(config, disabled=frozenset(draft.get("disabled", config.disabled)))
        if field == "places":
            return replace(config, places=tuple(draft.get("places", ())))
        if field == "closes":
            return replace(config, closes_at=_closes_at(draft, timezone))
        return replace(config, response_cap=draft.get("cap"))

    return change


async def edit_menu(
    callback: CallbackQuery, callback_data: StaffCb, *, libraries: list[Library],
    surveys: SurveyService, t: Translate,
) -> None:  # fmt: skip
    survey = await staff_survey(callback, callback_data, libraries, surveys, t)
    if survey is None:
        return
    if not survey.is_open:
        await callback.answer(t("survey.edit.closed"), show_alert=True)
        return
    await callback.answer()
    _, completed = await surveys.surveys.response_counts(survey.id)
    builder = InlineKeyboardBuilder()
    for field in EDIT_FIELDS:
        if completed and field in QUESTION_FIELDS:
            continue
        builder.button(
            text=t(f"survey.edit.{field}_button"),
            callback_data=StaffCb(a="ed", s=survey.id, v=field),
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
    callback: CallbackQuery, callback_data: StaffCb, *, libraries: list[Library],
    surveys: SurveyService, state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    survey = await staff_survey(callback, callback_data, libraries, surveys, t)
    if survey is None:
        return
    field = callback_data.v
    if field not in EDIT_FIELDS:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    if not survey.is_open:
        await callback.answer(t("survey.edit.closed"), show_alert=True)
        return
    started, completed = await surveys.surveys.response_counts(survey.id)
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
    draft = {"disabled": sorted(survey.config.disabled)}
    await editor.set_data(
        {"library_id": survey.library_id, "edit_survey": survey.id, "edit_field": field,
         "draft": draft}
    )  # fmt: skip
    if field == "title":
        await editor.set_state(EditorStates.title)
        await message.answer(
            t("survey.edit.ask_title", title=escape(survey.title), max=MAX_TITLE_LEN)
        )
    elif field == "questions":
        await editor.set_state(EditorStates.questions)
        await message.answer(
            t("survey.edit.questions"), reply_markup=_questions_markup(draft, t, editing=True)
        )
    elif field == "places":
        await _ask_places(message, editor, t)
    elif field == "closes":
        await _ask_closing(message, editor, t)
    else:
        await _ask_cap(message, editor, t, started=started)


async def _saved_if_editing(
    chat_id: int, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, editor: FSMContext, bot: Bot, t: Translate,
) -> bool:  # fmt: skip
    """Editing a survey: save the step's setting (True). Creating one: nothing (False)."""
    if not _edited_id(await editor.get_data()):
        return False
    await _save_edit(
        chat_id, libraries=libraries, surveys=surveys, repo=repo, editor=editor, bot=bot, t=t
    )
    return True


async def _save_edit(
    chat_id: int, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, editor: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    data = await editor.get_data()
    survey_id = _edited_id(data)
    library = await _library(libraries, data)
    change = _change(str(data.get("edit_field", "")), _draft(data), library.timezone)
    result = await surveys.edit(survey_id, [x.id for x in libraries], change)
    if result is EditRefusal.CAP_TOO_LOW:
        # Readers started meanwhile (or the number was too low): ask again, still editing.
        started, _ = await surveys.surveys.response_counts(survey_id)
        await bot.send_message(chat_id, t("survey.edit.refused.cap_too_low", started=started))
        return
    await editor.clear()
    if result is None:
        await bot.send_message(chat_id, t("survey.staff.not_member"))
    elif isinstance(result, EditRefusal):
        await bot.send_message(chat_id, t(f"survey.edit.refused.{result.value}"))
    else:
        key = "survey.edit.closed_by_cap" if result.closed_by_cap else "survey.edit.saved"
        await bot.send_message(chat_id, t(key))
        await show_card(bot, chat_id, result.survey, surveys=surveys, repo=repo, t=t)


# --- links (sources) with QR codes ---------------------------------------------------------


async def add_source(
    callback: CallbackQuery, callback_data: StaffCb, *, libraries: list[Library],
    surveys: SurveyService, t: Translate,
) -> None:  # fmt: skip
    survey = await staff_survey(callback, callback_data, libraries, surveys, t)
    if survey is None:
        return
    await callback.answer()
    builder = InlineKeyboardBuilder()
    for kind in SourceKind:
        builder.button(
            text=t(f"survey.source.{kind.value}"),
            callback_data=StaffCb(a="kind", s=survey.id, v=kind.value),
        )
    builder.adjust(2)
    message = message_of(callback)
    if message is not None:
        await message.answer(t("survey.staff.ask_source_kind"), reply_markup=builder.as_markup())


async def source_kind(
    callback: CallbackQuery, callback_data: StaffCb, *, libraries: list[Library],
    surveys: SurveyService, state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    survey = await staff_survey(callback, callback_data, libraries, surveys, t)
    if survey is None:
        return
    if callback_data.v not in {kind.value for kind in SourceKind}:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    await callback.answer()
    await edit_markup(callback, None)
    editor = editor_context(state)
    await editor.set_state(EditorStates.source_label)
    await editor.set_data({"survey_id": survey.id, "kind": callback_data.v})
    message = message_of(callback)
    if message is not None:
        await message.answer(
            t("survey.staff.ask_source_label"),
            reply_markup=_button_markup(
                t("survey.staff.no_label_button"), StaffCb(a="nolabel", s=survey.id)
            ),
        )


async def typed_label(
    message: Message, *, libraries: list[Library], surveys: SurveyService,
    state: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    label = " ".join((message.text or "").split())
    if not label or len(label) > MAX_LABEL_LEN:
        await message.answer(t("survey.staff.label_invalid", max=MAX_LABEL_LEN))
        return
    await _make_source(
        message.chat.id, label, libraries=libraries, surveys=surveys, state=state, bot=bot, t=t
    )


async def no_label(
    callback: CallbackQuery, *, libraries: list[Library], surveys: SurveyService,
    state: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    if await editor_context(state).get_state() != EditorStates.source_label.state:
        await callback.answer(t("cb.stale"))
        return
    await callback.answer()
    await edit_markup(callback, None)
    await _make_source(
        callback.from_user.id, "", libraries=libraries, surveys=surveys, state=state, bot=bot, t=t
    )


async def _make_source(
    chat_id: int, label: str, *, libraries: list[Library], surveys: SurveyService,
    state: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    editor = editor_context(state)
    data = await editor.get_data()
    await editor.clear()
    survey = await surveys.staff_survey(data_int(data, "survey_id"), [x.id for x in libraries])
    if survey is None or not survey.is_open:
        await bot.send_message(chat_id, t("survey.staff.already_closed"))
        return
    source = await surveys.surveys.add_source(survey.id, str(data.get("kind", "other")), label)
    me = await bot.me()
    link = deep_link(me.username or "", source.payload)
    name = escape(source_name(source, t))
    await bot.send_message(chat_id, t("survey.staff.source_created", source=name, link=link))
    await bot.send_document(
        chat_id,
        BufferedInputFile(qr_png(link), filename=f"survey-{survey.id}-{source.id}-qr.png"),
        caption=t("survey.staff.qr_caption", title=escape(survey.title), source=name),
    )


# --- closing -------------------------------------------------------------------------------


async def close_ask(
    callback: CallbackQuery, callback_data: StaffCb, *, libraries: list[Library],
    surveys: SurveyService, t: Translate,
) -> None:  # fmt: skip
    survey = await staff_survey(callback, callback_data, libraries, surveys, t)
    if survey is None:
        return
    await callback.answer()
    message = message_of(callback)
    if message is not None:
        await message.answer(
            t("survey.staff.close_confirm", title=escape(survey.title)),
            reply_markup=_button_markup(
                t("survey.staff.close_button"), StaffCb(a="closeyes", s=survey.id)
            ),
        )


async def close_now(
    callback: CallbackQuery, callback_data: StaffCb, *, libraries: list[Library],
    surveys: SurveyService, t: Translate,
) -> None:  # fmt: skip
    survey = await staff_survey(callback, callback_data, libraries, surveys, t)
    if survey is None:
        return
    await callback.answer()
    await edit_markup(callback, None)
    closed = await surveys.close(survey)
    message = message_of(callback)
    if message is not None:
        key = "survey.staff.closed_done" if closed else "survey.staff.already_closed"
        await message.answer(t(key))


# --- the wizard's audience step: "I'll ask readers with a survey" --------------------------


async def wizard_chose_survey(
    callback: CallbackQuery, callback_data: QuestionCb, *, flow: WizardFlow, t: Translate
) -> None:
    """Offer to create a survey, then let the wizard go on as usual."""
    data = await flow.state.get_data()
    current = (
        await flow.state.get_state() == Wizard.question.state
        and data.get("question") == callback_data.q
        and data.get("strategy_id") == callback_data.s
    )
    if current:
        await flow.send(
            t("survey.wizard.offer"),
            _button_markup(t("survey.staff.create_button"), StaffCb(a="new")),
        )
    await wizard.pick(callback, callback_data, flow)


def create_router() -> Router:
    router = Router(name="survey_staff")
    staff = IsStaff()
    router.message.register(survey_menu, Command("survey"), staff)
    router.callback_query.register(
        wizard_chose_survey,
        QuestionCb.filter((F.action == "pick") & (F.q == "aud_source") & (F.v == "survey")),
        staff,
    )

    editing = InDestiny(EDITOR_DESTINY, *EditorStates.__all_states__)
    router.message.register(cancel_editor, Command("cancel"), editing)

    def typed(handler: Any, state: Any) -> None:
        where = InDestiny(EDITOR_DESTINY, state)
        router.message.register(handler, where, F.text, ~F.text.startswith("/"), staff)

    typed(typed_title, EditorStates.title)
    typed(typed_places, EditorStates.places)
    typed(typed_closing, EditorStates.closes_at)
    typed(typed_cap, EditorStates.cap)
    typed(typed_label, EditorStates.source_label)
    router.message.register(
        editor_buttons_expected,
        InDestiny(EDITOR_DESTINY, EditorStates.questions),
        F.text,
        ~F.text.startswith("/"),
    )
    router.message.register(editor_not_text, editing, ~F.text)

    router.callback_query.register(card, StaffCb.filter(F.a == "card"), staff)
    router.callback_query.register(new_survey, StaffCb.filter(F.a == "new"), staff)
    router.callback_query.register(toggle_question, StaffCb.filter(F.a == "qt"), staff)
    router.callback_query.register(questions_next, StaffCb.filter(F.a == "qnext"), staff)
    router.callback_query.register(no_places, StaffCb.filter(F.a == "noplaces"), staff)
    router.callback_query.register(no_closing, StaffCb.filter(F.a == "nodate"), staff)
    router.callback_query.register(no_cap, StaffCb.filter(F.a == "nocap"), staff)
    router.callback_query.register(edit_menu, StaffCb.filter(F.a == "edit"), staff)
    router.callback_query.register(edit_field, StaffCb.filter(F.a == "ed"), staff)
    router.callback_query.register(add_source, StaffCb.filter(F.a == "src"), staff)
    router.callback_query.register(source_kind, StaffCb.filter(F.a == "kind"), staff)
    router.callback_query.register(no_label, StaffCb.filter(F.a == "nolabel"), staff)
    router.callback_query.register(close_ask, StaffCb.filter(F.a == "close"), staff)
    router.callback_query.register(close_now, StaffCb.filter(F.a == "closeyes"), staff)
    return router
