"""The one error handler: a handler failing mid-wizard is logged, the user is told briefly in
their own language, and their answers and place in the wizard stay as they were."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.utils.i18n import I18n

from bot.db.repositories import Repositories
from bot.domain.questions import Question
from bot.i18n import Translator
from bot.services.wizard import WizardService
from handlers.strategy.states import Wizard
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.wizard_driver import wizard_position


class Boom(RuntimeError):
    pass


def make_save_fail(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make saving an answer fail; returns the ids of questions it was asked to save."""
    attempts: list[str] = []

    async def save(self: WizardService, strategy: Any, question: Question, value: Any) -> Any:
        attempts.append(question.id)
        raise Boom("database went away")

    monkeypatch.setattr(WizardService, "save", save)
    return attempts


async def test_typed_answer_failing_keeps_state_and_answers(
    anna: ChatUser,
    repo: Repositories,
    i18n: I18n,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await anna.send("/start")
    (strategy,) = await repo.strategies.of_user(anna.user.id)
    # Anna's Telegram speaks Russian, but she chose English: the error speaks English.
    await repo.users.set_language(anna.user.id, "en")
    before = await wizard_position(anna)
    original = WizardService.save
    attempts = make_save_fail(monkeypatch)
    with caplog.at_level(logging.ERROR, logger="bot.factory"):
        replies = await anna.send("Библиотека №1", expect_error=True)

    assert attempts == ["lib_name"]
    assert anna.texts(replies) == [Translator(i18n, "en")("error.generic")]
    assert await wizard_position(anna) == before
    assert await repo.answers.all(strategy.id) == {}
    [record] = [r for r in caplog.records if r.getMessage() == "update failed"]
    assert record.user_id == anna.user.id  # type: ignore[attr-defined]
    assert record.error == "Boom"  # type: ignore[attr-defined]
    assert record.exc_info is not None

    monkeypatch.setattr(WizardService, "save", original)
    await anna.send("Библиотека №1")  # the same answer again simply works
    assert await repo.answers.all(strategy.id) == {"lib_name": "Библиотека №1"}


async def test_button_failing_mid_wizard_answers_the_press_and_keeps_everything(
    anna: ChatUser, repo: Repositories, i18n: I18n, monkeypatch: pytest.MonkeyPatch
) -> None:
    ru = Translator(i18n, "ru")
    await anna.send("/start")
    (strategy,) = await repo.strategies.of_user(anna.user.id)
    await anna.send("Библиотека №1")
    await anna.send("Тверь")  # now at the region, which may be skipped
    state, data = before = await wizard_position(anna)
    assert (state, data["question"]) == (Wizard.question.state, "lib_region")

    failing_save = make_save_fail(monkeypatch)
    replies = await anna.press(ru("btn.skip"), exact=True, expect_error=True)

    assert failing_save == ["lib_region"]
    alerts = [r for r in replies if isinstance(r, AnswerCallbackQuery)]
    assert [(a.text, a.show_alert) for a in alerts] == [(ru("error.generic"), True)]
    assert not [r for r in replies if isinstance(r, SendMessage)]
    assert await wizard_position(anna) == before
    assert await repo.answers.all(strategy.id) == {
        "lib_name": "Библиотека №1",
        "lib_settlement": "Тверь",
    }


async def test_failure_after_the_press_was_answered_is_told_in_the_chat(
    anna: ChatUser,
    bot: MockedBot,
    repo: Repositories,
    i18n: I18n,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ru = Translator(i18n, "ru")
    await anna.send("/start")
    (strategy,) = await repo.strategies.of_user(anna.user.id)
    await anna.send("Библиотека №1")
    await anna.send("Тверь")
    await anna.press(ru("btn.skip"), exact=True)  # now at the country: a button question
    before = await wizard_position(anna)

    async def advance(*_: Any, **__: Any) -> None:
        raise Boom("rendering failed")

    monkeypatch.setattr("handlers.strategy.flow.WizardFlow.advance", advance)
    # Telegram takes one answer per press: the handler's "saved", then refuses ours.
    bot.session.add_result_for(AnswerCallbackQuery, result=True)
    bot.session.add_result_for(
        AnswerCallbackQuery, ok=False, description="Bad Request: query is too old"
    )
    replies = await anna.press(ru("opt.country.ru"), exact=True, expect_error=True)

    # The press was already answered ("saved"), so the error comes as a message.
    assert anna.texts(replies)[-1] == ru("error.generic")
    # The update is one transaction: its answer went with it, earlier answers stay.
    assert await wizard_position(anna) == before
    assert await repo.answers.all(strategy.id) == {
        "lib_name": "Библиотека №1",
        "lib_settlement": "Тверь",
        "lib_region": None,  # skipped
    }
