"""Time in one place: UTC "now", and the text form times take in the database.

Everything that waits or reads the time takes these as parameters, so tests drive a fake
clock instead of sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

Now = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]

# One form in Python and SQL, milliseconds as SQLite writes them. Older six-digit rows still
# compare correctly: at equal milliseconds a digit sorts before "Z".
SQL_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

_DB_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # parses 3 (ours, SQLite's) and 6 (older rows) digits


def utc_now() -> datetime:
    return datetime.now(UTC)


async def real_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


def to_db(moment: datetime) -> str:
    """Fixed-width UTC text, so SQL compares times as strings correctly."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime; pass an aware UTC time")
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def from_db(text: str) -> datetime:
    return datetime.strptime(text, _DB_FORMAT).replace(tzinfo=UTC)
