"""The plan's buttons as data: which buttons a message offers, without Telegram's types.

The service decides what a message carries; ``handlers.plan.callbacks.inline_markup``
turns it into Telegram's keyboard with the plan's own callback data, so a button sent
from a job and one drawn by a handler pack the same way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    """Locale key of the button's text."""
    action: str
    post_id: int = 0
    arg: str = ""


Keyboard = tuple[tuple[Button, ...], ...]


def week_keyboard() -> Keyboard:
    return ((Button("plan.btn.open_plan", "week"),),)


def reminder_keyboard(post_id: int) -> Keyboard:
    return (
        (
            Button("plan.btn.posted", "posted", post_id),
            Button("plan.btn.later", "later", post_id),
            Button("plan.btn.skip", "skip", post_id),
        ),
        (Button("plan.btn.open", "open", post_id, "new"),),
    )


def checkin_keyboard(library_id: int) -> Keyboard:
    return ((Button("plan.btn.checkin", "ci", 0, str(library_id)),),)


def review_keyboard(library_id: int) -> Keyboard:
    return ((Button("plan.btn.new_period", "np", 0, str(library_id)),),)
