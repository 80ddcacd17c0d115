"""When a weekly local-time event (the digest) happens next, in UTC. Pure."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)


def next_weekly_run(after_utc: datetime, weekday: int, hour: int, tz: ZoneInfo) -> datetime:
    """The first moment strictly after ``after_utc`` that is ``weekday`` (0 = Monday) at
    ``hour``:00 on the wall clock of ``tz``, as an aware UTC datetime.

    Around daylight-saving changes: an hour skipped by spring-forward (02:00 in New York)
    resolves to the same instant an hour later on the new clock (03:00), so the week still
    has its run; an hour repeated in autumn runs at its first occurrence only.
    """
    if after_utc.tzinfo is None:
        raise ValueError("after_utc must be timezone-aware")
    if not 0 <= weekday <= 6 or not 0 <= hour <= 23:
        raise ValueError(f"weekday 0..6 and hour 0..23 expected, got {weekday}, {hour}")
    local_day = after_utc.astimezone(tz).date()
    # Eight days cover "later today" through "this weekday next week".
    for offset in range(8):
        day = local_day + timedelta(days=offset)
        if day.weekday() != weekday:
            continue
        # fold=0: the first of a repeated hour; a skipped hour maps through the old offset.
        candidate = datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)
        if candidate > after_utc:
            return candidate
    raise AssertionError("unreachable: a weekday recurs within eight days")
