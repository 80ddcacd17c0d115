"""Callback data of the survey's buttons: the staff's and the readers'. Short prefixes and
action values: Telegram allows 64 bytes, and the values are what buttons already sitting in
chats carry, so they never change (tests/callbacks/test_callback_wire.py); the names in code
may."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from handlers.strategy.callbacks import OptionIndex, RowId


class StaffAction(StrEnum):
    # Creating a survey (no survey yet) and the editor's steps.
    NEW = "new"
    TOGGLE_QUESTION = "qt"
    QUESTIONS_DONE = "qnext"
    NO_PLACES = "noplaces"
    NO_DATE = "nodate"
    NO_CAP = "nocap"
    # A survey's card and what it leads to.
    CARD = "card"
    RESULTS = "res"
    CHARTS = "charts"
    CSV = "csv"
    XLSX = "xlsx"
    SOURCES = "sources"
    APPLY = "apply"
    APPLY_CONFIRM = "apply_ok"
    APPLY_CANCEL = "apply_no"
    RUN_AGAIN = "again"
    COMPARE_WAVES = "waves"
    EDIT_MENU = "edit"
    EDIT_FIELD = "ed"
    ADD_SOURCE = "src"
    SOURCE_KIND = "kind"
    NO_LABEL = "nolabel"
    CLOSE = "close"
    CLOSE_CONFIRM = "closeyes"
    PULSE = "pulse"


class StaffCb(CallbackData, prefix="ss"):
    """A staff button about a survey (0 before it exists); ``value`` a question or a kind."""

    action: StaffAction
    survey_id: RowId = 0
    value: str = ""


class PosterCb(CallbackData, prefix="sp"):
    """The printable poster of one link of a survey."""

    survey_id: RowId
    source_id: RowId


class ReaderAction(StrEnum):
    BEGIN = "go"
    PICK = "pick"
    TOGGLE = "tog"
    DONE = "done"
    SKIP = "skip"
    BACK = "back"
    SEND = "send"
    CHANGE_ANSWERS = "edit"


class ReaderCb(CallbackData, prefix="sr"):
    """A reader's button: the survey, the question it answers, the option's position."""

    action: ReaderAction
    survey_id: RowId
    question: str = ""
    option: OptionIndex = -1


class ForgetAction(StrEnum):
    CONFIRM = "yes"
    CANCEL = "no"


class ForgetCb(CallbackData, prefix="sf"):
    """The reader's answer to "delete all my answers?" (/forget)."""

    action: ForgetAction
