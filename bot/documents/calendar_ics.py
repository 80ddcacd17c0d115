"""A content calendar (.ics) of the next four weeks, in the library's time zone.

Every posting slot is its own event so each week can carry a different rubric; times are
TZID-aware and the calendar carries the VTIMEZONE, so Yandex, Google and Outlook show the
slots at the library's local time wherever the reader's phone is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from bot.advice.models import StrategyAdvice
from bot.documents.common import network_name, rubric_name
from bot.domain.translate import Translate

SLOT_MINUTES = 30
REMIND_BEFORE = timedelta(hours=1)


def _slot_date(start: date, weekday: int, week: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 + 7 * week)


def build_calendar_ics(advice: StrategyAdvice, t: Translate, start: date) -> bytes:
    """Events for every slot of ``advice.weeks``, the first week starting on ``start``."""
    zone = ZoneInfo(advice.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//library-smm-bot//content calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", t("doc.ics.name", name=advice.library_name or "—"))
    calendar.add("x-wr-timezone", advice.timezone)
    # A fixed stamp keeps the file reproducible for the same strategy and start date.
    stamp = datetime.combine(start, time(0, 0), tzinfo=UTC)
    for week, slots in enumerate(advice.weeks):
        for slot in slots:
            day = _slot_date(start, slot.weekday, week)
            hour, minute = (int(part) for part in slot.time.split(":"))
            begin = datetime.combine(day, time(hour, minute), tzinfo=zone)
            network = network_name(slot.network, t)
            rubric = rubric_name(slot.rubric, t)
            event = Event()
            event.add("uid", f"{day.isoformat()}-{slot.time}-{slot.network}@library-smm-bot")
            event.add("dtstamp", stamp)
            event.add("dtstart", begin)
            event.add("dtend", begin + timedelta(minutes=SLOT_MINUTES))
            event.add("summary", t("doc.ics.summary", network=network, rubric=rubric))
            event.add("description", t("doc.ics.description", network=network, rubric=rubric))
            event.add("categories", [network])
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", t("doc.ics.summary", network=network, rubric=rubric))
            alarm.add("trigger", -REMIND_BEFORE)
            event.add_component(alarm)
            calendar.add_component(event)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical
