"""Plain-text helpers and choices shared by the documents."""

from __future__ import annotations

from bot.advice.knowledge.calendar_dates import DateKind, DateOccurrence
from bot.advice.models import Msg, Severity, StrategyAdvice
from bot.advice.rules.common import KNOWN_ZONES
from bot.advice.text import render, to_plain
from bot.domain import summary
from bot.domain.questions import Answers, Question
from bot.domain.translate import Translate


def plain(message: Msg, t: Translate) -> str:
    return to_plain(render(message, t))


def network_name(network: str, t: Translate) -> str:
    return to_plain(t(f"opt.net.{network}"))


def zone_name(zone: str, t: Translate) -> str:
    return to_plain(t(f"opt.tz.{zone}")) if zone in KNOWN_ZONES else zone


OWN_RUBRIC = "own:"
"""Prefix of a rubric the librarian typed herself (the advice keeps her words)."""


def rubric_name(rubric: str, t: Translate) -> str:
    if rubric.startswith(OWN_RUBRIC):
        return rubric[len(OWN_RUBRIC) :]
    return to_plain(t(f"opt.rubric.{rubric}"))


def question_label(question: Question, t: Translate) -> str:
    """The question's short label ("Регион"), not the prompt the chat asks it with."""
    return to_plain(summary.question_text(question, t, short=True))


def answer_text(question: Question, answers: Answers, t: Translate) -> str:
    """The stored answer in words (as the chat shows it), or "" when there is none."""
    if answers.get(question.id) in (None, "", []):
        return ""
    return to_plain(summary.format_answer(question, answers, t))


HORIZON_WEEKS = {"3m": 13, "6m": 26, "12m": 52}
DEFAULT_WEEKS = 13
CALENDAR_WEEKS = (4, 13, 26, 52)
"""The lengths of calendar a librarian can pick in /export."""


def horizon_weeks(answers: Answers) -> int:
    """Weeks of the strategy's horizon (goals step), a quarter when it is not known."""
    return HORIZON_WEEKS.get(str(answers.get("goal_horizon")), DEFAULT_WEEKS)


ACTION_STEPS = ("networks", "page", "content", "communication", "resources", "goals")
"""Steps whose first advice is something to do (the audience step describes readers)."""


def first_actions(advice: StrategyAdvice, t: Translate, count: int = 3) -> list[str]:
    """What to do first: the head of the "first two weeks" checklist; without one, legal
    musts, then conflicts to resolve, then the lead item of the steps that ask for action."""
    if advice.first_steps:
        return [plain(step.action, t) for step in advice.first_steps[:count]]
    items = [item for step in advice.steps for item in step.items]
    ordered = [
        *(item for item in items if item.severity is Severity.MUST),
        *(item for item in items if item.severity is Severity.CONFLICT),
        *(
            step.items[0]
            for step_id in ACTION_STEPS
            for step in advice.steps
            if step.step_id == step_id and step.items
        ),
    ]
    # Items hold dicts (message params), so they are told apart by identity.
    unique = list({id(item): item for item in ordered}.values())
    return [plain(item.text, t) for item in unique[:count]]


def library_date_title(occurrence: DateOccurrence, t: Translate) -> str:
    entry = occurrence.entry
    if entry.kind is DateKind.BIRTHDAY:
        return t.plural(entry.title_key, occurrence.years)
    return t(entry.title_key)
