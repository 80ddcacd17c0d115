"""The wizard's audience step: staff who will "ask readers with a survey" are offered one."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.access import IsStaff
from bot.db.repositories import Strategy
from bot.domain.questions import Question
from bot.i18n import Translate
from handlers.strategy import answers
from handlers.strategy.callbacks import QuestionAction, QuestionCb
from handlers.strategy.filters import CurrentQuestion
from handlers.strategy.flow import WizardFlow
from handlers.survey.callbacks import StaffAction, StaffCb
from handlers.survey.common import one_button


async def wizard_chose_survey(
    callback: CallbackQuery,
    callback_data: QuestionCb,
    *,
    flow: WizardFlow,
    strategy: Strategy,
    question: Question,
    t: Translate,
) -> None:
    """Offer to create a survey, then let the wizard go on as usual."""
    await flow.send(
        t("survey.wizard.offer"),
        one_button(t("survey.staff.create_button"), StaffCb(action=StaffAction.NEW)),
    )
    await answers.pick(callback, callback_data, flow, strategy, question)


def create_router() -> Router:
    """Before the wizard's router, which would take the pick without the offer."""
    router = Router(name="survey_offer")
    router.callback_query.register(
        wizard_chose_survey,
        QuestionCb.filter(
            (F.action == QuestionAction.PICK)
            & (F.question == "aud_source")
            & (F.value == "survey")
        ),
        IsStaff(),
        CurrentQuestion(),  # else the wizard's router tells why the button is refused
    )
    return router
