"""Documents built from a strategy: DOCX, iCalendar and a PNG of a typical week (pure)."""

from bot.documents.calendar_ics import build_calendar_ics
from bot.documents.strategy_docx import build_strategy_docx
from bot.documents.week_png import build_week_png

__all__ = ["build_calendar_ics", "build_strategy_docx", "build_week_png"]
