"""Answers to wizard questions: buttons, typed text, Back, Skip, step summaries, Finish."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.db.repositories import Repositories, Strategy
from bot.domain.questions import OTHER, Kind, Question
from bot.domain.validation import Invalid, parse_text, parse_typed
from bot.services.plans import PlanService
from bot.services.reports import StrategyReports
from handlers.message_edits import edit_markup, edit_text
from handlers.strategy.callbacks import QuestionAction, QuestionCb, StepAction, StepCb
from handlers.strategy.completion import complete_strategy
from handlers.strategy.filters import (
    CurrentDraft,
    CurrentQuestion,
    QuestionButton,
    QuestionRefusal,
    check_draft,
    check_question_button,
)
from handlers.strategy.flow import WizardFlow
from handlers.strategy.states import Wizard
from handlers.strategy.view import answered_text, question_screen


async def _show_current(callback: CallbackQuery, flow: WizardFlow, strategy: Strategy) -> None:
    """A button of a screen that is no longer current: say so and show the current one
    again, as /start does. A screen whose next question never arrived (the bot stopped
    mid-update) is mended by the user's next touch."""
    await callback.answer(flow.t("cb.stale"))
    await flow.resume(strategy)


async def _mark_answered(
    callback: CallbackQuery, flow: WizardFlow, question: Question, answers: dict[str, Any]
) -> None:
    """Replace the question's buttons by the chosen answer, so the chat reads as a record."""
    await edit_text(callback, answered_text(question, answers, flow.t))


async def _ask_other_text(flow: WizardFlow) -> None:
    await flow.state.set_state(Wizard.other_text)
    await flow.send(flow.t("hint.other"))


async def pick(
    callback: CallbackQuery,
    callback_data: QuestionCb,
    flow: WizardFlow,
    strategy: Strategy,
    question: Question,
) -> None:
    answers = await flow.wizard.save(strategy, question, callback_data.value)
    await callback.answer(flow.t("cb.saved"))
    await _mark_answered(callback, flow, question, answers)
    if callback_data.value == OTHER:
        await _ask_other_text(flow)
        return
    await flow.advance(strategy, question, answers)


async def toggle(
    callback: CallbackQuery,
    callback_data: QuestionCb,
    flow: WizardFlow,
    strategy: Strategy,
    question: Question,
) -> None:
    result = await flow.wizard.toggle(strategy, question, callback_data.value)
    await callback.answer()
    if result.needs_other_text:
        await _ask_other_text(flow)
        return
    answers = await flow.wizard.answers(strategy.id)
    history = (await flow.state.get_data()).get("history")
    screen = question_screen(
        flow.questionnaire, question, answers, strategy.id, flow.t, can_go_back=bool(history)
    )
    await edit_markup(callback, screen.markup)


async def done(
    callback: CallbackQuery, flow: WizardFlow, strategy: Strategy, question: Question
) -> None:
    answers = await flow.wizard.answers(strategy.id)
    if question.required and not question.selection(answers):
        await callback.answer(flow.t("invalid.choose_one"), show_alert=True)
        return
    answers = await flow.wizard.confirm(strategy, question)
    await callback.answer(flow.t("cb.saved"))
    await _mark_answered(callback, flow, question, answers)
    await flow.advance(strategy, question, answers)


async def skip_or_keep(
    callback: CallbackQuery,
    callback_data: QuestionCb,
    flow: WizardFlow,
    strategy: Strategy,
    question: Question,
) -> None:
    answers = await flow.wizard.answers(strategy.id)
    if callback_data.action == QuestionAction.SKIP:
        if question.required:
            await callback.answer(flow.t("invalid.required"), show_alert=True)
            return
        answers = await flow.wizard.save(strategy, question, None)
    elif answers.get(question.id) is None:
        await callback.answer(flow.t("cb.unknown"), show_alert=True)
        return
    await callback.answer()
    await _mark_answered(callback, flow, question, answers)
    await flow.advance(strategy, question, answers)


async def back(callback: CallbackQuery, flow: WizardFlow, strategy: Strategy) -> None:
    history: list[str] = list((await flow.state.get_data()).get("history", []))
    answers = await flow.wizard.answers(strategy.id)
    # The history may name questions hidden since (a goal was unticked): skip those.
    while history:
        previous = flow.questionnaire.question(history.pop())
        if previous is not None and previous.visible(answers):
            await callback.answer()
            await flow.state.update_data(history=history)
            await flow.ask(strategy, previous, answers=answers)
            return
    await callback.answer(flow.t("cb.first_question"))


