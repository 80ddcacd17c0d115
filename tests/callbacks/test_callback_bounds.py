"""Buttons with numbers no database id can have: a polite answer, nothing changes.

Callback data comes from the client, so anyone can send ``q:pick:99999999999999999999:…``.
Every callback class with a number field is fed huge and negative numbers, with every
action its handlers know, by a staff member who is mid-wizard and has a survey.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery
from aiogram.utils.i18n import I18n

import handlers
from bot.db.engine import Database
from bot.i18n import Translator
from bot.plan.buttons import PlanAction
from handlers.strategy.callbacks import QuestionAction, StepAction, StrategyAction
from handlers.survey.callbacks import StaffAction
from tests.chat import ChatUser
from tests.engines import table_names
from tests.profiles import WIZARD_RURAL_RU
from tests.survey.bot_helpers import survey_with_link
from tests.wizard_driver import complete_wizard

# Every action value the handlers filter on, per callback prefix (unknown ones are harmless).
_ACTIONS: dict[str, tuple[str, ...]] = {
    "q": tuple(QuestionAction),
    "st": tuple(StepAction),
    "sg": tuple(StrategyAction),
    "sr": ("go", "pick", "tog", "done", "skip", "back", "send", "edit"),
    "ss": tuple(StaffAction),
    "pl": tuple(PlanAction),
}
_BAD_NUMBERS = ("99999999999999999999", str(2**63), "-2", "-99999999999999999999")


def _callback_classes() -> list[type[CallbackData]]:
    handlers.create_router()  # every callback class is defined by now
    found: list[type[CallbackData]] = []
    pending = list(CallbackData.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending += cls.__subclasses__()
    return found


def _forged(cls: type[CallbackData], field: str, number: str) -> list[str]:
    """Packed data of ``cls`` with ``number`` in ``field`` and plausible other values."""
    prefix: str = cls.__prefix__
    actions = _ACTIONS.get(prefix, ("x",))
    forged = []
    for action in actions:
        values: list[str] = []
        for name, info in cls.model_fields.items():
            if name == field:
                values.append(number)
            elif info.annotation is str or _is_action(info.annotation):
                values.append(action if not values else "lib_name")
            else:
                values.append("1")
        forged.append(":".join([prefix, *values]))
    return forged


def _is_action(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, StrEnum)


def _int_fields(cls: type[CallbackData]) -> list[str]:
    return [name for name, info in cls.model_fields.items() if info.annotation is int]


async def _tables(db: Database) -> dict[str, list[Any]]:
    return {
        name: [tuple(row) for row in await db.execute_fetchall(f"SELECT * FROM {name}")]
        for name in await table_names(db)
    }


async def test_out_of_range_numbers_in_any_button_are_refused_politely(
    anna: ChatUser, db: Database, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, ru, stop_at_step=3)
    (library,) = await anna.dispatcher["repo"].libraries.of_user(anna.user.id)
    await survey_with_link(db, library)

    classes = _callback_classes()
    prefixes = {cls.__prefix__ for cls in classes}
    assert {"q", "st", "sg", "adv", "exp", "sr", "ss", "pl"} <= prefixes
    before = await _tables(db)
    polite = {ru("cb.unknown"), ru("survey.reader.old_button"), ru("cb.stale")}
    fed = 0
    for cls in classes:
        for field in _int_fields(cls):
            for number in _BAD_NUMBERS:
                for data in _forged(cls, field, number):
                    requests = await anna.press_data(data)
                    (answer,) = [r for r in requests if isinstance(r, AnswerCallbackQuery)]
                    assert answer.text in polite, (data, answer.text)
                    assert ru("error.generic") not in anna.texts(requests), data
                    fed += 1
    assert fed > 100
    # Nothing was written: not an answer, not a state, not a notification.
    after = await _tables(db)
    assert after == before
