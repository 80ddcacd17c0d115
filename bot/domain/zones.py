"""Time zones of libraries, as stored: an IANA name that may be empty or unknown."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

logger = logging.getLogger(__name__)


def library_zone(name: str) -> ZoneInfo:
    """The library's IANA time zone; UTC when the stored name is empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("unknown time zone, using UTC", extra={"timezone": name})
        return ZoneInfo("UTC")
