"""Which posts a week holds: the strategy's rotating weeks laid onto real dates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.advice.models import PostingSlot

PLAN_WEEKS_AHEAD = 1
"""The rolling plan covers this week and the next one."""


@dataclass(frozen=True, slots=True)
class PlannedSlot:
    day: date
    time: str
    """Local "HH:MM"."""
    network: str
    rubric: str

    @property
    def slot_key(self) -> str:
        """Identity of the schedule's slot; a regenerated plan does not add it twice."""
        return f"{self.day.isoformat()} {self.network} {self.time}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_index(monday: date, started_on: date, weeks: int) -> int:
    """Which of the strategy's rotating weeks (0..weeks-1) falls on the week of ``monday``."""
    return ((monday - monday_of(started_on)).days // 7) % max(weeks, 1)


def planned_slots(
    weeks: Sequence[Sequence[PostingSlot]], started_on: date, start: date, end: date
) -> list[PlannedSlot]:
    """Every slot from ``start`` to ``end`` (inclusive), in date and time order."""
    if not weeks or end < start:
        return []
    out: list[PlannedSlot] = []
    monday = monday_of(start)
    while monday <= end:
        for slot in weeks[week_index(monday, started_on, len(weeks))]:
            day = monday + timedelta(days=slot.weekday)
            if start <= day <= end:
                out.append(PlannedSlot(day, slot.time, slot.network, slot.rubric))
        monday += timedelta(days=7)
    return sorted(out, key=lambda s: (s.day, s.time, s.network))


def window_end(today: date, ends_on: date) -> date:
    """The last day the rolling plan holds: Sunday of next week, never past the horizon."""
    return min(monday_of(today) + timedelta(days=7 * (PLAN_WEEKS_AHEAD + 1) - 1), ends_on)


def horizon_end(started_on: date, months: int) -> date:
    """The day before the same date ``months`` later (clamped to the month's last day)."""
    month = started_on.month - 1 + months
    year, month = started_on.year + month // 12, month % 12 + 1
    day = started_on.day
    while True:
        try:
            return date(year, month, day) - timedelta(days=1)
        except ValueError:
            day -= 1


def local_moment(day: date, hhmm: str, zone: ZoneInfo) -> datetime:
    """A local date and "HH:MM" as an aware UTC moment (a skipped hour maps forward)."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
