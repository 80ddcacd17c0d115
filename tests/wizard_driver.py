"""Answer the whole wizard from a dict of answers, through buttons and typed text."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.storage.base import StorageKey

from bot.domain.method import STRATEGY_METHOD
from bot.domain.questions import OTHER, Kind
from bot.i18n import Translate
from handlers.strategy.states import Wizard
from tests.chat import ChatUser

OTHER_TEXT_SUFFIX = ".other"


async def wizard_position(chat: ChatUser) -> tuple[str | None, dict[str, Any]]:
    storage = chat.dispatcher.fsm.storage
    key = StorageKey(bot_id=chat.bot.id, chat_id=chat.chat.id, user_id=chat.user.id)
    return await storage.get_state(key), await storage.get_data(key)


async def answer_current(chat: ChatUser, profile: dict[str, Any], t: Translate) -> str:
    """Answer whatever the wizard shows now; returns the state that was answered."""
    state, data = await wizard_position(chat)
    assert state is not None, "the wizard is not running"
    if state == Wizard.step_done.state:
        await chat.press(t("btn.next_step"), exact=True)
        return state
    if state == Wizard.review.state:
        await chat.press(t("btn.finish"), exact=True)
        return state
    assert state == Wizard.question.state, f"unexpected state {state}"
    question = STRATEGY_METHOD.question(data["question"])
    assert question is not None
    value = profile.get(question.id)
    if value is None:
        assert not question.required, f"profile has no answer for required {question.id}"
        await chat.press(t("btn.skip"), exact=True)
    elif question.kind is Kind.SINGLE and question.option(value) is None:
        # A value the buttons do not offer (a rarer time zone): "Other…", then the text.
        await chat.press(t(question.option_key(OTHER)), exact=True)
        await chat.send(str(value))
    elif question.kind is Kind.SINGLE:
        await chat.press(t(question.option_key(value)), exact=True)
        if value == OTHER:
            await chat.send(profile[question.id + OTHER_TEXT_SUFFIX])
    elif question.kind is Kind.MULTI:
        for option in value:
            await chat.press(t(question.option_key(option)), exact=True)
            if option == OTHER:
                await chat.send(profile[question.id + OTHER_TEXT_SUFFIX])
        await chat.press(t("btn.done"), exact=True)
    else:
        await chat.send(str(value))
    return state


async def complete_wizard(
    chat: ChatUser, profile: dict[str, Any], t: Translate, *, stop_at_step: int | None = None
) -> None:
    """Answer until the strategy is finished (or until step ``stop_at_step`` begins)."""
    for _ in range(300):
        state, data = await wizard_position(chat)
        if state is None:
            return
        if stop_at_step is not None and state == Wizard.question.state:
            step = STRATEGY_METHOD.step_of(data["question"])
            if step.number >= stop_at_step:
                return
        await answer_current(chat, profile, t)
    raise AssertionError("the wizard did not end")
