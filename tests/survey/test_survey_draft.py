"""The editor's draft: typed settings parsed, then a new config or one edited setting."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.validation import Invalid, has_letters, visible_text
from bot.survey.draft import (
    MAX_CAP,
    new_config,
    parse_cap,
    setting_change,
    split_places,
    typed_line,
    typed_setting,
)
from bot.survey.questions import MAX_PLACES, MAX_TITLE_LEN, PLACE, SurveyConfig


def test_typed_line_squashes_spaces_and_checks_length() -> None:
    assert typed_line("  Poster \n at  the door ", 20) == "Poster at the door"
    assert typed_line("   ", 20) == Invalid("invalid.no_letters", {})
    assert typed_line("\u200b\u2060\ufeff", 20) == Invalid("invalid.no_letters", {})
    assert typed_line("x" * 21, 20) == Invalid("invalid.too_long", {"max": 20, "given": 21})


_PLACES_INVALID = Invalid("survey.staff.places_invalid", {"max": MAX_PLACES, "max_len": 60})


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("title", "  Readers   2025 ", {"title": "Readers 2025"}),
        (
            "title",
            "x" * (MAX_TITLE_LEN + 1),
            Invalid("invalid.too_long", {"max": MAX_TITLE_LEN, "given": MAX_TITLE_LEN + 1}),
        ),
        ("title", "\u200b \u200c", Invalid("invalid.no_letters", {})),
        ("places", "Ivanovka\n\nivanovka\n Petrovo ", {"places": ["Ivanovka", "Petrovo"]}),
        (
            "places",
            "Никольское, Вохма, Воробьёвица",
            {"places": ["Никольское", "Вохма", "Воробьёвица"]},
        ),
        ("places", "A; B,\r\n,;C ;; a", {"places": ["A", "B", "C"]}),
        ("places", "Ivanovka\nother", _PLACES_INVALID),
        ("places", " , ;\n\u200b", _PLACES_INVALID),
        ("places", "\n".join(f"p{n}" for n in range(MAX_PLACES + 1)), _PLACES_INVALID),
        ("closes", "01.01.2000", Invalid("survey.staff.closes_at_invalid", {})),
        ("cap", " 40 ", {"cap": 40}),
        ("cap", "0", Invalid("survey.staff.cap_invalid", {"max": MAX_CAP})),
        ("cap", str(MAX_CAP + 1), Invalid("survey.staff.cap_invalid", {"max": MAX_CAP})),
        ("cap", "forty", Invalid("survey.staff.cap_invalid", {"max": MAX_CAP})),
    ],
)
def test_typed_settings(field: str, text: str, expected: object) -> None:
    assert typed_setting(field, text, "Europe/Moscow") == expected


def test_a_future_closing_day_is_kept_as_iso_text() -> None:
    typed = typed_setting("closes", "1.5.2099", "Europe/Moscow")
    assert typed == {"closes_on": "2099-05-01"}


def test_a_finished_draft_becomes_the_new_config() -> None:
    draft = {"title": "T", "disabled": [PLACE], "places": ["A"], "closes_on": "2030-05-01"}
    config = new_config({**draft, "cap": 7}, "Europe/Moscow")
    assert (config.title, config.disabled, config.places, config.response_cap) == (
        "T",
        frozenset({PLACE}),
        ("A",),
        7,
    )
    assert config.closes_at is not None
    assert config.closes_at.date() == date(2030, 5, 1)


def test_an_edit_changes_only_its_setting() -> None:
    stored = SurveyConfig(title="Old", places=("A",), response_cap=5)
    draft = {"title": "New", "disabled": [], "cap": 9}
    assert setting_change("title", draft, "UTC")(stored) == SurveyConfig(
        title="New", places=("A",), response_cap=5
    )
    assert setting_change("cap", draft, "UTC")(stored).response_cap == 9
    # No places typed ("no places" pressed): the survey goes back to the default question.
    assert setting_change("places", draft, "UTC")(stored).places == ()


@pytest.mark.parametrize("text", ["²", "1²", "٣", "", " ", "-5", "0", "10" * 10])
def test_cap_refuses_what_is_not_a_plain_positive_number(text: str) -> None:
    assert parse_cap(text) is None


# Place names as librarians type them, with the separators and the junk around them.
_name_parts = st.text(st.characters(codec="utf-8", exclude_characters="\n\r,;"), max_size=12)
_separators = st.sampled_from(["\n", "\r\n", ",", ";", ", ", " ; ", "\n\n"])


@given(st.lists(st.tuples(_name_parts, _separators), max_size=15))
def test_places_split_at_lines_commas_and_semicolons(parts: list[tuple[str, str]]) -> None:
    text = "".join(name + separator for name, separator in parts)
    places = split_places(text)
    expected: dict[str, str] = {}
    for name, _ in parts:
        cleaned = visible_text(name)
        if has_letters(cleaned):
            expected.setdefault(cleaned.casefold(), cleaned)
    assert places == tuple(expected.values())
    for place in places:
        assert place == place.strip() and "  " not in place
        assert not set(place) & set("\n\r,;")
        assert has_letters(place)
    assert len({place.casefold() for place in places}) == len(places)