async def refused_question(
    callback: CallbackQuery, callback_data: QuestionCb, flow: WizardFlow, repo: Repositories
) -> None:
    """A question's button that ``CurrentQuestion`` refused: say why, politely; a screen
    that is no longer current is shown again as the current one."""
    found = await check_question_button(
        callback_data, callback.from_user.id, repo=repo, wizard=flow.wizard, state=flow.state
    )
    await _refuse(callback, flow, found)


async def refused_step(
    callback: CallbackQuery, callback_data: StepCb, flow: WizardFlow, repo: Repositories
) -> None:
    """A step's button that ``CurrentDraft`` refused: say why, politely."""
    found = await check_draft(
        callback_data.strategy_id, callback.from_user.id, repo=repo, state=flow.state
    )
    await _refuse(callback, flow, found)


async def _refuse(callback: CallbackQuery, flow: WizardFlow, found: QuestionButton) -> None:
    t = flow.t
    if found.refusal is QuestionRefusal.FINISHED:
        await callback.answer(t("cb.finished"), show_alert=True)
    elif found.refusal is QuestionRefusal.OTHER_DRAFT:
        await callback.answer(t("cb.stale"))
    elif found.refusal is QuestionRefusal.NOT_CURRENT and found.strategy is not None:
        await _show_current(callback, flow, found.strategy)
    else:
        await callback.answer(t("cb.unknown"), show_alert=True)


async def _drafted(message: Message, flow: WizardFlow, *, repo: Repositories) -> Strategy | None:
    """The draft the wizard's state is about; None (and a hint) if it is gone or finished."""
    data = await flow.state.get_data()
    strategy = await repo.strategies.get_for_user(int(data.get("strategy_id", 0)), message.chat.id)
    if strategy is None or strategy.is_complete:
        await flow.state.clear()
        await message.answer(flow.t("msg.unknown_text"))
        return None
    return strategy


async def _asked(
    message: Message, flow: WizardFlow, *, repo: Repositories
) -> tuple[Strategy, Question] | None:
    """The strategy and question a typed message answers; None (and a hint) if gone."""
    strategy = await _drafted(message, flow, repo=repo)
    if strategy is None:
        return None
    question = flow.questionnaire.question(str((await flow.state.get_data()).get("question")))
    if question is None:
        await flow.state.clear()
        await message.answer(flow.t("msg.unknown_text"))
        return None
    return strategy, question


async def _hint_and_current(
    message: Message,
    flow: WizardFlow,
    key: str,
    strategy: Strategy | None = None,
    *,
    repo: Repositories,
) -> None:
    """Input the current screen cannot take: a short hint, then that screen again, as /start
    shows it. The user is never left without buttons to press, even when the screen they
    were on never arrived (the bot stopped mid-update) or has scrolled away."""
    if strategy is None:
        strategy = await _drafted(message, flow, repo=repo)
        if strategy is None:
            return
    await message.answer(flow.t(key))
    await flow.resume(strategy)


async def typed_answer(message: Message, flow: WizardFlow, *, repo: Repositories) -> None:
    text = message.text or ""
    found = await _asked(message, flow, repo=repo)
    if found is None:
        return
    strategy, question = found
    if text.startswith("/"):
        await _hint_and_current(message, flow, "wizard.unknown_command", strategy, repo=repo)
        return
    answers = await flow.wizard.answers(strategy.id)
    if question.kind is Kind.MULTI:
        await _hint_and_current(message, flow, "invalid.use_buttons", strategy, repo=repo)
        return
    if question.kind is Kind.SINGLE:
        chosen = _option_by_label(question, text, answers, flow)
        if chosen is None:
            await _hint_and_current(message, flow, "invalid.use_buttons", strategy, repo=repo)
            return
        answers = await flow.wizard.save(strategy, question, chosen)
        if chosen == OTHER:
            await _ask_other_text(flow)
            return
    else:
        value = parse_typed(question, text)
        if isinstance(value, Invalid):
            await message.answer(flow.t(value.key, **value.params))
            return
        answers = await flow.wizard.save(strategy, question, value)
    await flow.advance(strategy, question, answers)


def _option_by_label(
    question: Question, text: str, answers: dict[str, Any], flow: WizardFlow
) -> str | None:
    """Typing an option's label counts as pressing it (handy in the console)."""
    wanted = text.strip().casefold()
    for option in question.visible_options(answers):
        if flow.t(question.option_key(option.value)).strip().casefold() == wanted:
            return option.value
    return None


