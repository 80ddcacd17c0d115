"""Inline keyboards, built like aiogram's builder without its deep copies."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton
from aiogram.utils.keyboard import InlineKeyboardBuilder


class Keyboard(InlineKeyboardBuilder):
    """aiogram's ``InlineKeyboardBuilder`` with the same rules and limits, minus the cost.

    The builder deep-copies every button already added on each ``button()``, ``attach()``
    and ``as_markup()``: a quarter of the bot's CPU time per wizard update, measured in
    ``bench/dispatch.py``. Our buttons are never changed once added, so copying the rows
    keeps the builder's contract (an exported markup does not change with the builder).
    """

    def export(self) -> list[list[InlineKeyboardButton]]:
        return [list(row) for row in self._markup]
