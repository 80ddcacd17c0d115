"""Progress against the strategy's goals: what was expected by now, and a verdict per KPI.

Followers are expected to grow in a straight line from the baseline at the start of the
period to the target at its end (the advice states no curve, and a line is what a librarian
would draw by hand). Pure: the numbers come from the monthly check-ins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.plan.slots import monday_of

CHECKIN_DAY = 1
CHECKIN_HOUR = 10
"""The check-in comes on the first of each month at 10:00 local time."""


class Verdict(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"


@dataclass(frozen=True, slots=True)
class Progress:
    verdict: Verdict
    actual: int
    expected: int
    """Where the straight line from baseline to target stands on the day of ``actual``."""
    target: int

    @property
    def gap(self) -> int:
        """How far behind the line (0 unless behind)."""
        return max(self.expected - self.actual, 0) if self.verdict is Verdict.BEHIND else 0


def expected_on(baseline: int, target: int, start: date, end: date, day: date) -> int:
    if end <= start or day >= end:
        return target
    if day <= start:
        return baseline
    share = (day - start).days / (end - start).days
    return round(baseline + (target - baseline) * share)


def follower_progress(
    baseline: int, target: int, start: date, end: date, history: Sequence[tuple[date, int]]
) -> Progress | None:
    """The verdict on the latest check-in; None before the first one."""
    if not history:
        return None
    day, actual = max(history)
    expected = expected_on(baseline, target, start, end, day)
    if actual >= target:
        return Progress(Verdict.MET, actual, expected, target)
    verdict = Verdict.ON_TRACK if actual >= expected else Verdict.BEHIND
    return Progress(verdict, actual, expected, target)


def reach_progress(followers: int, reach: int, target_pct: int) -> Progress:
    """Average reach as a share of followers, in percent, against the target share."""
    actual = round(100 * reach / followers) if followers else 0
    verdict = Verdict.MET if actual >= target_pct else Verdict.BEHIND
    return Progress(verdict, actual, target_pct, target_pct)


def line_progress(target: int, end: date, history: Sequence[tuple[date, int]]) -> Progress | None:
    """A monthly count judged on the straight line from its first check-in to the target at
    the end of the period (clicks, the share of visitors from social networks); None before
    the first check-in."""
    if not history:
        return None
    first_day, first = min(history)
    return follower_progress(first, target, first_day, end, history)


def engagement_rate(interactions: int, followers: int) -> float:
    """(likes + comments + reposts of an average post) / followers × 100, one decimal: the
    strategy's own formula (``advice.kpi.how.er``)."""
    return round(100 * interactions / followers, 1) if followers else 0.0


@dataclass(frozen=True, slots=True)
class RateProgress:
    verdict: Verdict | None
    """None in the first month of a growth KPI: that month is the baseline."""
    actual: float
    target: float


def er_progress(
    history: Sequence[tuple[date, int, int]], target: float | None, growth_pct: int
) -> RateProgress | None:
    """The engagement rate of the latest month (day, interactions per post, followers)
    against the target percent, or, without one, against the first month's rate grown by
    ``growth_pct``. None without numbers."""
    if not history:
        return None
    rates = sorted((day, engagement_rate(i, f)) for day, i, f in history)
    actual = rates[-1][1]
    if target is None:
        target = round(rates[0][1] * (1 + growth_pct / 100), 1)
        if len(rates) == 1:
            return RateProgress(None, actual, target)
    return RateProgress(Verdict.MET if actual >= target else Verdict.BEHIND, actual, target)


def social_share(attendees: int, social: int) -> int:
    """Percent of the month's visitors who came through social networks."""
    return round(100 * social / attendees) if attendees else 0


@dataclass(frozen=True, slots=True)
class WeekAdherence:
    monday: date
    planned: int
    posted: int

    @property
    def share(self) -> int:
        return round(100 * self.posted / self.planned) if self.planned else 0


def adherence(posts: Sequence[tuple[date, str]], today: date) -> list[WeekAdherence]:
    """Planned against posted per past or current week (future weeks are not counted)."""
    weeks: dict[date, list[str]] = {}
    for day, status in posts:
        if day <= today:
            weeks.setdefault(monday_of(day), []).append(status)
    return [
        WeekAdherence(monday, len(statuses), statuses.count("posted"))
        for monday, statuses in sorted(weeks.items())
    ]


