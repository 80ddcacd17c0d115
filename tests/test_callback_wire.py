"""The bytes of buttons already sitting in chats: renaming a field or an action in code must
not change them, or every old button stops working."""

from __future__ import annotations

import pytest
from aiogram.filters.callback_data import CallbackData

from handlers.strategy.callbacks import LanguageCb, QuestionCb, StepCb, StrategyCb
from handlers.survey.common import ForgetCb, ReaderCb, StaffCb

WIRE: list[tuple[CallbackData, str]] = [
    (QuestionCb(action="toggle", s=12, q="goal_families", v="a"), "q:toggle:12:goal_families:a"),
    (QuestionCb(action="done", s=12, q="goal_families"), "q:done:12:goal_families:"),
    (StepCb(action="edit", s=3, step="goals"), "st:edit:3:goals"),
    (StrategyCb(action="open", s=5), "sg:open:5"),
    (LanguageCb(code="en"), "lang:en"),
    (ReaderCb(a="pick", s=7, q="sv_age", o=2), "sr:pick:7:sv_age:2"),
    (ReaderCb(a="go", s=7), "sr:go:7::-1"),
    (StaffCb(a="closeyes", s=3), "ss:closeyes:3:"),
    (StaffCb(a="kind", s=3, v="poster"), "ss:kind:3:poster"),
    (ForgetCb(a="yes"), "sf:yes"),
]


@pytest.mark.parametrize(("data", "wire"), WIRE, ids=[wire for _, wire in WIRE])
def test_buttons_keep_their_wire_form(data: CallbackData, wire: str) -> None:
    assert data.pack() == wire
    assert type(data).unpack(wire) == data
