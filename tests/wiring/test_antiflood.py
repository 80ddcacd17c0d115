"""Anti-flood: a user past 20 updates in 10 s is told once, the rest is dropped, nothing lost."""

from __future__ import annotations

import pytest
from aiogram import Dispatcher
from aiogram.methods import AnswerCallbackQuery
from aiogram.utils.i18n import I18n

from bot.antiflood import AntiFlood
from bot.config import Settings
from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.factory import create_dispatcher
from bot.i18n import Translator
from bot.outbox.limiter import Rate
from bot.storage import DatabaseStorage
from handlers.strategy.states import Wizard
from tests.chat import ChatUser
from tests.conftest import ADMIN_ID
from tests.mocked_bot import MockedBot
from tests.wizard_driver import wizard_position


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def guarded(db: Database, i18n: I18n, settings: Settings, clock: Clock) -> Dispatcher:
    return create_dispatcher(
        repo=Repositories(db),
        storage=DatabaseStorage(db),
        i18n=i18n,
        settings=settings,
        antiflood=AntiFlood(Rate(20, 10.0), clock=clock),
    )


async def test_burst_is_dropped_told_once_and_the_wizard_is_untouched(
    guarded: Dispatcher, bot: MockedBot, i18n: I18n, repo: Repositories, clock: Clock
) -> None:
    anna = ChatUser(guarded, bot, 100)
    t = Translator(i18n, "ru")
    await anna.send("/start")  # 1: the first question (the library's name)
    for _ in range(19):  # 2..20: still within the limit
        clock.now += 0.1
        assert [x.split("\n")[0] for x in anna.texts(await anna.send("/help"))] == [
            t("help.intro")
        ]
    before = await wizard_position(anna)
    assert before[0] == Wizard.question.state

    told = await anna.send("Библиотека №1")  # 21: over the limit
    assert anna.texts(told) == [t("flood.slow_down")]
    assert await anna.send("Библиотека №1") == []  # told once per burst
    pressed = await anna.press_data("q:skip:1:lib_region")
    assert [type(r) for r in pressed] == [AnswerCallbackQuery]  # the spinner stops
    assert anna.alerts(pressed) == [""]

    assert await wizard_position(anna) == before
    (strategy,) = await repo.strategies.of_user(100)
    assert await repo.answers.all(strategy.id) == {}

    clock.now += 10.0  # the window has passed
    answered = await anna.send("Библиотека №1")
    assert t("flood.slow_down") not in anna.texts(answered)
    assert await repo.answers.all(strategy.id) == {"lib_name": "Библиотека №1"}


async def test_each_user_has_their_own_window_and_admins_none(
    guarded: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    en = Translator(i18n, "en")
    john = ChatUser(guarded, bot, 200, language_code="en", first_name="John")
    anna = ChatUser(guarded, bot, 100)
    admin = ChatUser(guarded, bot, ADMIN_ID)
    for _ in range(20):
        await john.send("/help")
    assert john.texts(await john.send("/help")) == [en("flood.slow_down")]
    assert anna.texts(await anna.send("/help")) != []
    ru = Translator(i18n, "ru")
    for _ in range(50):
        assert [x.split("\n")[0] for x in admin.texts(await admin.send("/help"))] == [
            ru("help.intro")
        ]
