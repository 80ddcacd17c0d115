"""Plain-text helpers shared by the documents."""

from __future__ import annotations

from typing import Any

from bot.advice.models import Msg
from bot.advice.rules.common import KNOWN_ZONES
from bot.advice.text import render, to_plain
from bot.domain.questions import OTHER, Answers, Kind, Question
from bot.i18n import Translate


def plain(message: Msg, t: Translate) -> str:
    return to_plain(render(message, t))


def network_name(network: str, t: Translate) -> str:
    return to_plain(t(f"opt.net.{network}"))


def zone_name(zone: str, t: Translate) -> str:
    return to_plain(t(f"opt.tz.{zone}")) if zone in KNOWN_ZONES else zone


def rubric_name(rubric: str, t: Translate) -> str:
    return to_plain(t(f"opt.rubric.{rubric}"))


def question_text(question: Question, t: Translate) -> str:
    params = {
        name: (t(value) if name.endswith("_key") else value)
        for name, value in question.params.items()
    }
    return to_plain(t(question.text_key, **params))


def answer_text(question: Question, answers: Answers, t: Translate) -> str:
    """The stored answer in words: option labels, typed text or a number."""
    value: Any = answers.get(question.id)
    if value is None or value in ("", []):
        return ""
    if question.kind is Kind.NUMBER or question.kind is Kind.TEXT:
        return str(value)
    values = value if isinstance(value, list) else [value]
    labels = []
    for item in values:
        if item == OTHER and answers.get(f"{question.id}.other"):
            labels.append(str(answers[f"{question.id}.other"]))
        else:
            labels.append(to_plain(t(question.option_key(str(item)))))
    return ", ".join(labels)
