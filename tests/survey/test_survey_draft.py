"""The editor's draft: typed settings parsed, then a new config or one edited setting."""

from __future__ import annotations

from datetime import date

import pytest

from bot.survey.draft import (
    MAX_CAP,
    new_config,
    parse_cap,
    setting_change,
    typed_line,
    typed_setting,
)
from bot.survey.questions import MAX_PLACES, MAX_TITLE_LEN, PLACE, SurveyConfig


def test_typed_line_squashes_spaces_and_checks_length() -> None:
    assert typed_line("  Poster \n at  the door ", 20) == "Poster at the door"
    assert typed_line("   ", 20) is None
    assert typed_line("x" * 21, 20) is None


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("title", "  Readers   2025 ", {"title": "Readers 2025"}),
        ("title", "x" * (MAX_TITLE_LEN + 1), None),
        ("places", "Ivanovka\n\nivanovka\n Petrovo ", {"places": ["Ivanovka", "Petrovo"]}),
        ("places", "Ivanovka\nother", None),
        ("places", "\n".join(f"p{n}" for n in range(MAX_PLACES + 1)), None),
        ("closes", "01.01.2000", None),
        ("cap", " 40 ", {"cap": 40}),
        ("cap", "0", None),
        ("cap", str(MAX_CAP + 1), None),
        ("cap", "forty", None),
    ],
)
def test_typed_settings(field: str, text: str, expected: dict[str, object] | None) -> None:
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