async def other_text(message: Message, flow: WizardFlow, *, repo: Repositories) -> None:
    found = await _asked(message, flow, repo=repo)
    if found is None:
        return
    strategy, question = found
    value = parse_text(question, message.text or "")
    if isinstance(value, Invalid):
        await message.answer(flow.t(value.key, **value.params))
        return
    await flow.wizard.save_other_text(strategy, question, value)
    answers = await flow.wizard.answers(strategy.id)
    if question.kind is Kind.MULTI:
        # Back to the list: more options may still be ticked before Done.
        await flow.ask(strategy, question, answers=answers)
        return
    await flow.advance(strategy, question, answers)


async def buttons_expected(message: Message, flow: WizardFlow, *, repo: Repositories) -> None:
    await _hint_and_current(message, flow, "invalid.use_buttons_step", repo=repo)


async def not_text(message: Message, flow: WizardFlow, *, repo: Repositories) -> None:
    await _hint_and_current(message, flow, "invalid.text_only", repo=repo)


async def not_text_for_other(message: Message, flow: WizardFlow) -> None:
    # Typing the "Other…" text: the prompt again (the question's buttons would undo the choice).
    await message.answer(flow.t("invalid.text_only"))
    await flow.send(flow.t("hint.other"))


async def step_next(callback: CallbackQuery, flow: WizardFlow, strategy: Strategy) -> None:
    if await flow.state.get_state() != Wizard.step_done.state:
        await _show_current(callback, flow, strategy)
        return
    await callback.answer()
    await edit_markup(callback, None)
    await flow.continue_after_step(strategy)


async def step_edit(
    callback: CallbackQuery, callback_data: StepCb, flow: WizardFlow, strategy: Strategy
) -> None:
    answers = await flow.wizard.answers(strategy.id)
    question = flow.questionnaire.first_of_step(callback_data.step, answers)
    if question is None:
        await callback.answer(flow.t("cb.unknown"), show_alert=True)
        return
    await callback.answer()
    await edit_markup(callback, None)
    came_from = (await flow.state.get_data()).get("question")
    await flow.ask(strategy, question, came_from=came_from, answers=answers)


async def finish(
    callback: CallbackQuery,
    *,
    flow: WizardFlow,
    strategy: Strategy,
    reports: StrategyReports,
    plans: PlanService,
) -> None:
    answers = await flow.wizard.answers(strategy.id)
    missing = flow.questionnaire.first_unanswered(answers)
    if missing is not None:
        await callback.answer(flow.t("invalid.required"), show_alert=True)
        await flow.ask(strategy, missing, answers=answers)
        return
    await callback.answer()
    await edit_markup(callback, None)
    await complete_strategy(flow, strategy, reports, plans)


def create_router() -> Router:
    router = Router(name="wizard")
    current = CurrentQuestion()
    for handler, actions in (
        (pick, {QuestionAction.PICK}),
        (toggle, {QuestionAction.TOGGLE}),
        (done, {QuestionAction.DONE}),
        (skip_or_keep, {QuestionAction.SKIP, QuestionAction.KEEP}),
        (back, {QuestionAction.BACK}),
    ):
        router.callback_query.register(handler, QuestionCb.filter(F.action.in_(actions)), current)
    # Last of the question buttons: every one the handlers above did not take.
    router.callback_query.register(refused_question, QuestionCb.filter())
    draft = CurrentDraft()
    for step_handler, action in (
        (step_next, StepAction.NEXT),
        (step_edit, StepAction.EDIT),
        (finish, StepAction.FINISH),
    ):
        router.callback_query.register(step_handler, StepCb.filter(F.action == action), draft)
    router.callback_query.register(refused_step, StepCb.filter())

    router.message.register(typed_answer, Wizard.question, F.text)
    router.message.register(other_text, Wizard.other_text, F.text)
    router.message.register(buttons_expected, Wizard.step_done, F.text)
    router.message.register(buttons_expected, Wizard.review, F.text)
    # Stickers, photos, voice, files: anything else in the middle of the wizard.
    router.message.register(not_text, Wizard.question)
    router.message.register(not_text_for_other, Wizard.other_text)
    router.message.register(not_text, Wizard.step_done)
    router.message.register(not_text, Wizard.review)
    return router
