"""Names typed into the bot must show at least one letter or digit."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.method import STRATEGY_METHOD
from bot.domain.validation import Invalid, has_letters, parse_name, parse_text, visible_text

# Characters that print nothing (or print a blank that looks like nothing).
_INVISIBLE = st.one_of(
    st.characters(whitelist_categories=("Cc", "Cf", "Zs", "Zl", "Zp")),
    st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3164", "\u115f"]),
)


@given(st.text(_INVISIBLE, min_size=1, max_size=30))
def test_a_name_of_invisible_characters_is_refused(raw: str) -> None:
    assert parse_name(raw, 200) == Invalid("invalid.no_letters", {})


@given(
    st.text(_INVISIBLE, max_size=5),
    st.text(min_size=1, max_size=20),
    st.text(_INVISIBLE, max_size=5),
)
def test_a_name_keeps_only_what_is_seen(before: str, middle: str, after: str) -> None:
    parsed = parse_name(before + middle + after, 500)
    if isinstance(parsed, Invalid):
        assert parsed.key == "invalid.no_letters"
        assert not has_letters(visible_text(middle))
        return
    assert has_letters(parsed)
    assert parsed == parsed.strip() and "  " not in parsed
    # Nothing invisible is stored, joiners aside (emoji and some scripts need them).
    for char in parsed:
        assert char in "\u200c\u200d" or unicodedata.category(char) not in {"Cc", "Cf", "Co"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Сельская\u200b библиотека  ", "Сельская библиотека"),
        ("№ 5", "№ 5"),
        ("\u200b\u200b", Invalid("invalid.no_letters", {})),
        ("x", Invalid("invalid.too_short", {"min": 2})),
    ],
)
def test_library_name_question_uses_the_rule(raw: str, expected: object) -> None:
    question = STRATEGY_METHOD.question("lib_name")
    assert question is not None
    assert parse_text(question, raw) == expected


def test_every_name_the_wizard_asks_for_is_checked_as_a_name() -> None:
    names = {q.id for q in STRATEGY_METHOD.questions if q.validator == "name"}
    assert names == {"lib_name", "lib_settlement", "lib_region"}
