"""The wizard's application logic: strategies, answers and the library profile.

Knows the repositories and the schema, not Telegram; handlers call it and render.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.db.repositories import Library, Repositories, Strategy
from bot.domain.method import STRATEGY_METHOD
from bot.domain.questions import OTHER, Kind, Question, Questionnaire, ticked_key
from bot.domain.summary import other_key

PROFILE_QUESTIONS = ("lib_name", "lib_settlement", "lib_region", "lib_country", "lib_tz")
STATE_OWNERSHIP = frozenset({"state", "municipal"})


@dataclass(frozen=True, slots=True)
class Toggle:
    selected: list[str]
    needs_other_text: bool


class WizardService:
    def __init__(self, repo: Repositories, questionnaire: Questionnaire = STRATEGY_METHOD) -> None:
        self.repo = repo
        self.questionnaire = questionnaire

    async def start_strategy(self, user_id: int, library: Library | None) -> Strategy:
        """A new draft in ``library``; None (for someone in no team) founds their library.

        The library's profile from its latest strategy is carried over.
        """
        if library is None:
            library = await self.repo.libraries.create(user_id)
        strategy = await self.repo.strategies.create(library.id, user_id)
        previous = [
            s for s in await self.repo.strategies.of_library(library.id) if s.id != strategy.id
        ]
        if previous:
            old = await self.repo.answers.all(previous[-1].id)
            for question in self.questionnaire.steps[0].questions:
                for key in (question.id, other_key(question.id)):
                    if key in old:
                        await self.repo.answers.save(strategy.id, key, old[key])
        return strategy

    async def answers(self, strategy_id: int) -> dict[str, Any]:
        return await self.repo.answers.all(strategy_id)

    async def save(self, strategy: Strategy, question: Question, value: Any) -> dict[str, Any]:
        """Store one answer now and return all answers of the strategy."""
        await self.repo.answers.save(strategy.id, question.id, value)
        if question.kind is Kind.SINGLE and value != OTHER:
            await self.repo.answers.delete(strategy.id, other_key(question.id))
        if question.kind is Kind.MULTI:
            await self.repo.answers.delete(strategy.id, ticked_key(question.id))
        answers = await self.answers(strategy.id)
        if question.id.startswith("lib_"):
            await self._sync_library(strategy.library_id, answers)
        return answers

    async def save_other_text(self, strategy: Strategy, question: Question, text: str) -> None:
        await self.repo.answers.save(strategy.id, other_key(question.id), text)
        if question.id.startswith("lib_"):
            await self._sync_library(strategy.library_id, await self.answers(strategy.id))

    async def toggle(self, strategy: Strategy, question: Question, value: str) -> Toggle:
        """Flip one option of a multiple-choice question; kept at once, confirmed by Done."""
        answers = await self.answers(strategy.id)
        selected = question.toggled(question.selection(answers), value)
        await self.repo.answers.save(strategy.id, ticked_key(question.id), selected)
        return Toggle(selected, needs_other_text=value == OTHER and value in selected)

    async def confirm(self, strategy: Strategy, question: Question) -> dict[str, Any]:
        """Done: the ticks become the answer; an unticked "Other" loses its text."""
        answers = await self.answers(strategy.id)
        selected = question.selection(answers)
        await self.repo.answers.save(strategy.id, question.id, selected)
        await self.repo.answers.delete(strategy.id, ticked_key(question.id))
        if OTHER not in selected:
            await self.repo.answers.delete(strategy.id, other_key(question.id))
        return await self.answers(strategy.id)

    async def _sync_library(self, library_id: int, answers: dict[str, Any]) -> None:
        # Unanswered parts keep what the library row has.
        timezone = answers.get("lib_tz") or ""
        if timezone == OTHER:
            timezone = answers.get(other_key("lib_tz")) or ""
        await self.repo.libraries.fill_profile(
            library_id,
            name=str(answers.get("lib_name") or ""),
            settlement=str(answers.get("lib_settlement") or ""),
            region=str(answers.get("lib_region") or ""),
            country=str(answers.get("lib_country") or ""),
            timezone=str(timezone),
            is_state=answers.get("lib_ownership") in STATE_OWNERSHIP,
        )

    async def complete(self, strategy: Strategy) -> Strategy | None:
        """The finished strategy, if this call finished it; None if it was finished already
        (a double tap: only the call that flips draft -> complete goes on)."""
        if not await self.repo.strategies.mark_complete(strategy.id):
            return None
        return await self.repo.strategies.get(strategy.id)

    async def library_of(self, strategy: Strategy) -> Library | None:
        return await self.repo.libraries.get(strategy.library_id)
