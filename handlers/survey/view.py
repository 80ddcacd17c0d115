"""What readers and staff see of a survey: question screens, the review, survey cards."""

from __future__ import annotations

from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.domain.questions import OTHER, Kind, Question, Questionnaire
from bot.domain.summary import other_key, question_text
from bot.i18n import Translate
from bot.services.surveys import SurveyService
from bot.survey.models import Survey
from bot.survey.questions import option_label
from handlers.keyboards import Keyboard
from handlers.message_edits import Screen
from handlers.survey.callbacks import PosterCb, ReaderAction, ReaderCb, StaffAction, StaffCb

_SHORT_LABEL = 18


def answer_label(question: Question, answers: dict[str, Any], t: Translate) -> str:
    """The reader's answer in words (escaped), with their own "other" text."""
    value = answers.get(question.id)
    chosen = value if isinstance(value, list) else [] if value is None else [value]
    labels = []
    for item in chosen:
        label = escape(option_label(question, str(item), t))
        if item == OTHER and answers.get(other_key(question.id)):
            label = f"{label}: {escape(str(answers[other_key(question.id)]))}"
        labels.append(label)
    return ", ".join(labels) if labels else t("answer.skipped")


def question_screen(
    survey_id: int,
    questionnaire: Questionnaire,
    question: Question,
    answers: dict[str, Any],
    t: Translate,
) -> Screen:
    questions = questionnaire.questions
    index = [q.id for q in questions].index(question.id)
    hint = (
        "survey.reader.choose_many" if question.kind is Kind.MULTI else "survey.reader.choose_one"
    )
    text = "\n\n".join(
        [
            f"<b>{t('survey.reader.progress', current=index + 1, total=len(questions))}</b>",
            question_text(question, t),
            f"<i>{t(hint)}</i>",
        ]
    )
    selected = set(question.selection(answers))
    action = ReaderAction.TOGGLE if question.kind is Kind.MULTI else ReaderAction.PICK
    builder = Keyboard()
    labels = [option_label(question, option.value, t) for option in question.options]
    for number, (option, label) in enumerate(zip(question.options, labels, strict=True)):
        mark = "✅ " if option.value in selected else ""
        builder.button(
            text=f"{mark}{label}",
            callback_data=ReaderCb(
                action=action, survey_id=survey_id, question=question.id, option=number
            ),
        )
    builder.adjust(2 if all(len(label) <= _SHORT_LABEL for label in labels) else 1)
    nav = Keyboard()
    if index > 0:
        nav.button(
            text=t("survey.reader.back_button"),
            callback_data=ReaderCb(
                action=ReaderAction.BACK, survey_id=survey_id, question=question.id
            ),
        )
    if question.kind is Kind.MULTI:
        nav.button(
            text=t("survey.reader.done_button"),
            callback_data=ReaderCb(
                action=ReaderAction.DONE, survey_id=survey_id, question=question.id
            ),
        )
    if not question.required:
        nav.button(
            text=t("survey.reader.skip_button"),
            callback_data=ReaderCb(
                action=ReaderAction.SKIP, survey_id=survey_id, question=question.id
            ),
        )
    builder.attach(nav)
    return Screen(text, builder.as_markup())


def answered_text(question: Question, answers: dict[str, Any], t: Translate) -> str:
    return t(
        "survey.reader.answered",
        question=question_text(question, t),
        answer=answer_label(question, answers, t),
    )


def review_screen(
    survey_id: int, questionnaire: Questionnaire, answers: dict[str, Any], t: Translate
) -> Screen:
    lines = [t("survey.reader.review"), ""]
    for question in questionnaire.questions:
        short = t(f"{question.text_key}.short")
        lines.append(f"• {short}: {answer_label(question, answers, t)}")
    builder = Keyboard()
    builder.button(
        text=t("survey.reader.send_button"),
        callback_data=ReaderCb(action=ReaderAction.SEND, survey_id=survey_id),
    )
    builder.button(
        text=t("survey.reader.change_answers_button"),
        callback_data=ReaderCb(action=ReaderAction.CHANGE_ANSWERS, survey_id=survey_id),
    )
    builder.adjust(1)
    return Screen("\n".join(lines), builder.as_markup())


def poster_keyboard(survey_id: int, buttons: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    """A poster button per link: (source id, button text)."""
    builder = Keyboard()
    for source_id, text in buttons:
        builder.button(text=text, callback_data=PosterCb(survey_id=survey_id, source_id=source_id))
    builder.adjust(1)
    return builder.as_markup()


def closing_date(survey: Survey, timezone: str) -> str | None:
    """The last day answers are taken, in the library's zone (as staff typed it)."""
    moment = survey.config.closes_at
    if moment is None:
        return None
    try:
        zone = ZoneInfo(timezone)
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%d.%m.%Y")


def survey_card(
    survey: Survey, started: int, completed: int, timezone: str, t: Translate
) -> Screen:
    closes = closing_date(survey, timezone) or t("survey.staff.no_deadline")
    cap = str(survey.response_cap) if survey.response_cap else t("survey.staff.no_cap")
    text = t(
        "survey.staff.card",
        title=escape(survey.title),
        status=t(f"survey.status.{survey.status}"),
        started=started,
        completed=completed,
        closes=closes,
        cap=cap,
    )
    return Screen(text, survey_keyboard(survey, t))


def survey_keyboard(survey: Survey, t: Translate) -> InlineKeyboardMarkup:
    """The card's buttons, in order; some only while the survey is open, or for a wave."""
    is_open, wave = survey.is_open, survey.config.previous_wave is not None
    buttons = [
        ("survey.staff.add_source_button", StaffAction.ADD_SOURCE, is_open),
        ("survey.edit.button", StaffAction.EDIT_MENU, is_open),
        ("survey.staff.results_button", StaffAction.RESULTS, True),
        ("survey.staff.charts_button", StaffAction.CHARTS, True),
        ("survey.staff.export_csv_button", StaffAction.CSV, True),
        ("survey.staff.export_xlsx_button", StaffAction.XLSX, True),
        ("survey.staff.sources_button", StaffAction.SOURCES, True),
        ("survey.staff.apply_button", StaffAction.APPLY, True),
        ("survey.pulse.button", StaffAction.PULSE, True),
        ("survey.wave.compare_button", StaffAction.COMPARE_WAVES, wave),
        ("survey.wave.again_button", StaffAction.RUN_AGAIN, True),
        ("survey.staff.close_button", StaffAction.CLOSE, is_open),
    ]
    builder = Keyboard()
    for key, action, shown in buttons:
        if shown:
            builder.button(text=t(key), callback_data=StaffCb(action=action, survey_id=survey.id))
    builder.adjust(1)
    return builder.as_markup()


async def surveys_list_keyboard(
    found: list[Survey], surveys: SurveyService, action: StaffAction, t: Translate
) -> Keyboard:
    """One button per survey (title, status, completed answers) pressing ``action``."""
    builder = Keyboard()
    for survey in found[:20]:
        _, completed = await surveys.response_counts(survey.id)
        builder.button(
            text=t(
                "survey.staff.list_item",
                title=survey.title,
                status=t(f"survey.status.{survey.status}"),
                completed=completed,
            ),
            callback_data=StaffCb(action=action, survey_id=survey.id),
        )
    builder.adjust(1)
    return builder
