"""Staff create surveys and their links: /survey, the wizard's offer, title to QR code.

Typed steps (title, places, date, cap, link label) keep their state under the editor
destiny, so the wizard below keeps its place; /cancel leaves the editor only.
"""

from __future__ import annotations

from datetime import date
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
from bot.db.survey_repository import Survey
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


def _config(draft: dict[str, Any], timezone: str) -> SurveyConfig:
    closes = draft.get("closes_on")
    return SurveyConfig(
        title=str(draft.get("title", "")),
        disabled=frozenset(draft.get("disabled", ())),
        places=tuple(draft.get("places", ())),
        closes_at=None
        if not closes
        else end_of_day(date.fromisoformat(closes), library_zone(timezone).key),
        response_cap=draft.get("cap"),
    )


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


async def typed_title(message: Message, *, state: FSMContext, t: Translate) -> None:
    title = " ".join((message.text or "").split())
    if not title or len(title) > MAX_TITLE_LEN:
        await message.answer(t("survey.staff.title_invalid", max=MAX_TITLE_LEN))
        return
    editor = editor_context(state)
    data = await editor.get_data()
    draft = {**_draft(data), "title": title, "disabled": []}
    await editor.update_data(draft=draft)
    await editor.set_state(EditorStates.questions)
    await message.answer(t("survey.staff.questions"), reply_markup=_questions_markup(draft, t))


def _questions_markup(draft: dict[str, Any], t: Translate) -> Any:
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
    builder.button(text=t("survey.staff.next_button"), callback_data=StaffCb(a="qnext"))
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
    draft = _draft(await editor.get_data())
    disabled = set(draft.get("disabled", ())) ^ {callback_data.v}
    if set(QUESTION_IDS) <= disabled:
        await callback.answer(t("survey.staff.need_one_question"), show_alert=True)
        return
    draft["disabled"] = sorted(disabled)
    await editor.update_data(draft=draft)
    await callback.answer()
    await edit_markup(callback, _questions_markup(draft, t))


async def questions_next(callback: CallbackQuery, *, state: FSMContext, t: Translate) -> None:
    editor = editor_context(state)
    if await editor.get_state() != EditorStates.questions.state:
        await callback.answer(t("cb.stale"))
        return
    await callback.answer()
    await edit_markup(callback, None)
    draft = _draft(await editor.get_data())
    message = message_of(callback)
    if message is None:
        return
    if PLACE in draft.get("disabled", ()):
        await _ask_closing(message, editor, t)
        return
    await editor.set_state(EditorStates.places)
    await message.answer(
        t("survey.staff.ask_places", max=MAX_PLACES),
        reply_markup=_button_markup(t("survey.staff.no_places_button"), StaffCb(a="noplaces")),
    )


async def typed_places(message: Message, *, state: FSMContext, t: Translate) -> None:
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


async def no_places(callback: CallbackQuery, *, state: FSMContext, t: Translate) -> None:
    editor = await _skipped(callback, state, EditorStates.places, t)
    message = message_of(callback)
    if editor is not None and message is not None:
        await _ask_closing(message, editor, t)


async def _ask_closing(message: Message, editor: FSMContext, t: Translate) -> None:
    await editor.set_state(EditorStates.closes_at)
    await message.answer(
        t("survey.staff.ask_closes_at"),
        reply_markup=_button_markup(t("survey.staff.no_deadline_button"), StaffCb(a="nodate")),
    )


async def typed_closing(
    message: Message, *, libraries: list[Library], state: FSMContext, t: Translate
) -> None:
    editor = editor_context(state)
    data = await editor.get_data()
    library = await _library(libraries, data)
    day = parse_closing_day(message.text or "", library.timezone)
    if day is None:
        await message.answer(t("survey.staff.closes_at_invalid"))
        return
    await editor.update_data(draft={**_draft(data), "closes_on": day.isoformat()})
    await _ask_cap(message, editor, t)


async def no_closing(callback: CallbackQuery, *, state: FSMContext, t: Translate) -> None:
    editor = await _skipped(callback, state, EditorStates.closes_at, t)
    message = message_of(callback)
    if editor is not None and message is not None:
        await _ask_cap(message, editor, t)


async def _ask_cap(message: Message, editor: FSMContext, t: Translate) -> None:
    await editor.set_state(EditorStates.cap)
    await message.answer(
        t("survey.staff.ask_cap"),
        reply_markup=_button_markup(t("survey.staff.no_cap_button"), StaffCb(a="nocap")),
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
    await _create(
        message.chat.id,
        libraries=libraries,
        surveys=surveys,
        repo=repo,
        editor=editor,
        bot=bot,
        t=t,
    )


async def no_cap(
    callback: CallbackQuery, *, libraries: list[Library], surveys: SurveyService,
    repo: Repositories, state: FSMContext, bot: Bot, t: Translate,
) -> None:  # fmt: skip
    editor = await _skipped(callback, state, EditorStates.cap, t)
    if editor is None:
        return
    await _create(
        callback.from_user.id, libraries=libraries, surveys=surveys, repo=repo, editor=editor,
        bot=bot, t=t,
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
    router.callback_query.register(add_source, StaffCb.filter(F.a == "src"), staff)
    router.callback_query.register(source_kind, StaffCb.filter(F.a == "kind"), staff)
    router.callback_query.register(no_label, StaffCb.filter(F.a == "nolabel"), staff)
    router.callback_query.register(close_ask, StaffCb.filter(F.a == "close"), staff)
    router.callback_query.register(close_now, StaffCb.filter(F.a == "closeyes"), staff)
    return router
