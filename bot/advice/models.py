"""Typed results of the advice engine, shared by the chat, the DOCX and the calendar.

Nothing here holds finished text: every sentence is a locale key plus parameters, so one
advice renders in Russian and English alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Union

STEP_IDS = ("goals", "audience", "networks", "content", "communication", "resources", "page")
"""Ids of the method's seven steps, in order (the same ids as in bot.domain.method)."""


@dataclass(frozen=True, slots=True)
class UserText:
    """Text the user typed (library name, URL): escaped before it goes into HTML."""

    value: str


@dataclass(frozen=True, slots=True)
class Msg:
    """A locale key and its placeholders; a placeholder may itself be a message.

    ``count`` names the integer placeholder that picks the plural form: such a key is a
    plural entry of the catalogs (``ngettext``), and the number is passed as ``{n}`` too.
    """

    key: str
    params: Mapping[str, Param] = field(default_factory=dict)
    count: str = ""


@dataclass(frozen=True, slots=True)
class MsgList:
    """Several values joined into one placeholder ("VK, OK and Telegram")."""

    items: tuple[Param, ...]


Param = Union[str, int, float, UserText, Msg, MsgList]  # noqa: UP007 - recursive alias


@dataclass(frozen=True, slots=True)
class Act:
    """A legal act as it is cited: its number and the date it was signed or adopted
    ("dd.mm.yyyy")."""

    number: str
    """"270-ФЗ", "2523-р"; empty for a constitution, which has none."""
    signed: str
    own_page: bool
    """True when the source's URL is the act's own page on the official portal; False when
    it is the portal's search for the act (its page there was not verified)."""


@dataclass(frozen=True, slots=True)
class Source:
    """A work an advice rests on: the act, the study or the platform's own page.

    Its title, in the reader's language, is the catalog key ``title_key``; ``year`` is
    always a year or a period ("2024", "Q1 2024", "2023–24"); ``url`` is the official or
    primary publication and may be empty for our own estimates.
    """

    id: str
    year: str
    url: str
    estimate: bool = False
    """True for rules of thumb and our own derivations ([E] in domain-facts.md)."""
    act: Act | None = None
    """Set for laws, decrees, orders and constitutions."""
    secondary: bool = False
    """True when the rule is known only from a news report: its own text was not found."""

    @property
    def title_key(self) -> str:
        return f"source.{self.id}"


class Severity(StrEnum):
    INFO = "info"
    MUST = "must"
    """A legal or platform rule, not a taste."""
    WARNING = "warning"
    """A caution worth reading (a small survey, a page on a blocked platform) that is not a
    contradiction between the answers."""
    CONFLICT = "conflict"
    """Something the plan contains contradicts what the librarian said (hours, skills,
    budget): the library should resolve it."""


@dataclass(frozen=True, slots=True)
class AdviceItem:
    text: Msg
    reasons: tuple[Msg, ...]
    sources: tuple[Source, ...] = ()
    severity: Severity = Severity.INFO


@dataclass(frozen=True, slots=True)
class StepAdvice:
    step_id: str
    items: tuple[AdviceItem, ...]

    @property
    def conflicts(self) -> tuple[AdviceItem, ...]:
        return tuple(item for item in self.items if item.severity is Severity.CONFLICT)

    @property
    def warnings(self) -> tuple[AdviceItem, ...]:
        return tuple(item for item in self.items if item.severity is Severity.WARNING)


@dataclass(frozen=True, slots=True)
class Kpi:
    goal: str
    """Goal family: a, b, c, d."""
    metric: Msg
    baseline: Msg
    target: Msg
    how: Msg
    """How to measure it (where the number comes from)."""


@dataclass(frozen=True, slots=True)
class NetworkScore:
    network: str
    score: int
    """0..100: audience fit, goal fit and presence, before the rules."""
    mandatory: bool = False
    banned: bool = False
    chosen: bool = False
    posts_per_week: int = 0


@dataclass(frozen=True, slots=True)
class PostingSlot:
    network: str
    weekday: int
    """0 = Monday."""
    time: str
    """Local time of the library, "HH:MM"."""
    rubric: str


@dataclass(frozen=True, slots=True)
class HoursEstimate:
    posts: float
    planning: float
    analytics: float
    moderation: float
    available: int

    @property
    def total(self) -> float:
        return round(self.posts + self.planning + self.analytics + self.moderation, 1)

    @property
    def enough(self) -> bool:
        return self.total <= self.available


