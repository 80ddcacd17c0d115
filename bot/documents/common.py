"""Plain-text helpers shared by the documents."""

from __future__ import annotations

from bot.advice.models import Msg
from bot.advice.rules.common import KNOWN_ZONES
from bot.advice.text import render, to_plain
from bot.domain import summary
from bot.domain.questions import Answers, Question
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
    return to_plain(summary.question_text(question, t))


def answer_text(question: Question, answers: Answers, t: Translate) -> str:
    """The stored answer in words (as the chat shows it), or "" when there is none."""
    if answers.get(question.id) in (None, "", []):
        return ""
    return to_plain(summary.format_answer(question, answers, t))
