"""A content calendar (.ics) for the strategy's horizon, in the library's time zone.

Every posting slot is its own event so each week can carry a different rubric; times are
TZID-aware and the calendar carries the VTIMEZONE, so Yandex, Google and Outlook show the
slots at the library's local time wherever the reader's phone is.

Public holidays of the library's country stay free: a post that would fall on one moves to
the next working day on which its network has no post yet (within a week), or is left out;
the moved event says why, and the calendar's description lists what was left out. Where the
plan has the literary-calendar rubric, library dates are marked as all-day events.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.advice.knowledge.calendar_dates import DateOccurrence, dates_between
from bot.advice.models import PostingSlot, StrategyAdvice
from bot.advice.render import source_title
from bot.documents.common import library_date_title, network_name, rubric_name
from bot.documents.holidays import knows_holidays, public_holidays
from bot.domain.translate import Translate

if TYPE_CHECKING:
    from icalendar import Event

SLOT_MINUTES = 30
REMIND_BEFORE = timedelta(hours=1)
MOVE_WITHIN_DAYS = 7
LITERARY_RUBRIC = "literary_dates"
DEFAULT_WEEKS = 4


@dataclass(frozen=True, slots=True)
class PlannedPost:
    day: date
    slot: PostingSlot
    moved_from: date | None = None
    holiday: str = ""
    """The holiday it was moved away from."""


@dataclass(frozen=True, slots=True)
class DroppedPost:
    day: date
    slot: PostingSlot
    holiday: str


@dataclass(frozen=True, slots=True)
class CalendarPlan:
    """What the calendar holds, before it is written as iCalendar."""

    start: date
    weeks: int
    posts: tuple[PlannedPost, ...]
    dropped: tuple[DroppedPost, ...]
    library_dates: tuple[DateOccurrence, ...]
    holidays_known: bool

    @property
    def end(self) -> date:
        """The first day after the calendar."""
        return self.start + timedelta(weeks=self.weeks)

    @property
    def moved(self) -> tuple[PlannedPost, ...]:
        return tuple(post for post in self.posts if post.moved_from is not None)


def _slot_date(start: date, weekday: int, week: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 + 7 * week)


def _free_working_day(
    day: date, network: str, end: date, holidays: Mapping[date, str], taken: set[tuple[date, str]]
) -> date | None:
    for offset in range(1, MOVE_WITHIN_DAYS + 1):
        candidate = day + timedelta(days=offset)
        if candidate >= end:
            return None
        if (
            candidate.weekday() < 5
            and candidate not in holidays
            and (candidate, network) not in taken
        ):
            return candidate
    return None


def plan_calendar(
    advice: StrategyAdvice,
    start: date,
    weeks: int = DEFAULT_WEEKS,
    *,
    locale: str = "ru",
    holidays: Mapping[date, str] | None = None,
) -> CalendarPlan:
    """Posts of ``weeks`` weeks from ``start`` (rubrics rotating as in ``advice.weeks``),
    public holidays of the library's country kept free, library dates where the plan has
    the literary-calendar rubric. ``holidays`` replaces the country's calendar (tests)."""
    weeks = max(weeks, 1)
    end = start + timedelta(weeks=weeks)
    known = holidays is not None or knows_holidays(advice.country)
    if holidays is None:
        holidays = public_holidays(advice.country, start, end, locale)
    rotation = advice.weeks or (advice.slots,)
    wanted = [
        (_slot_date(start, slot.weekday, week), slot)
        for week in range(weeks)
        for slot in rotation[week % len(rotation)]
    ]
    wanted.sort(key=lambda pair: (pair[0], pair[1].time, pair[1].network))
    taken = {(day, slot.network) for day, slot in wanted if day not in holidays}
    posts: list[PlannedPost] = []
    dropped: list[DroppedPost] = []
    for day, slot in wanted:
        holiday = holidays.get(day)
        if holiday is None:
            posts.append(PlannedPost(day, slot))
            continue
        target = _free_working_day(day, slot.network, end, holidays, taken)
        if target is None:
            dropped.append(DroppedPost(day, slot, holiday))
        else:
            taken.add((target, slot.network))
            posts.append(PlannedPost(target, slot, moved_from=day, holiday=holiday))
    posts.sort(key=lambda post: (post.day, post.slot.time, post.slot.network))
    literary = LITERARY_RUBRIC in advice.rubrics or any(
        slot.rubric == LITERARY_RUBRIC for week in rotation for slot in week
    )
    dates = tuple(dates_between(advice.country, start, end)) if literary else ()
    return CalendarPlan(start, weeks, tuple(posts), tuple(dropped), dates, known)


