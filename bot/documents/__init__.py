"""Documents built from a strategy: DOCX, iCalendar and a PNG of a typical week (pure).

The builders are reached lazily: python-docx, matplotlib and icalendar load only when a
document is first built, not when the bot starts.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.documents.calendar_ics import build_calendar_ics
    from bot.documents.strategy_docx import build_strategy_docx
    from bot.documents.week_png import build_week_png

__all__ = ["build_calendar_ics", "build_strategy_docx", "build_week_png"]

_HOME = {
    "build_calendar_ics": "bot.documents.calendar_ics",
    "build_strategy_docx": "bot.documents.strategy_docx",
    "build_week_png": "bot.documents.week_png",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(name)
