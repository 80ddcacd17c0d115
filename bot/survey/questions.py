"""The reader survey declared as data, and a survey's configuration.

Readers answer with the same declarative types as the strategy wizard, so handlers,
keyboards and storage treat both alike. Values match the wizard's audience step (age
groups, education, interests, networks) so results can fill step 2 without translation
tables. Nothing here touches Telegram or the database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.method import AGE_GROUPS, AUDIENCE, NETWORKS
from bot.domain.questions import OTHER, Kind, Question, Questionnaire, Step, choices
from bot.domain.translate import Translate
from bot.domain.validation import has_letters, visible_text
from bot.domain.zones import library_zone

PLACE = "sv_place"
AGE = "sv_age"
GENDER = "sv_gender"
EDUCATION = "sv_education"
INTERESTS = "sv_interests"
NETWORKS_USED = "sv_networks"
WANTS = "sv_wants"
VISITS = "sv_visits"

QUESTION_IDS = (PLACE, AGE, GENDER, EDUCATION, INTERESTS, NETWORKS_USED, WANTS, VISITS)

NO_NETWORKS = "none"

# Without staff-defined places the question asks how far the reader lives; the values are
# the wizard's ``aud_geo`` levels so the answer maps onto step 2 directly.
DEFAULT_PLACES = ("settlement", "district", "region", "country")

GENDERS = ("women", "men")
"""Same vocabulary as the wizard's ``aud_gender`` (a reader is one of these, never "balanced")."""

# What readers would like to see online; values are the wizard's rubric ids (method.RUBRICS).
WANT_VALUES = (
    "events",
    "new_arrivals",
    "staff_picks",
    "local_history",
    "quizzes",
    "children_parents",
    "service_notices",
    "reader_question",
    "behind_scenes",
    "exhibitions",
)

VISIT_VALUES = ("weekly", "monthly", "few_times_year", "rarely", "never")

MAX_PLACES = 12
MAX_PLACE_LEN = 60
MAX_TITLE_LEN = 120


def _audience_values(question_id: str) -> tuple[str, ...]:
    question = AUDIENCE.questions[[q.id for q in AUDIENCE.questions].index(question_id)]
    return tuple(option.value for option in question.options)


EDUCATION_VALUES = _audience_values("aud_education")
INTEREST_VALUES = tuple(v for v in _audience_values("aud_interests") if v != OTHER)


