"""What happens when a librarian finishes the wizard."""

from __future__ import annotations

from bot.db.repositories import Strategy
from bot.wizard_view import review_texts
from handlers.wizard_flow import WizardFlow


async def complete_strategy(flow: WizardFlow, strategy: Strategy) -> None:
    # Only the call that flips draft -> complete goes on: a double tap sends nothing twice.
    changed = await flow.wizard.repo.strategies.mark_complete(strategy.id)
    await flow.state.clear()
    if not changed:
        return
    answers = await flow.wizard.answers(strategy.id)
    summary = review_texts(flow.questionnaire, answers, flow.t)[1:]
    await flow.send_long([flow.t("msg.completed"), *summary])
