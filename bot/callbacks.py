"""Callback data of every inline button. Short prefixes: Telegram allows 64 bytes."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class QuestionCb(CallbackData, prefix="q"):
    """A button under a wizard question; ``s`` and ``q`` make stale buttons detectable."""

    action: str  # pick | toggle | done | back | skip | keep
    s: int
    q: str
    v: str = ""


class StepCb(CallbackData, prefix="st"):
    action: str  # next | edit | finish
    s: int
    step: str = ""


class StrategyCb(CallbackData, prefix="sg"):
    action: str  # open | new
    s: int = 0


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class AdviceCb(CallbackData, prefix="adv"):
    """ "Read more" under a finished strategy's advice: every item of one step."""

    s: int
    step: str


class ExportCb(CallbackData, prefix="exp"):
    """The files of a finished strategy again: ``f`` is docx | ics | png | all."""

    s: int
    f: str = "all"


class CalendarCb(CallbackData, prefix="cal"):
    """The calendar of a finished strategy for ``w`` weeks (one of CALENDAR_WEEKS)."""

    s: int
    w: int
