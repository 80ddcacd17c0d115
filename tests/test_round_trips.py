"""Database round trips per update, counted by the connection (bot/db/units.py), not timed.

Issue 9's target: at most 3 for a typical wizard or survey update: the first carries BEGIN,
the update id, the FSM rows and the user's row; the second the strategy with its answers; the
last every write the update made (answers, library profile, FSM) with the COMMIT.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from aiogram import Dispatcher
from aiogram.types import Update
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.factory import create_dispatcher
from bot.i18n import Translator
from bot.storage import DatabaseStorage
from handlers.strategy.states import Wizard
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.profiles import WIZARD_RURAL_RU
from tests.wizard_driver import answer_current, wizard_position

TARGET = 3


class CountingChat(ChatUser):
    """Records, for every update it feeds, its label and the round trips its unit made."""

    counted: list[tuple[str, int]]

    async def feed(
        self, update: Update, *, expect_error: bool = False, expect_refused: bool = False
    ) -> list[Any]:
        db = self.dispatcher["repo"].db
        units, trips = Counter(db.units), Counter(db.unit_round_trips)
        requests = await super().feed(
            update, expect_error=expect_error, expect_refused=expect_refused
        )
        (label,) = (db.units - units).keys()  # exactly one unit: this update's
        self.counted.append((label, db.unit_round_trips[label] - trips[label]))
        return requests


def counting_chat(dispatcher: Dispatcher, user_id: int, **kwargs: Any) -> CountingChat:
    chat = CountingChat(dispatcher, MockedBot(), user_id, **kwargs)
    chat.counted = []
    return chat


def remembering_dispatcher(db: Database, i18n: I18n, settings: Settings) -> Dispatcher:
    return create_dispatcher(
        repo=Repositories(db),
        storage=DatabaseStorage(db),
        i18n=i18n,
        settings=settings,
        remember_updates=True,  # as polling and the webhook run it
    )


async def test_wizard_answers_and_presses_take_at_most_three_round_trips(
    db: Database, i18n: I18n, settings: Settings
) -> None:
    t = Translator(i18n, "ru")
    anna = counting_chat(remembering_dispatcher(db, i18n, settings), 100, first_name="Анна")
    await anna.send("/start")
    anna.counted.clear()
    # Typed answers (library questions also fill the library's profile), single choices,
    # ticks and Done, Skip, Next after a step summary: the first three steps.
    for _ in range(60):
        state, data = await wizard_position(anna)
        if state == Wizard.question.state and data["question"].startswith("net_"):
            break
        await answer_current(anna, WIZARD_RURAL_RU, t)
    kinds = {label for label, _ in anna.counted}
    assert kinds == {"text", "press"}
    assert len(anna.counted) > 30
    assert max(n for _, n in anna.counted) <= TARGET, anna.counted

    repo = Repositories(db)
    (strategy,) = await repo.strategies.of_user(100)
    stored = await repo.answers.all(strategy.id)
    for question_id in ("lib_name", "lib_settlement", "goal_families", "goal_horizon"):
        assert stored[question_id] == WIZARD_RURAL_RU[question_id]
    (library,) = await repo.libraries.of_user(100)
    assert library.name == WIZARD_RURAL_RU["lib_name"]  # the profile write went with the commit
