"""A tolerant, typed reading of the stored answers.

Answers come from storage and may be partial, stale or (after a schema change) hold an
unknown value; the engine reads them only through here, so it never raises on input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.advice.models import AudienceData
from bot.domain.method import POST_LANGUAGES, STRATEGY_METHOD
from bot.domain.questions import OTHER

CIS_COUNTRIES = frozenset({"by", "kz", "uz", "kg"})
DEFAULT_TZ = {
    "ru": "Europe/Moscow",
    "by": "Europe/Minsk",
    "kz": "Asia/Almaty",
    "uz": "Asia/Tashkent",
    "kg": "Asia/Bishkek",
    "us": "America/New_York",
}


def _values(key: str, *, keep_other: bool = False) -> tuple[str, ...]:
    """The option values the wizard offers for ``key``, in its order (none-of-these left out)."""
    question = STRATEGY_METHOD.question(key)
    assert question is not None, key
    return tuple(
        option.value
        for option in question.options
        if not option.exclusive and (keep_other or option.value != OTHER)
    )


def _one(answers: Mapping[str, Any], key: str, default: str, *, keep_other: bool = False) -> str:
    value = answers.get(key)
    allowed = _values(key, keep_other=keep_other)
    return value if isinstance(value, str) and value in allowed else default


def _many(answers: Mapping[str, Any], key: str, *, keep_other: bool = False) -> tuple[str, ...]:
    allowed = _values(key, keep_other=keep_other)
    value = answers.get(key)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return ()
    return tuple(v for v in allowed if v in value)


def _text(answers: Mapping[str, Any], key: str) -> str:
    value = answers.get(key)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _number(answers: Mapping[str, Any], key: str, default: int) -> int:
    value = answers.get(key)
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return max(0, value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return default


def _typed_list(answers: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """The "Other…" text of a question as separate items ("клуб вязания; вечер поэзии")."""
    if OTHER not in _many(answers, key, keep_other=True) and answers.get(key) != OTHER:
        return ()
    text = _text(answers, f"{key}.other")
    parts = (" ".join(p.split()).strip(" .") for p in re.split(r"[;,\n]+", text))
    return tuple(dict.fromkeys(p for p in parts if len(p) >= 2))[:MAX_TYPED]


MAX_TYPED = 5
"""Typed items used per question: the rest would crowd out the plan."""

POPULATION_UPPER = {
    "lt1k": 1_000,
    "1k_10k": 10_000,
    "10k_50k": 50_000,
    "50k_250k": 250_000,
    "250k_1m": 1_000_000,
    "gt1m": 0,
}
"""Upper bound of each settlement band; 0 = no cap (a city of millions)."""


def _founder(answers: Mapping[str, Any]) -> str:
    value = answers.get("lib_ownership")
    if value == "university":  # the old mixed answer: a university, founder not asked
        return "unknown"
    return _one(answers, "lib_ownership", "municipal")


def _status(answers: Mapping[str, Any]) -> tuple[str, str, str]:
    """(own | department, parent kind, typed parent kind)."""
    if answers.get("lib_ownership") == "university" and "lib_status" not in answers:
        return "department", "university", ""
    status = _one(answers, "lib_status", "own")
    if status != "department":
        return "own", "", ""
    kind = _one(answers, "lib_parent_kind", "", keep_other=True)
    typed = _text(answers, "lib_parent_kind.other") if kind == OTHER else ""
    return status, kind, typed


def _languages(answers: Mapping[str, Any], country: str) -> tuple[tuple[str, ...], str]:
    offered = POST_LANGUAGES.get(country)
    if offered is None:
        return (), ""
    chosen = tuple(v for v in _many(answers, "cnt_languages", keep_other=True) if v != OTHER)
    typed = (
        _text(answers, "cnt_languages.other")
        if OTHER in _many(answers, "cnt_languages", keep_other=True)
        else ""
    )
    # The country's own order: the state language first.
    chosen = tuple(v for v in offered if v in chosen) + tuple(
        v for v in chosen if v not in offered and country == "other"
    )
    if not chosen and not typed:
        # Not answered (an older strategy): the country's languages, state language first.
        chosen = offered if country != "other" else ()
    return chosen, typed


def _zone(answers: Mapping[str, Any], country: str) -> str:
    for key in ("lib_tz", "lib_tz.other"):
        value = answers.get(key)
        if isinstance(value, str) and value != "other":
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                continue
            return value
    return DEFAULT_TZ.get(country, "UTC")


@dataclass(frozen=True, slots=True)
class LibraryProfile:
    name: str
    settlement: str
    region: str
    country: str
    timezone: str
    ownership: str
    goals: tuple[str, ...]
    goal_a_message: str
    goal_b_topics: tuple[str, ...]
    goal_c_resources: tuple[str, ...]
    goal_c_url: str
    goal_d_events: tuple[str, ...]
    horizon_months: int
    aud_geo: str
    aud_area: str
    aud_gender: str
    aud_age: tuple[str, ...]
    aud_education: tuple[str, ...]
    aud_interests: tuple[str, ...]
    net_current: tuple[str, ...]
    net_considered: tuple[str, ...]
    net_subs: Mapping[str, int]
    topics: tuple[str, ...]
    frequency: int
    tone: str
    times: tuple[str, ...]
    visuals: tuple[str, ...]
    visual_maker: str
    response: str
    com_channels: tuple[str, ...]
    negative: str
    partners: tuple[str, ...]
    partner_other: str
    paid: str
    people: int
    hours: int
    roles: tuple[str, ...]
    budget: str
    tools: tuple[str, ...]
    inst_kind: str
    discussion: str
    clubs: bool
    survey: AudienceData | None
    status: str = "own"
    """"own": the library is an institution itself; "department": part of a larger one."""
    parent_kind: str = ""
    parent_other: str = ""
    population: str = ""
    """A band of bot.domain.method.POPULATION_BANDS, "" when not answered."""
    languages: tuple[str, ...] = ()
    languages_other: str = ""
    crosspost: bool = False
    events_other: tuple[str, ...] = ()
    interests_other: tuple[str, ...] = ()
    topics_other: tuple[str, ...] = ()
    support_other: tuple[str, ...] = ()

    @property
    def profile(self) -> str:
        if self.country == "ru":
            return "ru"
        return "cis" if self.country in CIS_COUNTRIES else "intl"

    @property
    def public_founder(self) -> bool:
        """Founded by the state or a municipality (the library or the institution it is in)."""
        return self.ownership in {"state", "municipal"}

    @property
    def russian_public(self) -> bool:
        """A Russian state or municipal library that is its own institution: 270-FZ binds it
        directly, its official pages on VK and OK are the law."""
        return self.country == "ru" and self.public_founder and self.status == "own"

    @property
    def russian_department(self) -> bool:
        """A library inside a Russian state or municipal institution: the official pages are
        the institution's duty, the library's pages are run with them."""
        return self.country == "ru" and self.public_founder and self.status == "department"

    @property
    def founder_unknown(self) -> bool:
        return self.country == "ru" and self.ownership == "unknown"

    @property
    def population_cap(self) -> int:
        """People in the settlement at most (the band's upper bound); 0 = unknown or no cap."""
        return POPULATION_UPPER.get(self.population, 0)

    @property
    def followers(self) -> int:
        return sum(self.net_subs.values())


INTERESTS = _values("aud_interests")


def read_profile(answers: Mapping[str, Any], survey: AudienceData | None = None) -> LibraryProfile:
    country = _one(answers, "lib_country", "ru", keep_other=True)
    current = _many(answers, "net_current")
    subs = {n: _number(answers, f"net_subs_{n}", 0) for n in current}
    partners = _many(answers, "com_partners", keep_other=True)
    if survey is not None and survey.sample_size <= 0:
        survey = None
    status, parent_kind, parent_other = _status(answers)
    languages, languages_other = _languages(answers, country)
    return LibraryProfile(
        name=_text(answers, "lib_name"),
        settlement=_text(answers, "lib_settlement"),
        region=_text(answers, "lib_region"),
        country=country,
        timezone=_zone(answers, country),
        ownership=_founder(answers),
        goals=_many(answers, "goal_families") or ("a",),
        goal_a_message=_text(answers, "goal_a_message"),
        goal_b_topics=_many(answers, "goal_b_topics"),
        goal_c_resources=_many(answers, "goal_c_resources"),
        goal_c_url=_text(answers, "goal_c_url"),
        goal_d_events=_many(answers, "goal_d_events"),
        horizon_months={"3m": 3, "6m": 6, "12m": 12}[_one(answers, "goal_horizon", "6m")],
        aud_geo=_one(answers, "aud_geo", "settlement"),
        aud_area=_one(answers, "aud_area", "mixed"),
        aud_gender=_one(answers, "aud_gender", "balanced"),
        aud_age=_many(answers, "aud_age"),
        aud_education=_many(answers, "aud_education"),
        aud_interests=_many(answers, "aud_interests"),
        net_current=current,
        net_considered=_many(answers, "net_considered"),
        net_subs=subs,
        topics=_many(answers, "cnt_topics"),
        frequency=int(_one(answers, "cnt_frequency", "3")),
        tone=_one(answers, "cnt_tone", "friendly"),
        times=_many(answers, "cnt_times"),
        visuals=_many(answers, "cnt_visuals"),
        visual_maker=_one(answers, "cnt_visual_maker", "self"),
        response=_one(answers, "com_response", "when_possible"),
        com_channels=_many(answers, "com_channels"),
        negative=_one(answers, "com_negative", "no_plan"),
        partners=partners,
        partner_other=_text(answers, "com_partners.other"),
        paid=_one(answers, "com_paid", "no"),
        people=max(1, _number(answers, "res_people", 1)),
        hours=min(168, _number(answers, "res_hours", 2)),
        roles=_many(answers, "res_roles"),
        budget=_one(answers, "res_budget", "none"),
        tools=_many(answers, "res_tools"),
        inst_kind=_one(answers, "page_inst_kind", "central"),
        discussion=_one(answers, "page_discussion", "comments_only"),
        clubs=_one(answers, "page_clubs", "no") == "yes",
        survey=survey,
        status=status,
        parent_kind=parent_kind,
        parent_other=parent_other,
        population=_one(answers, "lib_population", ""),
        languages=languages,
        languages_other=languages_other,
        crosspost=_one(answers, "cnt_crosspost", "no") == "yes",
        events_other=_typed_list(answers, "goal_d_events"),
        interests_other=_typed_list(answers, "aud_interests"),
        topics_other=_typed_list(answers, "cnt_topics"),
        support_other=_typed_list(answers, "goal_b_topics"),
    )