@dataclass(frozen=True, slots=True)
class SurveyConfig:
    """What staff choose for one survey; stored as JSON next to the survey row."""

    title: str
    disabled: frozenset[str] = frozenset()
    """Question ids switched off."""
    places: tuple[str, ...] = ()
    """Staff's own answer choices for the place question (names of villages, districts…)."""
    closes_at: datetime | None = None
    """Aware UTC moment after which answers are refused; None = open until closed by hand."""
    response_cap: int | None = None
    """At most this many readers may start the survey; None = no limit."""
    previous_wave: int | None = None
    """The survey this one asks again ("run this survey again"), for comparing the two."""
    wave: int = 1
    """1 for a first survey, 2 for the first time it is run again, and so on."""

    def __post_init__(self) -> None:
        problems = config_problems(self)
        if problems:
            raise ValueError("; ".join(problems))

    def to_json(self) -> str:
        return json.dumps(
            {
                "title": self.title,
                "disabled": sorted(self.disabled),
                "places": list(self.places),
                "closes_at": None if self.closes_at is None else self.closes_at.isoformat(),
                "response_cap": self.response_cap,
                "previous_wave": self.previous_wave,
                "wave": self.wave,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> SurveyConfig:
        data = json.loads(text)
        closes_at = data.get("closes_at")
        return cls(
            title=str(data.get("title", "")),
            disabled=frozenset(data.get("disabled", ())),
            places=tuple(data.get("places", ())),
            closes_at=None if closes_at is None else datetime.fromisoformat(closes_at),
            response_cap=data.get("response_cap"),
            previous_wave=data.get("previous_wave"),
            wave=int(data.get("wave", 1)),
        )

    def with_places(self, places: Iterable[str]) -> SurveyConfig:
        """A copy with cleaned place names (trimmed, blanks and duplicates dropped)."""
        return replace(self, places=clean_places(places))

    def next_wave(self, survey_id: int, title: str) -> SurveyConfig:
        """The same questions and places, asked again: no closing day or cap carried over."""
        return SurveyConfig(
            title=title,
            disabled=self.disabled,
            places=self.places,
            previous_wave=survey_id,
            wave=self.wave + 1,
        )

    def toggled(self, question_id: str) -> SurveyConfig:
        disabled = self.disabled ^ {question_id}
        return replace(self, disabled=frozenset(disabled))


def clean_places(places: Iterable[str]) -> tuple[str, ...]:
    """Trimmed names in their first spelling; blank, invisible-only and repeated ones dropped."""
    seen: dict[str, str] = {}
    for place in places:
        name = visible_text(place)
        if has_letters(name) and name.casefold() not in seen:
            seen[name.casefold()] = name
    return tuple(seen.values())


def config_problems(config: SurveyConfig) -> list[str]:
    """Why a configuration cannot be used (empty list when it can). Messages are for logs."""
    problems = []
    if not config.title.strip() or len(config.title) > MAX_TITLE_LEN:
        problems.append(f"title must be 1..{MAX_TITLE_LEN} characters")
    unknown = config.disabled - set(QUESTION_IDS)
    if unknown:
        problems.append(f"unknown questions: {sorted(unknown)}")
    if set(QUESTION_IDS) <= config.disabled:
        problems.append("at least one question must stay on")
    if len(config.places) > MAX_PLACES:
        problems.append(f"at most {MAX_PLACES} places")
    for place in config.places:
        if not place.strip() or len(place) > MAX_PLACE_LEN or place == OTHER:
            problems.append(f"bad place name {place!r}")
    if len({p.casefold() for p in config.places}) != len(config.places):
        problems.append("duplicate place names")
    if config.closes_at is not None and config.closes_at.tzinfo is None:
        problems.append("closes_at must be timezone-aware")
    if config.response_cap is not None and config.response_cap < 1:
        problems.append("response_cap must be positive")
    return problems


def place_question(places: tuple[str, ...] = ()) -> Question:
    if places:
        # Staff's own names are the values: readable in exports and stable when edited.
        return Question(
            PLACE,
            Kind.SINGLE,
            "survey.q.place",
            choices(places, other=True),
            "survey_place",
            max_len=100,
        )
    return Question(
        PLACE, Kind.SINGLE, "survey.q.place_distance", choices(DEFAULT_PLACES), "survey_geo"
    )


def default_questions(places: tuple[str, ...] = ()) -> tuple[Question, ...]:
    return (
        place_question(places),
        Question(AGE, Kind.SINGLE, "survey.q.age", choices(AGE_GROUPS), "age"),
        Question(
            GENDER,
            Kind.SINGLE,
            "survey.q.gender",
            choices(GENDERS),
            "survey_gender",
            required=False,
        ),
        Question(
            EDUCATION,
            Kind.SINGLE,
            "survey.q.education",
            choices(EDUCATION_VALUES),
            "education",
            required=False,
        ),
        Question(
            INTERESTS,
            Kind.MULTI,
            "survey.q.interests",
            choices(INTEREST_VALUES, other=True),
            "interest",
            max_len=100,
        ),
        Question(
            NETWORKS_USED,
            Kind.MULTI,
            "survey.q.networks",
            choices(NETWORKS, none=NO_NETWORKS),
            "net",
        ),
        Question(
            WANTS,
            Kind.MULTI,
            "survey.q.wants",
            choices(WANT_VALUES, other=True),
            "survey_want",
            max_len=100,
        ),
        Question(VISITS, Kind.SINGLE, "survey.q.visits", choices(VISIT_VALUES), "survey_visit"),
    )


STEP_ID = "reader"


def build_questionnaire(config: SurveyConfig) -> Questionnaire:
    """The questions readers of this survey get, in order, without the switched-off ones."""
    questions = tuple(q for q in default_questions(config.places) if q.id not in config.disabled)
    return Questionnaire((Step(STEP_ID, 1, "survey.step.reader", questions),))


DEFAULT_QUESTIONNAIRE = build_questionnaire(SurveyConfig(title="-"))
"""Every question on, default places: what readers see when staff change nothing."""


def option_label(question: Question, value: str, t: Translate) -> str:
    """The text of one answer choice; staff-written place names are shown as written."""
    if question.id == PLACE and question.option_set == "survey_place" and value != OTHER:
        return value
    return t(question.option_key(value))


def end_of_day(day: date, timezone: str) -> datetime:
    """The last moment of ``day`` in the library's time zone: "until 31.12" includes the 31st."""
    return datetime.combine(day + timedelta(days=1), time(), ZoneInfo(timezone)) - timedelta(
        microseconds=1
    )


_DATE = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")


def parse_closing_day(text: str, timezone: str, *, now: datetime | None = None) -> date | None:
    """A DD.MM.YYYY day after today in the library's zone, else None."""
    match = _DATE.match(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        chosen = date(year, month, day)
    except ValueError:
        return None
    zone = library_zone(timezone)
    today = (now or datetime.now(zone)).astimezone(zone).date()
    return chosen if chosen > today else None