def next_checkin(after_utc: datetime, zone: ZoneInfo) -> datetime:
    """The first of the next month (or this one, if still ahead) at 10:00 local, in UTC."""
    local = after_utc.astimezone(zone)
    year, month = local.year, local.month
    for _ in range(2):
        candidate = datetime.combine(date(year, month, CHECKIN_DAY), time(CHECKIN_HOUR), zone)
        if candidate.astimezone(after_utc.tzinfo) > after_utc:
            return candidate.astimezone(after_utc.tzinfo)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise AssertionError("unreachable: next month's first is always ahead")


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(day: date) -> str:
    """The check-in on the 1st reports the month that just ended."""
    return month_of(day.replace(day=1) - timedelta(days=1))


@dataclass(frozen=True, slots=True)
class Goals:
    """The numbers the plan is measured against: the strategy's KPI targets (goals a, c, d)."""

    networks: tuple[str, ...]
    baseline: int
    target: int | None
    """None when the strategy has no followers goal."""
    reach_pct: int | None
    start: date
    end: date
    er_network: str | None = None
    """The network whose engagement rate the strategy set a KPI for (its main one)."""
    er_target: float | None = None
    """Percent; None: the KPI is growth over the first month (``ER_GROWTH_PCT``)."""
    er_growth_pct: int = 0
    clicks_target: int | None = None
    """Clicks a month from the tagged links by the end of the period (goal c)."""
    attendance_pct: int | None = None
    """Share of event visitors who came through social networks by the end (goal d)."""


class Kpi(StrEnum):
    FOLLOWERS = "followers"
    REACH = "reach"
    ER = "er"
    CLICKS = "clicks"
    ATTENDANCE = "attendance"


class KpiState(StrEnum):
    """How a KPI stands, as admins count it."""

    ON_TRACK = "on_track"
    """On track or already met."""
    BEHIND = "behind"
    NO_DATA = "no_data"
    """No check-in numbers yet, or only the first month a growth KPI is measured from."""


@dataclass(frozen=True, slots=True)
class KpiReading:
    """One KPI of a plan at its latest check-in, with the numbers its verdict comes from."""

    kpi: Kpi
    target: float | None
    """The strategy's target (percent for reach, ER and attendance); None only for an ER
    growth KPI before its first month."""
    progress: Progress | RateProgress | None = None
    """None: no numbers yet."""
    network: str | None = None
    """Reach and ER are per network."""
    numbers: tuple[int, int] | None = None
    """What a share is computed from: (reach, followers), (interactions, followers) or
    (visitors from social networks, visitors)."""
    baseline: int | None = None
    """Followers at the start of the period (the line to the target starts there)."""
    growth_pct: int | None = None
    """ER without a fixed target: the growth over the first month it asks for."""

    @property
    def state(self) -> KpiState:
        verdict = self.progress.verdict if self.progress else None
        if verdict is None:
            return KpiState.NO_DATA
        return KpiState.BEHIND if verdict is Verdict.BEHIND else KpiState.ON_TRACK


@dataclass(frozen=True, slots=True)
class LibraryWeek:
    library_id: int
    name: str
    planned: int
    posted: int
    kpis: tuple[KpiReading, ...]
    """Every KPI the plan's strategy set, at the latest check-in."""
    quiet: bool


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    libraries: tuple[LibraryWeek, ...]

    @property
    def planned(self) -> int:
        return sum(row.planned for row in self.libraries)

    @property
    def posted(self) -> int:
        return sum(row.posted for row in self.libraries)

    def count(self, state: KpiState) -> int:
        """KPIs in this state, over every library's plan."""
        return sum(kpi.state is state for row in self.libraries for kpi in row.kpis)

    @property
    def quiet(self) -> tuple[LibraryWeek, ...]:
        return tuple(row for row in self.libraries if row.quiet)


def point_day(month: str) -> date:
    """A month's numbers are drawn on the first of the next month (the check-in day)."""
    year, number = (int(part) for part in month.split("-"))
    return date(year + number // 12, number % 12 + 1, 1)
