"""Post ideas read naturally in both languages, whatever facts the library typed.

A name, a place, an interest or an event is inserted as typed (nominative, no article), so
the texts put each such fact only where a nominative fits without a case ending or an
article: at the start, after a colon or a dash, or in parentheses. Russian would otherwise
need «в Центральная библиотека», «жители Берёзовка»; English «A “Event announcements” post».
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.advice import render
from bot.advice.ideas import IDEAS_PER_RUBRIC, post_ideas
from bot.advice.knowledge.rubrics import CATEGORY
from bot.advice.models import OWN_RUBRIC
from bot.advice.profile import read_profile
from bot.i18n import Translator, create_i18n
from tests.advice.test_advice_locales import CATALOGS

I18N = create_i18n()
FACTS = ("name", "settlement", "interest", "event", "topic")
# Where a nominative stands on its own: the start, after ": " or "— ", inside "(".
NOMINATIVE_SLOT = re.compile(r"(?:^|: |— |\()$")

TYPED: dict[str, Any] = {
    "lib_name": "Zlibname",
    "lib_settlement": "Zplace",
    "aud_interests": ["local_history", "other"],
    "aud_interests.other": "Zinterest",
    "goal_families": ["d"],
    "goal_d_events": ["book_club", "other"],
    "goal_d_events.other": "Zevent",
}
RUBRICS = [*CATEGORY, f"{OWN_RUBRIC}Ztopic"]


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_facts_stand_only_where_a_nominative_fits(locale: str) -> None:
    checked = 0
    for key, text in CATALOGS[locale].items():
        if not key.startswith("advice.idea."):
            continue
        for fact in FACTS:
            for found in re.finditer(re.escape("{" + fact + "}"), text):
                checked += 1
                before = text[: found.start()]
                assert NOMINATIVE_SLOT.search(before), (locale, key, text)
    assert checked > 20


def test_no_english_article_before_a_quoted_label() -> None:
    for key, text in CATALOGS["en"].items():
        texts = text if isinstance(text, tuple) else (text,)
        for one in texts:
            assert not re.search(r"\b(?:A|a|An|an) “\{", one), (key, one)


@pytest.mark.parametrize("locale", ["ru", "en"])
@pytest.mark.parametrize("answers", [TYPED, {}], ids=["typed", "untyped"])
def test_every_rubric_has_ideas_that_read_whole(locale: str, answers: dict[str, Any]) -> None:
    t = Translator(I18N, locale)
    profile = read_profile(answers)
    typed = [v for k, v in answers.items() if isinstance(v, str) and v.startswith("Z")]
    defaults = [
        t(f"advice.idea.{key}")
        for key in ("our_library", "our_place", "any_interest", "any_event")
    ]
    for rubric in RUBRICS:
        ideas = post_ideas(profile, rubric)
        assert len(ideas) == IDEAS_PER_RUBRIC, rubric
        for idea in ideas:
            for part in (idea.headline, *idea.body):
                text = render(part, t)
                assert text and "{" not in text and "}" not in text, (rubric, text)
                # A fact, typed or a default, is never glued into a case frame.
                for value in [*typed, "Ztopic", *defaults]:
                    start = text.find(value)
                    if start >= 0:
                        assert NOMINATIVE_SLOT.search(text[:start]), (locale, rubric, text)
                # A headline starts with a capital letter, whatever was inserted first.
                if part is idea.headline:
                    assert text[0].isupper() or text[0].isdigit(), (locale, rubric, text)
