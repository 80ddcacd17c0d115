"""next_weekly_run across daylight-saving changes and in Russian time zones."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.zones import library_zone
from bot.scheduling.weekly import next_weekly_run
from tests.ops.fakes import utc

NEW_YORK = ZoneInfo("America/New_York")
MONDAY = 0
SUNDAY = 6


def runs(start: datetime, count: int, weekday: int, hour: int, tz: ZoneInfo) -> list[datetime]:
    found, after = [], start
    for _ in range(count):
        after = next_weekly_run(after, weekday, hour, tz)
        found.append(after)
    return found


def test_new_york_keeps_nine_local_across_both_dst_changes() -> None:
    spring = runs(utc(2026, 3, 1), 2, MONDAY, 9, NEW_YORK)  # DST starts Sunday 8 March
    assert spring == [utc(2026, 3, 2, 14), utc(2026, 3, 9, 13)]
    autumn = runs(utc(2026, 10, 25), 2, MONDAY, 9, NEW_YORK)  # DST ends Sunday 1 November
    assert autumn == [utc(2026, 10, 26, 13), utc(2026, 11, 2, 14)]
    for moment in spring + autumn:
        local = moment.astimezone(NEW_YORK)
        assert (local.weekday(), local.hour, local.minute) == (MONDAY, 9, 0)


def test_hour_skipped_by_spring_forward_runs_an_hour_later_on_the_new_clock() -> None:
    first, second = runs(utc(2026, 3, 7, 12), 2, SUNDAY, 2, NEW_YORK)
    assert first == utc(2026, 3, 8, 7)  # 03:00 EDT: 02:00 does not exist that night
    assert first.astimezone(NEW_YORK).hour == 3
    assert second == utc(2026, 3, 15, 6)  # 02:00 EDT the week after
    assert second - first == timedelta(days=7) - timedelta(hours=1)


def test_hour_repeated_in_autumn_runs_once_at_its_first_occurrence() -> None:
    first = next_weekly_run(utc(2026, 10, 31, 12), SUNDAY, 1, NEW_YORK)
    assert first == utc(2026, 11, 1, 5)  # 01:00 EDT
    # Between the two 01:00s (01:30 EDT), the next run is a week later, not 01:00 EST.
    assert next_weekly_run(utc(2026, 11, 1, 5, 30), SUNDAY, 1, NEW_YORK) == utc(2026, 11, 8, 6)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/Kaliningrad", utc(2026, 1, 5, 7)),  # UTC+2
        ("Europe/Moscow", utc(2026, 1, 5, 6)),  # UTC+3
        ("Europe/Samara", utc(2026, 1, 5, 5)),  # UTC+4
        ("Asia/Yekaterinburg", utc(2026, 1, 5, 4)),  # UTC+5
        ("Asia/Novosibirsk", utc(2026, 1, 5, 2)),  # UTC+7
        ("Asia/Vladivostok", utc(2026, 1, 4, 23)),  # UTC+10: still Sunday in UTC
        ("Asia/Kamchatka", utc(2026, 1, 4, 21)),  # UTC+12
    ],
)
def test_russian_zones_monday_nine(zone: str, expected: datetime) -> None:
    assert next_weekly_run(utc(2026, 1, 1), MONDAY, 9, ZoneInfo(zone)) == expected


def test_moscow_has_no_dst_so_the_utc_time_never_moves() -> None:
    year = runs(utc(2026, 1, 1), 52, MONDAY, 9, ZoneInfo("Europe/Moscow"))
    assert {(m.weekday(), m.hour) for m in year} == {(MONDAY, 6)}
    assert all(b - a == timedelta(days=7) for a, b in itertools.pairwise(year))


def test_strictly_after_and_same_day() -> None:
    moscow = ZoneInfo("Europe/Moscow")
    slot = utc(2026, 1, 5, 6)
    assert next_weekly_run(slot - timedelta(microseconds=1), MONDAY, 9, moscow) == slot
    assert next_weekly_run(slot, MONDAY, 9, moscow) == slot + timedelta(days=7)


def test_rejects_naive_times_and_bad_arguments() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_weekly_run(datetime(2026, 1, 1), MONDAY, 9, NEW_YORK)  # noqa: DTZ001
    with pytest.raises(ValueError, match="weekday"):
        next_weekly_run(utc(2026, 1, 1), 7, 9, NEW_YORK)


def test_unknown_zone_falls_back_to_utc() -> None:
    assert library_zone("Mars/Olympus_Mons") == ZoneInfo("UTC")
    assert library_zone("") == ZoneInfo("UTC")
    assert library_zone("Asia/Omsk") == ZoneInfo("Asia/Omsk")


ZONES = ["America/New_York", "Europe/Moscow", "Asia/Kamchatka", "Europe/London", "UTC"]


@settings(max_examples=300, deadline=None)
@given(
    # Naive bounds are what hypothesis wants; the test attaches UTC.
    after=st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001
        max_value=datetime(2035, 1, 1),  # noqa: DTZ001
    ),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    zone=st.sampled_from(ZONES),
)
def test_next_run_is_the_next_matching_local_hour(
    after: datetime, weekday: int, hour: int, zone: str
) -> None:
    tz = ZoneInfo(zone)
    after_utc = after.replace(tzinfo=UTC)
    result = next_weekly_run(after_utc, weekday, hour, tz)
    assert after_utc < result <= after_utc + timedelta(days=7, hours=1)
    local = result.astimezone(tz)
    assert local.weekday() == weekday
    assert local.minute == 0
    # Off by an hour only where the wall clock skipped the hour (spring forward).
    assert local.hour == hour or local.hour == (hour + 1) % 24
    assert next_weekly_run(result, weekday, hour, tz) - result >= timedelta(days=6, hours=23)
