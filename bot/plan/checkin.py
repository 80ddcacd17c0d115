"""The monthly check-in's questions: what the strategy's KPIs need from the librarian.

Followers of every network of the plan (Telegram counts a linked channel itself), then,
each skippable, a post's average reach per network, a post's average interactions on the
network with an engagement-rate KPI, the month's clicks from the tagged links (goal c) and
the month's event visitors with how many came through social networks (goal d). Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.plan.progress import Goals

FOLLOWERS = "followers"
REACH = "reach"
INTERACTIONS = "interactions"
CLICKS = "clicks"
ATTENDEES = "attendees"
ATTENDEES_SOCIAL = "attendees_social"


@dataclass(frozen=True, slots=True)
class Ask:
    field: str
    network: str = ""

    @property
    def optional(self) -> bool:
        return self.field != FOLLOWERS

    @property
    def key(self) -> str:
        """Where the answer is kept: "followers:vk", "clicks"."""
        return f"{self.field}:{self.network}" if self.network else self.field

    @classmethod
    def from_key(cls, key: str) -> Ask:
        field, _, network = key.partition(":")
        return cls(field, network)


def checkin_asks(goals: Goals, counted: Mapping[str, int]) -> list[Ask]:
    asks = [Ask(FOLLOWERS, n) for n in goals.networks if n not in counted]
    asks += [Ask(REACH, n) for n in goals.networks]
    if goals.er_network is not None:
        asks.append(Ask(INTERACTIONS, goals.er_network))
    if goals.clicks_target is not None:
        asks.append(Ask(CLICKS))
    if goals.attendance_pct is not None:
        asks += [Ask(ATTENDEES), Ask(ATTENDEES_SOCIAL)]
    return asks


def refusal(ask: Ask, value: int, given: Mapping[str, int]) -> str | None:
    """Why ``value`` cannot be the answer (a locale key), given the answers so far."""
    if ask.field == ATTENDEES_SOCIAL and value > given.get(ATTENDEES, 0):
        return "plan.checkin.more_than_visitors"
    return None


def after_skip(asks: list[Ask], skipped: Ask) -> list[Ask]:
    """The questions left once ``skipped`` (the first) is skipped: without the visitors,
    "how many of them came through social networks" means nothing."""
    rest = asks[1:]
    if skipped.field == ATTENDEES:
        rest = [ask for ask in rest if ask.field != ATTENDEES_SOCIAL]
    return rest


@dataclass(frozen=True, slots=True)
class CheckinNumbers:
    followers: dict[str, int]
    reach: dict[str, int]
    interactions: dict[str, int]
    clicks: int | None = None
    attendees: int | None = None
    attendees_social: int | None = None


def numbers_from(given: Mapping[str, int]) -> CheckinNumbers:
    """The answers as the check-in keeps them ("followers:vk" → 340) by kind."""
    by_field: dict[str, dict[str, int]] = {}
    for key, value in given.items():
        ask = Ask.from_key(key)
        by_field.setdefault(ask.field, {})[ask.network] = value
    return CheckinNumbers(
        followers=by_field.get(FOLLOWERS, {}),
        reach=by_field.get(REACH, {}),
        interactions=by_field.get(INTERACTIONS, {}),
        clicks=by_field.get(CLICKS, {}).get(""),
        attendees=by_field.get(ATTENDEES, {}).get(""),
        attendees_social=by_field.get(ATTENDEES_SOCIAL, {}).get(""),
    )
