"""The plan's buttons as data: which buttons a message offers, without Telegram's types.

The service decides what a message carries; ``handlers.plan.callbacks.inline_markup``
turns it into Telegram's keyboard with the plan's own callback data, so a button sent
from a job and one drawn by a handler pack the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PlanAction(StrEnum):
    """What a plan button does. The values are what buttons already sitting in chats carry
    (tests/callbacks/test_callback_wire.py): they never change, the names may."""

    WEEK = "week"
    OPEN = "open"
    POSTED = "posted"
    SKIP = "skip"
    LATER = "later"
    WITHDRAW = "unpub"
    CHOOSE_DAY = "move"
    MOVE = "mv"
    EDIT = "edit"
    APPROVE = "pub"
    REMINDERS = "subs"
    WEEK_TIME = "wt"
    WEEK_DAY = "wd"
    WEEK_HOUR = "wh"
    CHANNEL = "chan"
    UNLINK = "unlink"
    CHECKIN = "ci"
    SKIP_NUMBER = "cr"
    NEW_PERIOD = "np"


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    """Locale key of the button's text."""
    action: PlanAction
    post_id: int = 0
    arg: str = ""


Keyboard = tuple[tuple[Button, ...], ...]


def week_keyboard() -> Keyboard:
    return ((Button("plan.btn.open_plan", PlanAction.WEEK),),)


def reminder_keyboard(post_id: int) -> Keyboard:
    return (
        (
            Button("plan.btn.posted", PlanAction.POSTED, post_id),
            Button("plan.btn.later", PlanAction.LATER, post_id),
            Button("plan.btn.skip", PlanAction.SKIP, post_id),
        ),
        (Button("plan.btn.open", PlanAction.OPEN, post_id, "new"),),
    )


def checkin_keyboard(library_id: int) -> Keyboard:
    return ((Button("plan.btn.checkin", PlanAction.CHECKIN, 0, str(library_id)),),)


def review_keyboard(library_id: int) -> Keyboard:
    return ((Button("plan.btn.new_period", PlanAction.NEW_PERIOD, 0, str(library_id)),),)
