"""Filters of the wizard's buttons: they hand the handler what the button names.

``CurrentDraft`` runs after ``StepCb.filter()`` and adds the ``strategy``, when it is the
user's current draft.
``CurrentQuestion`` runs after ``QuestionCb.filter()`` and adds the ``strategy`` and the
``question`` the button answers, when that question is the one being asked of the user's
current draft (and, for a choice, the button is one of its options). A button it refuses
reaches the wizard router's last question handler, which tells the user why and, for a
screen that is no longer current, shows the current one again (:func:`check_question_button`
says why, for both).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.db.repositories import Repositories, Strategy
from bot.domain.questions import Kind, Question
from bot.services.wizard import WizardService
from handlers.strategy.callbacks import QuestionAction, QuestionCb, StepCb
from handlers.strategy.states import Wizard


class QuestionRefusal(StrEnum):
    UNKNOWN = "unknown"
    """Not a strategy of the user's libraries, or not an option of the question."""
    FINISHED = "finished"
    """The strategy is complete."""
    OTHER_DRAFT = "other_draft"
    """The user is working on another strategy now."""
    NOT_CURRENT = "not_current"
    """Another screen of this draft is the current one."""


_OPTION_KINDS = {QuestionAction.PICK: Kind.SINGLE, QuestionAction.TOGGLE: Kind.MULTI}


@dataclass(frozen=True, slots=True)
class QuestionButton:
    strategy: Strategy | None
    question: Question | None = None
    refusal: QuestionRefusal | None = None


async def check_draft(
    strategy_id: int, user_id: int, *, repo: Repositories, state: FSMContext
) -> QuestionButton:
    """The strategy a button belongs to, if it is the user's current draft."""
    strategy = await repo.strategies.get_for_user(strategy_id, user_id)
    if strategy is None:
        return QuestionButton(None, refusal=QuestionRefusal.UNKNOWN)
    if strategy.is_complete:
        return QuestionButton(strategy, refusal=QuestionRefusal.FINISHED)
    if (await state.get_data()).get("strategy_id") != strategy.id:
        return QuestionButton(strategy, refusal=QuestionRefusal.OTHER_DRAFT)
    return QuestionButton(strategy)


async def check_question_button(
    callback_data: QuestionCb,
    user_id: int,
    *,
    repo: Repositories,
    wizard: WizardService,
    state: FSMContext,
) -> QuestionButton:
    """The draft and question a button answers, if it is the question being asked."""
    draft = await check_draft(callback_data.strategy_id, user_id, repo=repo, state=state)
    strategy = draft.strategy
    if draft.refusal is not None or strategy is None:
        return draft
    data = await state.get_data()
    question = wizard.questionnaire.question(callback_data.question)
    asking = await state.get_state() == Wizard.question.state
    if question is None or not asking or data.get("question") != callback_data.question:
        return QuestionButton(strategy, refusal=QuestionRefusal.NOT_CURRENT)
    kind = _OPTION_KINDS.get(callback_data.action)
    if kind is not None:
        answers = await wizard.answers(strategy.id)
        offered = {option.value for option in question.visible_options(answers)}
        if question.kind is not kind or callback_data.value not in offered:
            return QuestionButton(strategy, question, QuestionRefusal.UNKNOWN)
    return QuestionButton(strategy, question)


class CurrentQuestion(Filter):
    """Passes when a wizard button answers the question being asked
    (:func:`check_question_button`); hands the handler ``strategy`` and ``question``."""

    async def __call__(
        self,
        event: CallbackQuery,
        callback_data: QuestionCb,
        repo: Repositories,
        wizard: WizardService,
        state: FSMContext,
    ) -> bool | dict[str, Any]:
        found = await check_question_button(
            callback_data, event.from_user.id, repo=repo, wizard=wizard, state=state
        )
        if found.refusal is not None:
            return False
        return {"strategy": found.strategy, "question": found.question}


class CurrentDraft(Filter):
    """Passes when a step's button belongs to the user's current draft
    (:func:`check_draft`); hands the handler ``strategy``."""

    async def __call__(
        self, event: CallbackQuery, callback_data: StepCb, repo: Repositories, state: FSMContext
    ) -> bool | dict[str, Any]:
        found = await check_draft(
            callback_data.strategy_id, event.from_user.id, repo=repo, state=state
        )
        return False if found.refusal is not None else {"strategy": found.strategy}
