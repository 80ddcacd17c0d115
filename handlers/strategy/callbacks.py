"""Callback data of every inline button. Short prefixes: Telegram allows 64 bytes."""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

MAX_ROW_ID = 2**63 - 1
"""The largest id SQLite stores; a bigger number in a button cannot name anything."""

RowId = Annotated[int, Field(ge=0, le=MAX_ROW_ID)]
"""A database id in a button (0 = none yet). Out of range, the data does not unpack, so the
button gets the polite "unknown button" answer instead of reaching SQL."""

OptionIndex = Annotated[int, Field(ge=-1, le=999)]
"""The position of an answer choice in a button (-1 = none)."""


class QuestionCb(CallbackData, prefix="q"):
    """A button under a wizard question; ``s`` and ``q`` make stale buttons detectable."""

    action: str  # pick | toggle | done | back | skip | keep
    s: RowId
    q: str
    v: str = ""


class StepCb(CallbackData, prefix="st"):
    action: str  # next | edit | finish
    s: RowId
    step: str = ""


class StrategyCb(CallbackData, prefix="sg"):
    action: str  # open | new
    s: RowId = 0


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class AdviceCb(CallbackData, prefix="adv"):
    """ "Read more" under a finished strategy's advice: every item of one step."""

    s: RowId
    step: str


class ExportCb(CallbackData, prefix="exp"):
    """The files of a finished strategy again: ``f`` is docx | ics | png | all."""

    s: RowId
    f: str = "all"


class CalendarCb(CallbackData, prefix="cal"):
    """The calendar of a finished strategy for ``w`` weeks (one of CALENDAR_WEEKS)."""

    s: RowId
    w: Annotated[int, Field(ge=1, le=104)]
