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

_DB_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utc_now() -> datetime:
    return datetime.now(UTC)


async def real_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


def to_db(moment: datetime) -> str:
    """Fixed-width UTC text, so SQL compares times as strings correctly."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime; pass an aware UTC time")
    return moment.astimezone(UTC).strftime(_DB_FORMAT)


def from_db(text: str) -> datetime:
    return datetime.strptime(text, _DB_FORMAT).replace(tzinfo=UTC)
