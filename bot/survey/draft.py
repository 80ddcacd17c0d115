"""A survey's settings as staff type them, one step at a time, and what they become.

The draft is the plain dict the editor keeps in its FSM data (JSON-friendly: the closing
day as ISO text, lists for sets). Creating a survey turns the whole draft into a
``SurveyConfig``; editing an open one applies only the setting staff changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from bot.domain.questions import OTHER
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


def typed_line(text: str, max_len: int) -> str | None:
    """Typed text as one line with single spaces; None when empty or longer than ``max_len``."""
    line = " ".join(text.split())
    return line if line and len(line) <= max_len else None


def parse_places(text: str) -> tuple[str, ...] | None:
    """One place a line, cleaned; None when none is left, too many, too long or "other"."""
    places = clean_places(text.splitlines())
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


def typed_setting(field: str, text: str, timezone: str) -> Draft | None:
    """What a typed title, places, closing day or cap adds to the draft; None when invalid."""
    if field == "title":
        title = typed_line(text, MAX_TITLE_LEN)
        return None if title is None else {"title": title}
    if field == "places":
        places = parse_places(text)
        return None if places is None else {"places": list(places)}
    if field == "closes":
        day = parse_closing_day(text, timezone)
        return None if day is None else {"closes_on": day.isoformat()}
    cap = parse_cap(text)
    return None if cap is None else {"cap": cap}


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
