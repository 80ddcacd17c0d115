"""Buttons and states of the plan. Reminders built by bot.plan_service pack the same way."""

from __future__ import annotations

from dataclasses import replace

from aiogram.filters import Filter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import TelegramObject

from bot.plan_service import CALLBACK_PREFIX

PLAN_DESTINY = "plan"


class PlanCb(CallbackData, prefix=CALLBACK_PREFIX):
    """``a`` the action, ``p`` the post (0 for the plan itself), ``v`` an argument."""

    a: str
    p: int = 0
    v: str = ""


class PlanStates(StatesGroup):
    text = State()
    """Waiting for a post's new text or photo (``data``: post id)."""
    channel = State()
    """Waiting for a forwarded channel post or an @username."""
    checkin = State()
    """The monthly check-in: waiting for a network's followers (``data``: what is left)."""
    reach = State()
    """The monthly check-in: waiting for the month's reach (or Skip)."""


def plan_context(state: FSMContext) -> FSMContext:
    """The same chat and user, under the plan's own destiny: the wizard keeps its place."""
    return FSMContext(storage=state.storage, key=replace(state.key, destiny=PLAN_DESTINY))


class InPlanState(Filter):
    def __init__(self, *states: State) -> None:
        self.states = {s.state for s in states}

    async def __call__(self, event: TelegramObject, state: FSMContext) -> bool:
        return await plan_context(state).get_state() in self.states
