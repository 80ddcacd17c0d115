"""A survey's settings as staff type them, one step at a time, and what they become.

The draft is the plain dict the editor keeps in its FSM data (JSON-friendly: the closing
day as ISO text, lists for sets). Creating a survey turns the whole draft into a
``SurveyConfig``; editing an open one applies only the setting staff changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from bot.domain.questions import OTHER
from bot.domain.validation import Invalid, parse_name
from bot.domain.zones import library_zone
from bot.survey.questions import (
    MAX_PLACE_LEN,
    MAX_PLACES,
    MAX_TITLE_LEN,
    SurveyConfig,
    clean_places,
    end_of_day,
    parse_closing_day,
)

MAX_CAP = 100_000

EDIT_FIELDS = ("title", "questions", "places", "closes", "cap")
"""The settings of a survey, in the order staff give them; also the editor's step names."""
QUESTION_FIELDS = frozenset({"questions", "places"})
"""What readers are asked: fixed once someone has sent answers, so results stay comparable."""

Draft = dict[str, Any]


def draft_of(data: Mapping[str, Any]) -> Draft:
    """A copy of the draft in the editor's data (empty when there is none)."""
    draft = data.get("draft")
    return dict(draft) if isinstance(draft, dict) else {}


def typed_line(text: str, max_len: int) -> str | Invalid:
    """A typed title or label as one line with single spaces, or why it cannot be one."""
    return parse_name(text, max_len)


# Librarians list places the way they write them: one a line, or "Никольское, Вохма; …".
_PLACE_SEPARATORS = re.compile(r"[\n\r,;]")


def split_places(text: str) -> tuple[str, ...]:
    """The place names in typed text: split at new lines, commas and semicolons, trimmed,
    without empty parts (invisible characters count as empty) and without repeats."""
    return clean_places(_PLACE_SEPARATORS.split(text))


def parse_places(text: str) -> tuple[str, ...] | None:
    """The typed places, cleaned; None when none is left, too many, too long or "other"."""
    places = split_places(text)
    bad = (
        not places
        or len(places) > MAX_PLACES
        or any(len(place) > MAX_PLACE_LEN or place.casefold() == OTHER for place in places)
    )
    return None if bad else places


def parse_cap(text: str) -> int | None:
    """A whole number of readers from 1 to ``MAX_CAP``, else None."""
    text = text.strip()
    # isdigit() alone lets "²" through, which int() refuses.
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    return int(text) if 1 <= int(text) <= MAX_CAP else None


def typed_setting(field: str, text: str, timezone: str) -> Draft | Invalid:
    """What a typed title, places, closing day or cap adds to the draft, or why it cannot."""
    if field == "title":
        title = typed_line(text, MAX_TITLE_LEN)
        return title if isinstance(title, Invalid) else {"title": title}
    if field == "places":
        places = parse_places(text)
        if places is None:
            return Invalid(
                "survey.staff.places_invalid", {"max": MAX_PLACES, "max_len": MAX_PLACE_LEN}
            )
        return {"places": list(places)}
    if field == "closes":
        day = parse_closing_day(text, timezone)
        if day is None:
            return Invalid("survey.staff.closes_at_invalid", {})
        return {"closes_on": day.isoformat()}
    cap = parse_cap(text)
    return Invalid("survey.staff.cap_invalid", {"max": MAX_CAP}) if cap is None else {"cap": cap}


def closes_at(draft: Draft, timezone: str) -> datetime | None:
    """The end of the chosen closing day in the library's zone; None without a day."""
    closes = draft.get("closes_on")
    if not closes:
        return None
    return end_of_day(date.fromisoformat(closes), library_zone(timezone).key)


def new_config(draft: Draft, timezone: str) -> SurveyConfig:
    """The configuration of a survey created from a finished draft."""
    return SurveyConfig(
        title=str(draft.get("title", "")),
        disabled=frozenset(draft.get("disabled", ())),
        places=tuple(draft.get("places", ())),
        closes_at=closes_at(draft, timezone),
        response_cap=draft.get("cap"),
    )


def setting_change(
    field: str, draft: Draft, timezone: str
) -> Callable[[SurveyConfig], SurveyConfig]:
    """The one setting staff edited, to apply to the survey as it is stored when saving."""

    def change(config: SurveyConfig) -> SurveyConfig:
        if field == "title":
            return replace(config, title=str(draft.get("title", config.title)))
        if field == "questions":
            return replace(config, disabled=frozenset(draft.get("disabled", config.disabled)))
        if field == "places":
            return replace(config, places=tuple(draft.get("places", ())))
        if field == "closes":
            return replace(config, closes_at=closes_at(draft, timezone))
        return replace(config, response_cap=draft.get("cap"))

    return change
