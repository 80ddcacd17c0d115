from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.domain.questions import OTHER
from bot.i18n import LOCALES_DIR
from bot.survey import charts, export
from bot.survey.links import SourceKind
from bot.survey.models import LinkProblem
from bot.survey.questions import DEFAULT_QUESTIONNAIRE, SurveyConfig, build_questionnaire

SOURCES = [Path(charts.__file__), Path(export.__file__)]


def catalog(locale: str) -> Catalog:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=locale)


def keys_the_survey_needs() -> set[str]:
    with_places = build_questionnaire(SurveyConfig(title="x", places=("A",)))
    keys = {"survey.step.reader", "survey.status.open", "survey.status.closed"}
    for questionnaire in (DEFAULT_QUESTIONNAIRE, with_places):
        for question in questionnaire.questions:
            keys.add(question.text_key)
            keys.add(f"{question.text_key}.short")
            if question.option_set.startswith("survey_"):
                for option in question.options:
                    if question.option_set != "survey_place" or option.value == OTHER:
                        keys.add(question.option_key(option.value))
    keys |= {f"survey.source.{kind}" for kind in SourceKind}
    keys |= {f"survey.link.{problem}" for problem in LinkProblem}
    for path in SOURCES:
        keys |= set(re.findall(r"\"(survey\.[a-z_.]+)\"", path.read_text(encoding="utf-8")))
    return {key for key in keys if not key.endswith(".")}


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_every_survey_key_has_a_text(locale: str) -> None:
    messages = catalog(locale)
    missing = [
        key
        for key in sorted(keys_the_survey_needs())
        if (message := messages.get(key)) is None or not message.string
    ]
    assert missing == []


def test_survey_keys_are_the_same_in_both_languages_and_keep_placeholders() -> None:
    ru, en = catalog("ru"), catalog("en")
    ru_keys = {m.id if isinstance(m.id, str) else m.id[0] for m in ru if m.id}
    en_keys = {m.id if isinstance(m.id, str) else m.id[0] for m in en if m.id}
    survey = {k for k in ru_keys | en_keys if k.startswith(("survey.", "opt.survey_"))}
    assert survey <= ru_keys & en_keys
    for key in survey:
        ru_text, en_text = ru[key].string, en[key].string
        forms = [*(ru_text if isinstance(ru_text, tuple) else (ru_text,)),
                 *(en_text if isinstance(en_text, tuple) else (en_text,))]  # fmt: skip
        assert all(forms), key
        placeholders = {frozenset(re.findall(r"\{(\w+)\}", form)) for form in forms}
        assert len(placeholders) == 1, key
        # "<5" and the like must never reach Telegram's HTML parser raw
        assert not any(re.search(r"<(?!/?(b|i|a)[ >])", form) for form in forms), key
