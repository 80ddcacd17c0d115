"""Shared pieces of the survey handlers: states in their own destinies, editor steps.

Survey conversations keep their FSM state apart from the wizard's (the default destiny): the
editor under its own destiny, a reader under their pseudonym (``reader_state``, see
:mod:`bot.readers`), so a librarian who creates a survey, or tests their own as a reader,
keeps their place in the wizard.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from aiogram import F, Router
from aiogram.dispatcher.event.handler import CallbackType
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, TelegramObject

from bot.access import IsStaff
from bot.i18n import Translate
from handlers.keyboards import Keyboard
from handlers.message_edits import edit_markup
from handlers.survey.callbacks import StaffCb

EDITOR_DESTINY = "survey_editor"


def destiny_context(state: FSMContext, destiny: str) -> FSMContext:
    """The same chat and user as ``state``, under another destiny."""
    return FSMContext(storage=state.storage, key=replace(state.key, destiny=destiny))


def editor_context(state: FSMContext) -> FSMContext:
    return destiny_context(state, EDITOR_DESTINY)


class InDestiny(Filter):
    """Passes when the user's state under ``destiny`` is one of ``states``."""

    def __init__(self, destiny: str, *states: State) -> None:
        self.destiny = destiny
        self.states = {s.state for s in states}

    async def __call__(self, event: TelegramObject, state: FSMContext) -> bool:
        return await destiny_context(state, self.destiny).get_state() in self.states


class InReaderState(Filter):
    """Passes when the reader's state (kept under their pseudonym) is one of ``states``."""

    def __init__(self, *states: State) -> None:
        self.states = {s.state for s in states}

    async def __call__(self, event: TelegramObject, reader_state: FSMContext | None) -> bool:
        return reader_state is not None and await reader_state.get_state() in self.states


def data_int(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    return value if isinstance(value, int) else 0


def one_button(text: str, callback: StaffCb) -> InlineKeyboardMarkup:
    builder = Keyboard()
    builder.button(text=text, callback_data=callback)
    return builder.as_markup()


def register_typed(router: Router, handler: CallbackType, *states: State) -> None:
    """Staff's typed text (not a command) while the editor waits in one of ``states``."""
    router.message.register(
        handler, InDestiny(EDITOR_DESTINY, *states), F.text, ~F.text.startswith("/"), IsStaff()
    )


async def pressed_in_step(
    callback: CallbackQuery, state: FSMContext, expected: State, t: Translate
) -> FSMContext | None:
    """The editor, if the pressed button belongs to the step being asked (its buttons go)."""
    editor = editor_context(state)
    if await editor.get_state() != expected.state:
        await callback.answer(t("cb.stale"))
        return None
    await callback.answer()
    await edit_markup(callback, None)
    return editor
