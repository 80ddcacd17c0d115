"""Answers rendered as readable Telegram HTML lines. Pure: takes a translator."""

from __future__ import annotations

from html import escape
from typing import Any

from bot.domain.questions import OTHER, Answers, Kind, Question, Questionnaire, Step
from bot.domain.translate import Translate


def other_key(question_id: str) -> str:
    """Where the free text of an "Other…" choice is stored."""
    return f"{question_id}.{OTHER}"


def question_text(question: Question, t: Translate, *, short: bool = False) -> str:
    params = {
        name.removesuffix("_key"): t(value) if name.endswith("_key") else value
        for name, value in question.params.items()
    }
    key = f"{question.text_key}.short" if short else question.text_key
    return t(key, **params)


def format_answer(question: Question, answers: Answers, t: Translate) -> str:
    """The answer as the user would read it; user-typed text is HTML-escaped."""
    value: Any = answers.get(question.id)
    if value is None:
        return t("answer.skipped")
    if question.kind is Kind.NUMBER:
        return f"{int(value):,}".replace(",", "\u00a0")
    if question.kind is Kind.TEXT:
        return escape(str(value))
    chosen = value if isinstance(value, list) else [value]
    # In the wizard's order ("18–24, 25–34"), not in the order the buttons were pressed.
    order = [option.value for option in question.options]
    chosen = sorted(chosen, key=lambda v: order.index(v) if v in order else len(order))
    labels = []
    for option_value in chosen:
        label = t(question.option_key(option_value))
        if option_value == OTHER and answers.get(other_key(question.id)):
            label = t(
                "answer.other_value",
                label=label.rstrip("…."),
                text=escape(str(answers[other_key(question.id)])),
            )
        labels.append(label)
    return ", ".join(labels) if labels else t("answer.skipped")


def step_lines(step: Step, answers: Answers, t: Translate) -> str:
    lines = [
        f"• {question_text(q, t, short=True)}: {format_answer(q, answers, t)}"
        for q in step.questions
        if q.visible(answers) and q.id in answers
    ]
    return "\n".join(lines) if lines else t("answer.skipped")


def step_progress(step: Step, questionnaire: Questionnaire, t: Translate) -> str:
    if step.number == 0:
        return t("progress.profile", title=t(step.title_key))
    total = sum(1 for s in questionnaire.steps if s.number > 0)
    return t("progress.step", number=step.number, total=total, title=t(step.title_key))
