"""Callback data of the wizard's and strategies' buttons. Short prefixes and action values:
Telegram allows 64 bytes, and the values are what buttons already sitting in chats carry, so
they never change (tests/callbacks/test_callback_wire.py); the names in code may."""

from __future__ import annotations

from enum import StrEnum
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


class QuestionAction(StrEnum):
    PICK = "pick"
    TOGGLE = "toggle"
    DONE = "done"
    BACK = "back"
    SKIP = "skip"
    KEEP = "keep"


class QuestionCb(CallbackData, prefix="q"):
    """A button under a wizard question; the strategy and question make stale buttons
    detectable; ``value`` is the option's."""

    action: QuestionAction
    strategy_id: RowId
    question: str
    value: str = ""


class StepAction(StrEnum):
    NEXT = "next"
    EDIT = "edit"
    FINISH = "finish"


class StepCb(CallbackData, prefix="st"):
    action: StepAction
    strategy_id: RowId
    step: str = ""


class StrategyAction(StrEnum):
    OPEN = "open"
    NEW = "new"
    COPY = "copy"
    DELETE = "delete"
    DELETE_CONFIRM = "delete_yes"
    DELETE_CANCEL = "delete_no"
    REOPEN = "reopen"


class StrategyCb(CallbackData, prefix="sg"):
    action: StrategyAction
    strategy_id: RowId = 0


class AdviceCb(CallbackData, prefix="adv"):
    """ "Read more" under a finished strategy's advice: every item of one step."""

    strategy_id: RowId
    step: str


class ExportCb(CallbackData, prefix="exp"):
    """The files of a finished strategy again: ``file`` is docx | ics | png | all."""

    strategy_id: RowId
    file: str = "all"


class CalendarCb(CallbackData, prefix="cal"):
    """The calendar of a finished strategy for a number of weeks (one of CALENDAR_WEEKS)."""

    strategy_id: RowId
    weeks: Annotated[int, Field(ge=1, le=104)]
