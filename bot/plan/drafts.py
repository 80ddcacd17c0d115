"""Draft posts: a headline and a body skeleton per rubric, filled with the library's facts.

Drafts are messages (locale keys with parameters), so each colleague reads the draft in
their own language; what staff type over a draft is kept as their text instead.
:data:`DraftSource` is the seam a richer source of post ideas plugs into.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.advice.ideas import post_ideas
from bot.advice.knowledge.calendar_dates import DateKind, dates_between
from bot.advice.models import Msg, MsgList, Param, UserText, rubric_label
from bot.advice.profile import LibraryProfile


@dataclass(frozen=True, slots=True)
class Draft:
    headline: Msg
    body: tuple[Msg, ...]
    """Lines of the skeleton the author completes."""


DraftSource = Callable[[LibraryProfile, str, date], Draft]
"""(library profile, rubric, date of the post) -> its draft."""


def on_date(day: date) -> Msg:
    """ "6 June" / "June 6" in the reader's language."""
    return Msg(f"plan.on_date.m{day.month}", {"day": day.day})


def _facts(profile: LibraryProfile) -> dict[str, Param]:
    return {"library": UserText(profile.name or "—")}


def _literary(profile: LibraryProfile, day: date) -> Draft | None:
    """The week's library date from the project's calendar; a round anniversary first."""
    found = dates_between(profile.country, day, day + timedelta(days=7))
    if not found:
        return None
    occurrence = next((o for o in found if o.jubilee), found[0])
    entry = occurrence.entry
    birthday = entry.kind is DateKind.BIRTHDAY
    # A birthday's title counts the years (a plural form, resolved when shown).
    title = Msg(entry.title_key, {"n": occurrence.years} if birthday else {})
    params: dict[str, Param] = {**_facts(profile), "title": title, "date": on_date(occurrence.day)}
    kind = "birthday" if birthday else "day"
    return Draft(
        Msg(f"plan.draft.literary_dates.{kind}.title", params),
        (Msg(f"plan.draft.literary_dates.{kind}.body", params),),
    )


def draft_for(profile: LibraryProfile, rubric: str, day: date) -> Draft:
    """The week's date for the literary calendar; otherwise one of the advice's post ideas
    for the rubric, taking turns week by week."""
    if rubric == "literary_dates" and (dated := _literary(profile, day)) is not None:
        return dated
    ideas = post_ideas(profile, rubric)
    if ideas:
        idea = ideas[(day.toordinal() // 7) % len(ideas)]
        return Draft(idea.headline, idea.body)
    params = {**_facts(profile), "rubric": rubric_label(rubric)}
    return Draft(
        Msg("plan.draft.generic.title", params), (Msg("plan.draft.generic.body", params),)
    )


# --- storing drafts: messages as JSON ------------------------------------------------------


def _encode(value: Param) -> Any:
    if isinstance(value, Msg):
        return {"m": value.key, "p": {k: _encode(v) for k, v in value.params.items()}}
    if isinstance(value, UserText):
        return {"u": value.value}
    if isinstance(value, MsgList):
        return {"l": [_encode(v) for v in value.items]}
    return value


def _decode(value: Any) -> Param:
    if isinstance(value, dict):
        if "m" in value:
            return Msg(str(value["m"]), {k: _decode(v) for k, v in value.get("p", {}).items()})
        if "u" in value:
            return UserText(str(value["u"]))
        return MsgList(tuple(_decode(v) for v in value.get("l", [])))
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def dump_draft(draft: Draft) -> str:
    return json.dumps(
        {"headline": _encode(draft.headline), "body": [_encode(line) for line in draft.body]},
        ensure_ascii=False,
    )


def load_draft(text: str) -> Draft:
    data = json.loads(text)
    headline = _decode(data["headline"])
    lines = [_decode(line) for line in data["body"]]
    assert isinstance(headline, Msg)
    body = tuple(line for line in lines if isinstance(line, Msg))
    return Draft(headline, body)
