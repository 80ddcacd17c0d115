"""What the wizard shows: question prompts, step summaries and the review, with buttons."""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup

from bot.domain.questions import Answers, Kind, Question, Questionnaire, Step
from bot.domain.summary import format_answer, question_text, step_lines, step_progress
from bot.domain.translate import Translate
from handlers.keyboards import Keyboard
from handlers.message_edits import Screen
from handlers.strategy.callbacks import QuestionAction, QuestionCb, StepAction, StepCb

# Long option labels read better one per row; short ones two per row.
_SHORT_LABEL = 18


def question_screen(
    questionnaire: Questionnaire,
    question: Question,
    answers: Answers,
    strategy_id: int,
    t: Translate,
    *,
    can_go_back: bool = True,
) -> Screen:
    step = questionnaire.step_of(question.id)
    lines = [f"<b>{step_progress(step, questionnaire, t)}</b>", "", question_text(question, t)]
    if question.kind is Kind.MULTI:
        lines += ["", f"<i>{t('hint.multi')}</i>"]
    elif question.kind in (Kind.TEXT, Kind.NUMBER):
        hint = "hint.number" if question.kind is Kind.NUMBER else "hint.text"
        lines += ["", f"<i>{t(hint)}</i>"]
        if answers.get(question.id) is not None:
            lines.append(t("hint.current", value=format_answer(question, answers, t)))
    keyboard = _question_keyboard(question, answers, strategy_id, t, can_go_back=can_go_back)
    return Screen("\n".join(lines), keyboard)


def _question_keyboard(
    question: Question,
    answers: Answers,
    strategy_id: int,
    t: Translate,
    *,
    can_go_back: bool,
) -> InlineKeyboardMarkup:
    builder = Keyboard()
    given: Any = answers.get(question.id)
    options = question.visible_options(answers)
    if question.kind in (Kind.SINGLE, Kind.MULTI):
        selected = set(question.selection(answers))
        action = "toggle" if question.kind is Kind.MULTI else "pick"
        for option in options:
            label = t(question.option_key(option.value))
            mark = "✅ " if option.value in selected else ""
            builder.button(
                text=f"{mark}{label}",
                callback_data=QuestionCb(
                    action=action,
                    strategy_id=strategy_id,
                    question=question.id,
                    value=option.value,
                ),
            )
        short = all(len(t(question.option_key(o.value))) <= _SHORT_LABEL for o in options)
        builder.adjust(2 if short else 1)
    nav = Keyboard()
    if can_go_back:
        nav.button(
            text=t("btn.back"),
            callback_data=QuestionCb(
                action=QuestionAction.BACK, strategy_id=strategy_id, question=question.id
            ),
        )
    if question.kind is Kind.MULTI:
        nav.button(
            text=t("btn.done"),
            callback_data=QuestionCb(
                action=QuestionAction.DONE, strategy_id=strategy_id, question=question.id
            ),
        )
    elif question.kind in (Kind.TEXT, Kind.NUMBER) and given is not None:
        nav.button(
            text=t("btn.keep"),
            callback_data=QuestionCb(
                action=QuestionAction.KEEP, strategy_id=strategy_id, question=question.id
            ),
        )
    if not question.required:
        nav.button(
            text=t("btn.skip"),
            callback_data=QuestionCb(
                action=QuestionAction.SKIP, strategy_id=strategy_id, question=question.id
            ),
        )
    builder.attach(nav)
    return builder.as_markup()


def answered_text(question: Question, answers: Answers, t: Translate) -> str:
    """The question message after a button answer: the question and what was chosen."""
    if answers.get(question.id) is None:
        # A skipped question says so instead of a tick next to a dash.
        return t("answer.skipped_echo", question=question_text(question, t))
    return t(
        "answer.chosen",
        question=question_text(question, t),
        answer=format_answer(question, answers, t),
    )


def step_done_screen(
    questionnaire: Questionnaire, step: Step, answers: Answers, strategy_id: int, t: Translate
) -> Screen:
    text = t(
        "msg.step_done",
        progress=step_progress(step, questionnaire, t),
        answers=step_lines(step, answers, t),
    )
    builder = Keyboard()
    builder.button(
        text=t("btn.next_step"),
        callback_data=StepCb(action=StepAction.NEXT, strategy_id=strategy_id),
    )
    builder.button(
        text=t("btn.edit_step"),
        callback_data=StepCb(action=StepAction.EDIT, strategy_id=strategy_id, step=step.id),
    )
    builder.adjust(1)
    return Screen(text, builder.as_markup())


def review_texts(questionnaire: Questionnaire, answers: Answers, t: Translate) -> list[str]:
    """The whole wizard's answers, a paragraph per step (the caller splits under 4,096)."""
    parts = [t("msg.review")]
    for step in questionnaire.steps:
        title = step_progress(step, questionnaire, t)
        parts.append(t("msg.review_step", title=title, answers=step_lines(step, answers, t)))
    return parts


def review_keyboard(
    questionnaire: Questionnaire, strategy_id: int, t: Translate
) -> InlineKeyboardMarkup:
    builder = Keyboard()
    for step in questionnaire.steps:
        title = t(step.title_key)
        text = (
            t("btn.edit_numbered", number=step.number, title=title)
            if step.number
            else t("btn.edit_profile", title=title)
        )
        builder.button(
            text=text,
            callback_data=StepCb(action=StepAction.EDIT, strategy_id=strategy_id, step=step.id),
        )
    builder.button(
        text=t("btn.finish"),
        callback_data=StepCb(action=StepAction.FINISH, strategy_id=strategy_id),
    )
    builder.adjust(2, 2, 2, 2, 1)
    return builder.as_markup()
