"""What happens when a librarian finishes the wizard (the first time, or after edits)."""

from __future__ import annotations

from bot.db.repositories import Strategy
from bot.services.plans import PlanService
from bot.services.reports import StrategyReports
from handlers.strategy.advice import show_advice
from handlers.strategy.export import build_and_send
from handlers.strategy.flow import WizardFlow


async def complete_strategy(
    flow: WizardFlow, strategy: Strategy, reports: StrategyReports, plans: PlanService
) -> None:
    """Advice per step in the chat, the files, and a summary to colleagues and admins."""
    repo = flow.wizard.repo
    # Only the call that flips draft -> complete goes on: a double tap sends nothing twice.
    changed = await repo.strategies.mark_complete(strategy.id)
    await flow.state.clear()
    if not changed:
        return
    completed = await repo.strategies.get(strategy.id)
    assert completed is not None
    report = await reports.report(completed)
    await show_advice(flow, report, intro=[flow.t("msg.completed")])
    # The DOCX built here is kept in the report for colleagues who read the same language.
    await build_and_send(flow, reports, report)
    await reports.notify_completed(report, finished_by=flow.chat_id)
    # The plan follows the finished strategy; posts already done or edited stay as they are.
    await plans.refresh(completed, finished_by=flow.chat_id)
    await flow.send(flow.t("plan.ready"))
