"""No catalog key is left that no code can ask for.

A key is used when the code names it as a string literal, when the questionnaires build
it (question texts, their short labels, options), or when an f-string with a literal
prefix ("advice.idea.{rubric}.1.title") can produce it. Two families are built from
their tables' ids by one broad f-string each, so they are checked against the tables:
``source.<id>`` against every Source, ``libdate.<id>`` against the library dates.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.advice.knowledge import calendar_dates
from bot.advice.knowledge import sources as src
from bot.advice.knowledge.regions import REGIONAL_RULES
from bot.advice.models import Source
from bot.domain.questions import Questionnaire
from bot.survey.questions import DEFAULT_QUESTIONNAIRE, SurveyConfig, build_questionnaire
from tests.test_i18n import catalog, keys_of_schema

ROOT = Path(__file__).resolve().parent.parent
TABLE_FAMILIES = ("source.", "libdate.")
# An f-string counts when it starts with a literal key prefix, "word." at least.
PREFIXED = re.compile(r"^[a-z][a-z0-9_]*\\\.")


def code_strings() -> tuple[set[str], list[re.Pattern[str]]]:
    literals: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr):
                pattern = "".join(
                    re.escape(str(part.value)) if isinstance(part, ast.Constant) else ".+"
                    for part in node.values
                )
                if PREFIXED.match(pattern) and not pattern.startswith(TABLE_FAMILIES):
                    patterns.append(re.compile(pattern))
    return literals, patterns


def survey_keys(questionnaire: Questionnaire) -> set[str]:
    keys: set[str] = {step.title_key for step in questionnaire.steps}
    for step in questionnaire.steps:
        for question in step.questions:
            keys |= {question.text_key, f"{question.text_key}.short"}
            keys |= {question.option_key(option.value) for option in question.options}
    return keys


def table_keys() -> set[str]:
    sources = {
        value.title_key
        for module in (src, calendar_dates)
        for value in vars(module).values()
        if isinstance(value, Source)
    }
    sources |= {s.title_key for rule in REGIONAL_RULES for s in rule.sources}
    dates = {entry.title_key for entry in calendar_dates.LIBRARY_DATES}
    return sources | dates | {entry.source.title_key for entry in calendar_dates.LIBRARY_DATES}


def unused_keys(keys: set[str]) -> list[str]:
    literals, patterns = code_strings()
    # The place question reads differently with staff's own places than without.
    with_places = build_questionnaire(SurveyConfig(title="-", places=("-",)))
    surveys = survey_keys(DEFAULT_QUESTIONNAIRE) | survey_keys(with_places)
    used = literals | keys_of_schema() | surveys | table_keys()
    return sorted(
        key
        for key in keys - used
        if key.startswith(TABLE_FAMILIES) or not any(p.fullmatch(key) for p in patterns)
    )


def test_every_catalog_key_is_used_by_some_code() -> None:
    assert unused_keys(set(catalog("ru"))) == []


def test_an_unused_key_would_be_found() -> None:
    assert unused_keys({"advice.conflicts.nobody_asks", "source.no_such_source"}) == [
        "advice.conflicts.nobody_asks",
        "source.no_such_source",
    ]
    assert unused_keys({"advice.idea.events.1.title", "source.law_270fz"}) == []