def _short_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _description(plan: CalendarPlan, t: Translate) -> str:
    lines = [t.plural("doc.ics.caldesc", plan.weeks, start=_short_date(plan.start))]
    lines.append(t("doc.ics.holidays_note" if plan.holidays_known else "doc.ics.no_holidays"))
    if plan.dropped:
        lines.append(t("doc.ics.dropped_title"))
        lines += [
            t(
                "doc.ics.dropped_line",
                date=_short_date(post.day),
                time=post.slot.time,
                network=network_name(post.slot.network, t),
                rubric=rubric_name(post.slot.rubric, t),
                holiday=post.holiday,
            )
            for post in plan.dropped
        ]
    return "\n".join(lines)


def _post_event(post: PlannedPost, zone: ZoneInfo, stamp: datetime, t: Translate) -> Event:
    # Imported on first use: most runs never build one, and the bot starts lighter.
    from icalendar import Alarm, Event

    slot = post.slot
    hour, minute = (int(part) for part in slot.time.split(":"))
    begin = datetime.combine(post.day, time(hour, minute), tzinfo=zone)
    network = network_name(slot.network, t)
    rubric = rubric_name(slot.rubric, t)
    summary = t("doc.ics.summary", network=network, rubric=rubric)
    description = t("doc.ics.description", network=network, rubric=rubric)
    if post.moved_from is not None:
        moved = t("doc.ics.moved", date=_short_date(post.moved_from), holiday=post.holiday)
        description = f"{description}\n{moved}"
    event = Event()
    event.add("uid", f"{post.day.isoformat()}-{slot.time}-{slot.network}@library-smm-bot")
    event.add("dtstamp", stamp)
    event.add("dtstart", begin)
    event.add("dtend", begin + timedelta(minutes=SLOT_MINUTES))
    event.add("summary", summary)
    event.add("description", description)
    event.add("categories", [network])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -REMIND_BEFORE)
    event.add_component(alarm)
    return event


def _date_event(occurrence: DateOccurrence, stamp: datetime, t: Translate) -> Event:
    # Imported on first use: most runs never build one, and the bot starts lighter.
    from icalendar import Event

    source = occurrence.entry.source
    event = Event()
    event.add("uid", f"{occurrence.day.isoformat()}-{occurrence.entry.id}@library-smm-bot")
    event.add("dtstamp", stamp)
    event.add("dtstart", occurrence.day)
    event.add("dtend", occurrence.day + timedelta(days=1))
    event.add("summary", t("doc.ics.libdate_summary", title=library_date_title(occurrence, t)))
    event.add(
        "description",
        t(
            "doc.ics.libdate_description",
            source=source_title(source, t),
            year=source.year,
            url=source.url,
        ),
    )
    event.add("categories", [rubric_name(LITERARY_RUBRIC, t)])
    event.add("transp", "TRANSPARENT")
    return event


def calendar_ics(advice: StrategyAdvice, plan: CalendarPlan, t: Translate) -> bytes:
    """``plan`` as iCalendar in the library's zone."""
    # Imported on first use: most runs never build one, and the bot starts lighter.
    from icalendar import Calendar, vText

    zone = ZoneInfo(advice.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//library-smm-bot//content calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", t("doc.ics.name", name=advice.library_name or "—"))
    calendar.add("x-wr-timezone", advice.timezone)
    description = _description(plan, t)
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", vText(description))
    # A fixed stamp keeps the file reproducible for the same strategy and start date.
    stamp = datetime.combine(plan.start, time(0, 0), tzinfo=UTC)
    for post in plan.posts:
        calendar.add_component(_post_event(post, zone, stamp, t))
    for occurrence in plan.library_dates:
        calendar.add_component(_date_event(occurrence, stamp, t))
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical


def build_calendar_ics(
    advice: StrategyAdvice, t: Translate, start: date, weeks: int = DEFAULT_WEEKS
) -> bytes:
    """Events for ``weeks`` weeks of slots, the first week starting on ``start``."""
    return calendar_ics(advice, plan_calendar(advice, start, weeks, locale=t.locale), t)
