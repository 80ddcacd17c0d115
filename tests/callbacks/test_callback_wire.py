"""The bytes of buttons already sitting in chats: renaming a field or an action in code must
not change them, or every old button stops working."""

from __future__ import annotations

from enum import StrEnum

import pytest
from aiogram.filters.callback_data import CallbackData

from handlers.admin import AdminCb
from handlers.common import LanguageCb
from handlers.library import LibraryCb
from handlers.plan.callbacks import PlanCb
from handlers.settings import SettingsCb
from handlers.strategy.callbacks import (
    AdviceCb,
    CalendarCb,
    ExportCb,
    QuestionCb,
    StepCb,
    StrategyCb,
)
from handlers.survey.callbacks import (
    ForgetAction,
    ForgetCb,
    PosterCb,
    ReaderAction,
    ReaderCb,
    StaffCb,
)
from handlers.team import TeamCb

WIRE: list[tuple[CallbackData, str]] = [
    (
        QuestionCb(action="toggle", strategy_id=12, question="goal_families", value="a"),
        "q:toggle:12:goal_families:a",
    ),
    (
        QuestionCb(action="done", strategy_id=12, question="goal_families"),
        "q:done:12:goal_families:",
    ),
    (StepCb(action="edit", strategy_id=3, step="goals"), "st:edit:3:goals"),
    (StrategyCb(action="open", strategy_id=5), "sg:open:5"),
    (LanguageCb(code="en"), "lang:en"),
    (ReaderCb(action="pick", survey_id=7, question="sv_age", option=2), "sr:pick:7:sv_age:2"),
    (ReaderCb(action="go", survey_id=7), "sr:go:7::-1"),
    (ReaderCb(action="tog", survey_id=7, question="sv_int", option=0), "sr:tog:7:sv_int:0"),
    (ReaderCb(action="done", survey_id=7, question="sv_int"), "sr:done:7:sv_int:-1"),
    (ReaderCb(action="skip", survey_id=7, question="sv_visits"), "sr:skip:7:sv_visits:-1"),
    (ReaderCb(action="back", survey_id=7, question="sv_visits"), "sr:back:7:sv_visits:-1"),
    (ReaderCb(action="send", survey_id=7), "sr:send:7::-1"),
    (ReaderCb(action="edit", survey_id=7), "sr:edit:7::-1"),
    (StaffCb(action="closeyes", survey_id=3), "ss:closeyes:3:"),
    (StaffCb(action="kind", survey_id=3, value="poster"), "ss:kind:3:poster"),
    (ForgetCb(action="yes"), "sf:yes"),
    (ForgetCb(action="no"), "sf:no"),
    (PosterCb(survey_id=3, source_id=9), "sp:3:9"),
    (AdviceCb(strategy_id=5, step="networks"), "adv:5:networks"),
    (ExportCb(strategy_id=5, file="ics"), "exp:5:ics"),
    (CalendarCb(strategy_id=5, weeks=13), "cal:5:13"),
    (AdminCb(action="manage", library_id=4), "adm:manage:4"),
    (LibraryCb(action="delete_yes", library_id=2), "lib:delete_yes:2"),
    (TeamCb(action="owner_yes", library_id=2, user_id=7), "tm:owner_yes:2:7"),
    (SettingsCb(action="notify"), "set:notify"),
    # The plan's buttons, as the old PlanCb(a=..., p=..., v=...) packed them; reminders and
    # weekly messages carrying them stay in staff chats for weeks.
    (PlanCb(action="week"), "pl:week:0:"),
    (PlanCb(action="open", post_id=12, value="new"), "pl:open:12:new"),
    (PlanCb(action="posted", post_id=12), "pl:posted:12:"),
    (PlanCb(action="skip", post_id=12), "pl:skip:12:"),
    (PlanCb(action="later", post_id=12), "pl:later:12:"),
    (PlanCb(action="unpub", post_id=12), "pl:unpub:12:"),
    (PlanCb(action="pub", post_id=12), "pl:pub:12:"),
    (PlanCb(action="edit", post_id=12), "pl:edit:12:"),
    (PlanCb(action="move", post_id=12), "pl:move:12:"),
    (PlanCb(action="mv", post_id=12, value="2026-01-14"), "pl:mv:12:2026-01-14"),
    (PlanCb(action="subs", value="3"), "pl:subs:0:3"),
    (PlanCb(action="wt", value="3"), "pl:wt:0:3"),
    (PlanCb(action="wd", value="3-0"), "pl:wd:0:3-0"),
    (PlanCb(action="wh", value="3-0-9"), "pl:wh:0:3-0-9"),
    (PlanCb(action="chan", value="3"), "pl:chan:0:3"),
    (PlanCb(action="unlink", value="3"), "pl:unlink:0:3"),
    (PlanCb(action="ci", value="3"), "pl:ci:0:3"),
    (PlanCb(action="cr"), "pl:cr:0:"),
    (PlanCb(action="np", value="3"), "pl:np:0:3"),
]


@pytest.mark.parametrize(("data", "wire"), WIRE, ids=[wire for _, wire in WIRE])
def test_buttons_keep_their_wire_form(data: CallbackData, wire: str) -> None:
    assert data.pack() == wire
    assert type(data).unpack(wire) == data


@pytest.mark.parametrize(
    ("callback", "actions"), [(ReaderCb, ReaderAction), (ForgetCb, ForgetAction)]
)
def test_every_reader_action_has_its_wire_row(
    callback: type[CallbackData], actions: type[StrEnum]
) -> None:
    """Readers' buttons stay in chats for weeks (a survey runs that long): each action's
    bytes are pinned above."""
    pinned = {
        data.action
        for data, _ in WIRE
        if isinstance(data, ReaderCb | ForgetCb) and type(data) is callback
    }
    assert pinned == set(actions)
