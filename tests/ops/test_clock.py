"""One text form for times in the database, shared by Python and SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import aiosqlite
from hypothesis import given
from hypothesis import strategies as st

from bot.clock import SQL_NOW, from_db, to_db

moments = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def _to_millisecond(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def test_milliseconds_utc_and_z() -> None:
    moment = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=3)))
    assert to_db(moment) == "2026-03-01T09:00:00.123Z"


async def test_sql_now_has_the_same_form() -> None:
    async with aiosqlite.connect(":memory:") as db:
        cursor = await db.execute(f"SELECT {SQL_NOW}")
        row = await cursor.fetchone()
    assert row is not None
    (text,) = row
    assert len(text) == len(to_db(datetime.now(UTC)))
    assert abs(from_db(text) - datetime.now(UTC)) < timedelta(minutes=5)


@given(moments, moments)
def test_text_order_is_time_order_also_against_old_six_digit_rows(
    a: datetime, b: datetime
) -> None:
    assert (to_db(a) < to_db(b)) == (_to_millisecond(a) < _to_millisecond(b))
    assert from_db(to_db(a)) == _to_millisecond(a)
    old_a = a.strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # how the outbox wrote times before
    assert from_db(old_a) == a
    # An old row is due once its millisecond has come (a digit sorts before "Z").
    assert (old_a < to_db(b)) == (_to_millisecond(a) <= _to_millisecond(b))
