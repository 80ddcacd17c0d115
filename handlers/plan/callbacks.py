"""Buttons and states of the plan; the service's buttons (bot.plan.buttons) are drawn here."""

from __future__ import annotations

from dataclasses import replace

from aiogram.filters import Filter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, TelegramObject

from bot.domain.translate import Translate
from bot.plan.buttons import Keyboard, PlanAction
from handlers.strategy.callbacks import RowId

PLAN_DESTINY = "plan"
CALLBACK_PREFIX = "pl"


class PlanCb(CallbackData, prefix=CALLBACK_PREFIX):
    """A plan button: ``post_id`` names the post (0 for the plan itself), ``value`` the
    argument (a library id, a day, ...). The wire form ``pl:<action>:<post>:<value>`` is what
    buttons already sitting in chats carry (tests/callbacks/test_callback_wire.py)."""

    action: PlanAction
    post_id: RowId = 0
    value: str = ""


def inline_markup(keyboard: Keyboard, t: Translate) -> InlineKeyboardMarkup:
    """The plan's buttons as Telegram's keyboard (``bot.services.plans.Markup``)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t(button.label),
                    callback_data=PlanCb(
                        action=button.action, post_id=button.post_id, value=button.arg
                    ).pack(),
                )
                for button in row
            ]
            for row in keyboard
        ]
    )


class PlanStates(StatesGroup):
    text = State()
    """Waiting for a post's new text or photo (``data``: post id)."""
    channel = State()
    """Waiting for a forwarded channel post or an @username."""
    checkin = State()
    """The monthly check-in: waiting for the next number (``data``: the questions left)."""
    reach = State()
    """Of an older version's check-in (its last question); such a check-in begins again."""


def plan_context(state: FSMContext) -> FSMContext:
    """The same chat and user, under the plan's own destiny: the wizard keeps its place."""
    return FSMContext(storage=state.storage, key=replace(state.key, destiny=PLAN_DESTINY))


class InPlanState(Filter):
    def __init__(self, *states: State) -> None:
        self.states = {s.state for s in states}

    async def __call__(self, event: TelegramObject, state: FSMContext) -> bool:
        return await plan_context(state).get_state() in self.states
