"""Moving through the wizard: showing a question, a step summary or the review.

One ``WizardFlow`` is built per update (see :func:`flow_middleware`) around the chat, the
FSM context and the translator, so handlers stay a few lines long and the rules for "what
comes next" live in one place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, TelegramObject

from bot.db.repositories import Strategy
from bot.domain.questions import Question, Questionnaire
from bot.domain.text_split import split_html
from bot.i18n import Translate
from bot.services.wizard import WizardService
from handlers.strategy.states import Wizard
from handlers.strategy.view import question_screen, review_keyboard, review_texts, step_done_screen

HISTORY_LIMIT = 100
Answers = dict[str, Any]


@dataclass(frozen=True, slots=True)
class WizardFlow:
    bot: Bot
    chat_id: int
    state: FSMContext
    wizard: WizardService
    t: Translate

    @property
    def questionnaire(self) -> Questionnaire:
        return self.wizard.questionnaire

    async def send(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        await self.bot.send_message(self.chat_id, text, reply_markup=markup)

    async def send_long(
        self, paragraphs: list[str], markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """Paragraphs in as few messages as Telegram's limit allows; buttons on the last."""
        parts = split_html("\n\n".join(paragraphs))
        for index, part in enumerate(parts):
            await self.send(part, markup if index == len(parts) - 1 else None)

    async def ask(
        self,
        strategy: Strategy,
        question: Question,
        *,
        came_from: str | None = None,
        answers: Answers | None = None,
    ) -> None:
        """Show ``question`` and remember it; ``came_from`` goes on the Back history."""
        if answers is None:
            answers = await self.wizard.answers(strategy.id)
        data = await self.state.get_data()
        history: list[str] = list(data.get("history", []))
        if came_from is not None and came_from != question.id:
            history = [*history, came_from][-HISTORY_LIMIT:]
        await self.state.set_state(Wizard.question)
        await self.state.set_data(
            {"strategy_id": strategy.id, "question": question.id, "history": history}
        )
        screen = question_screen(
            self.questionnaire, question, answers, strategy.id, self.t, can_go_back=bool(history)
        )
        await self.send(screen.text, screen.markup)

    async def advance(self, strategy: Strategy, after: Question, answers: Answers) -> None:
        """After an answer: the next question of the same step, or the step's summary."""
        step = self.questionnaire.step_of(after.id)
        following = self.questionnaire.next_question(after.id, answers)
        if following is not None and self.questionnaire.step_of(following.id) == step:
            await self.ask(strategy, following, came_from=after.id, answers=answers)
            return
        data = await self.state.get_data()
        history = [*data.get("history", []), after.id][-HISTORY_LIMIT:]
        await self.state.set_state(Wizard.step_done)
        await self.state.set_data(
            {"strategy_id": strategy.id, "step": step.id, "question": after.id, "history": history}
        )
        screen = step_done_screen(self.questionnaire, step, answers, strategy.id, self.t)
        await self.send(screen.text, screen.markup)

    async def continue_after_step(self, strategy: Strategy) -> None:
        """Next after a step summary: the first question never answered, else the review."""
        answers = await self.wizard.answers(strategy.id)
        question = self.questionnaire.first_unanswered(answers)
        if question is None:
            await self.show_review(strategy, answers=answers)
            return
        data = await self.state.get_data()
        await self.ask(strategy, question, came_from=data.get("question"), answers=answers)

    async def show_review(self, strategy: Strategy, *, answers: Answers | None = None) -> None:
        if answers is None:
            answers = await self.wizard.answers(strategy.id)
        data = await self.state.get_data()
        await self.state.set_state(Wizard.review)
        await self.state.set_data({"strategy_id": strategy.id, "history": data.get("history", [])})
        await self.send_long(
            review_texts(self.questionnaire, answers, self.t),
            review_keyboard(self.questionnaire, strategy.id, self.t),
        )

    async def resume(self, strategy: Strategy) -> None:
        """Show where this strategy stands: its current question, step summary or review."""
        data = await self.state.get_data()
        current = await self.state.get_state()
        answers = await self.wizard.answers(strategy.id)
        if data.get("strategy_id") == strategy.id:
            if current in (Wizard.question.state, Wizard.other_text.state):
                question = self.questionnaire.question(str(data.get("question")))
                if question is not None and question.visible(answers):
                    await self.ask(strategy, question, answers=answers)
                    return
            if current == Wizard.step_done.state:
                step = self.questionnaire.step(str(data.get("step")))
                if step is not None:
                    screen = step_done_screen(
                        self.questionnaire, step, answers, strategy.id, self.t
                    )
                    await self.send(screen.text, screen.markup)
                    return
        question = self.questionnaire.first_unanswered(answers)
        if question is None:
            await self.show_review(strategy, answers=answers)
            return
        await self.state.set_data({"strategy_id": strategy.id, "history": []})
        await self.ask(strategy, question, answers=answers)


async def flow_middleware(
    handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
    event: TelegramObject,
    data: dict[str, Any],
) -> Any:
    """Builds ``data["flow"]`` for handlers of private chats."""
    chat = data.get("event_chat")
    state = data.get("state")
    if chat is not None and state is not None and "t" in data:
        data["flow"] = WizardFlow(data["bot"], chat.id, state, data["wizard"], data["t"])
    return await handler(event, data)
