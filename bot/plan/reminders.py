"""When a post's reminder is due. Pure: the job passes the clock and the library's zone.

The reminder's identity names what it reminds of (day, time, and the "Later" moment), so a
moved or postponed post is reminded again and nothing else is reminded twice; a change of
the library's time zone moves the moment, not the identity.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.plan.slots import local_moment

REMIND_BEFORE = timedelta(hours=1)
SNOOZE = timedelta(hours=1)
""""Later" asks again after this long."""
GRACE = timedelta(hours=2)
"""A reminder is still worth sending this long after its moment (a restart, a slow tick);
later than that the post time has long passed and a reminder would only be noise."""


def reminder_identity(day: date, hhmm: str, snooze_until: datetime | None) -> str:
    later = f" later {snooze_until:%Y-%m-%dT%H:%MZ}" if snooze_until else ""
    return f"{day.isoformat()} {hhmm}{later}"


def remind_at(day: date, hhmm: str, zone: ZoneInfo, snooze_until: datetime | None) -> datetime:
    return snooze_until or local_moment(day, hhmm, zone) - REMIND_BEFORE


def reminder_due(
    day: date,
    hhmm: str,
    zone: ZoneInfo,
    *,
    snooze_until: datetime | None,
    reminded: str | None,
    now: datetime,
) -> str | None:
    """The identity of the reminder to send now, or None."""
    identity = reminder_identity(day, hhmm, snooze_until)
    if identity == reminded:
        return None
    moment = remind_at(day, hhmm, zone, snooze_until)
    return identity if moment <= now < moment + REMIND_BEFORE + GRACE else None
