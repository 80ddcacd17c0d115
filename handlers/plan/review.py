"""The end of a period: "New period" copies the strategy's answers to adjust, with the
audience step from the latest wave of the strategy's survey (or of the library's newest
survey, when the strategy used none) when that wave has enough answers."""

from __future__ import annotations

from html import escape

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.access import IsOwner
from bot.db.repositories import Library, Repositories
from bot.i18n import Translate
from bot.plan.buttons import PlanAction
from bot.services.surveys import AUDIENCE_SURVEY_KEY, SurveyService
from bot.survey.waves import latest_wave
from handlers.message_edits import edit_markup
from handlers.plan.callbacks import PlanCb
from handlers.strategy.flow import WizardFlow


async def new_period(
    callback: CallbackQuery,
    callback_data: PlanCb,
    *,
    flow: WizardFlow,
    libraries: list[Library],
    repo: Repositories,
    surveys: SurveyService,
    t: Translate,
) -> None:
    library = next((lib for lib in libraries if str(lib.id) == callback_data.value), None)
    plan = await repo.plans.get(library.id) if library else None
    strategy = await repo.strategies.get(plan.strategy_id) if plan else None
    if library is None or strategy is None:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    await callback.answer()
    await edit_markup(callback, None)  # one copy per press
    base = strategy.title or library.name or t("msg.untitled_library")
    copy = await repo.strategies.duplicate(
        strategy.id, callback.from_user.id, t("plan.review.copy_title", title=base)[:200]
    )
    await flow.send(t("plan.review.copied", title=escape(base)))
    known = await surveys.of_libraries([library.id])
    used = (await repo.answers.all(strategy.id)).get(AUDIENCE_SURVEY_KEY)
    start = used if any(s.id == used for s in known) else max((s.id for s in known), default=0)
    wave = latest_wave(known, start) if isinstance(start, int) else None
    if wave is not None:
        _, completed = await surveys.response_counts(wave.id)
        # The same rule as "use for my strategy": enough answers, and only what they say.
        preview = await surveys.preview_for_strategy(wave)
        if completed >= surveys.min_for_strategy and preview.values:
            applied = await surveys.apply_to_strategy(wave, copy.id, preview)
            await flow.send(
                t.plural(
                    "plan.review.survey", applied.audience.sample_size, title=escape(wave.title)
                )
            )
        else:
            # An older wave is not taken instead: its numbers are the period just reviewed.
            await flow.send(
                t.plural(
                    "plan.review.wave_too_few",
                    surveys.min_for_strategy,
                    title=escape(wave.title),
                    count=completed,
                )
            )
    await flow.state.clear()
    await flow.resume(copy)


def create_router() -> Router:
    router = Router(name="plan-review")
    router.callback_query.register(
        new_period, PlanCb.filter(F.action == PlanAction.NEW_PERIOD), IsOwner()
    )
    return router