@dataclass(frozen=True, slots=True)
class StrategyAdvice:
    library_name: str
    country: str
    profile: str
    """Knowledge profile: "ru", "cis" or "intl"."""
    timezone: str
    steps: tuple[StepAdvice, ...]
    networks: tuple[NetworkScore, ...]
    """Every network, best first; ``chosen`` marks the recommended ones."""
    kpis: tuple[Kpi, ...]
    slots: tuple[PostingSlot, ...]
    """A typical week of posts over the chosen networks."""
    weeks: tuple[tuple[PostingSlot, ...], ...]
    """Four weeks of the same slots with the rubrics rotating (the first is ``slots``)."""
    rubrics: tuple[str, ...]
    """Rubric ids: option values of ``cnt_topics``, or ``own:<typed text>`` for the
    librarian's own rubrics (typed topics, clubs, events); name them with rubric_label."""
    hours: HoursEstimate
    audience_from_survey: bool = False
    post_ideas: Mapping[str, tuple[PostIdea, ...]] = field(default_factory=dict)
    """Two or three ready post ideas per rubric of ``rubrics``."""
    first_steps: tuple[ChecklistItem, ...] = ()
    """The "first two weeks" checklist, in order."""
    languages: tuple[str, ...] = ()
    """Languages to post in (``cnt_languages`` values, ``opt.post_lang.<code>``)."""

    def step(self, step_id: str) -> StepAdvice:
        return next(step for step in self.steps if step.step_id == step_id)

    @property
    def chosen_networks(self) -> tuple[str, ...]:
        return tuple(score.network for score in self.networks if score.chosen)

    @property
    def conflicts(self) -> tuple[AdviceItem, ...]:
        """Real contradictions between the plan and the answers (``Severity.CONFLICT``)."""
        return tuple(item for step in self.steps for item in step.conflicts)

    @property
    def warnings(self) -> tuple[AdviceItem, ...]:
        """Cautions that are not contradictions (``Severity.WARNING``)."""
        return tuple(item for step in self.steps for item in step.warnings)

    def rubric_label(self, rubric: str) -> Param:
        """The name of a rubric: the wizard's label, or the librarian's own typed words."""
        return rubric_label(rubric)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every cited source once, in order of first citation."""
        seen: dict[str, Source] = {}
        for step in self.steps:
            for item in step.items:
                for source in item.sources:
                    seen.setdefault(source.id, source)
        return tuple(seen.values())


@dataclass(frozen=True, slots=True)
class AudienceData:
    """Real survey results that override the self-reported audience answers.

    Shares are fractions 0..1 keyed by the option values of bot.domain.method
    (age groups, "women"/"men", interests, education levels, networks).
    """

    sample_size: int
    age: Mapping[str, float] = field(default_factory=dict)
    gender: Mapping[str, float] = field(default_factory=dict)
    interests: Mapping[str, float] = field(default_factory=dict)
    education: Mapping[str, float] = field(default_factory=dict)
    networks: Mapping[str, float] = field(default_factory=dict)


OWN_RUBRIC = "own:"
"""Prefix of a rubric the librarian typed herself ("own:Вечера с самоваром")."""


def own_rubric(text: str) -> str:
    return f"{OWN_RUBRIC}{text}"


def rubric_label(rubric: str) -> Param:
    """``opt.rubric.<id>`` for the wizard's rubrics, the typed text for one's own."""
    if rubric.startswith(OWN_RUBRIC):
        return UserText(rubric[len(OWN_RUBRIC) :])
    return Msg(f"opt.rubric.{rubric}")


@dataclass(frozen=True, slots=True)
class PostIdea:
    """A ready idea for one post of a rubric, filled with the library's own facts.

    ``headline`` is the post's first line; ``body`` is a skeleton of two to four short
    lines the author completes (what, when, where, the call to action). Both are messages
    (locale keys with the library's name, settlement, interests, events as parameters).
    """

    rubric: str
    headline: Msg
    body: tuple[Msg, ...]


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One step of the first two weeks: what to do, by which day, and why it matters."""

    day: int
    """Day of the plan (1..14) by which to have it done."""
    action: Msg
    why: Msg
