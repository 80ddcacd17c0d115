"""The reader survey and the staff's side of it, one module per screen or dialog.

Survey conversations keep their FSM state in their own destinies (``common``), so a
librarian who creates a survey, or tests their own as a reader, keeps their place in the
wizard.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.access import IsStaff
from bot.i18n import Translate
from handlers.survey import (
    closing,
    editor,
    links,
    menu,
    offer,
    pulse,
    reader,
    results,
    settings,
)
from handlers.survey.callbacks import PosterCb, StaffCb
from handlers.survey.filters import OwnSurvey


async def foreign_survey(callback: CallbackQuery, t: Translate) -> None:
    await callback.answer(t("survey.staff.not_member"), show_alert=True)


def _foreign_router() -> Router:
    """A staff button naming a survey that is not theirs: every handler above refused it.

    Own surveys with an unknown action go on to the general "unknown button" answer.
    """
    router = Router(name="survey_foreign")
    foreign = ~OwnSurvey()
    router.callback_query.register(
        foreign_survey, StaffCb.filter(F.survey_id > 0), IsStaff(), foreign
    )
    router.callback_query.register(foreign_survey, PosterCb.filter(), IsStaff(), foreign)
    return router


def create_router() -> Router:
    router = Router(name="survey")
    router.include_routers(
        # Survey links (/start sv_…) and typing in survey dialogs, before /start and the
        # wizard: their states live in other destinies, so they must be asked first.
        reader.create_router(),
        menu.create_router(),
        offer.create_router(),  # before the wizard takes the same pick
        # The editor's /cancel and "text expected" serve the links' and pulse polls' steps too.
        editor.create_router(),
        settings.create_router(),
        links.create_router(),
        closing.create_router(),
        results.create_router(),
        pulse.create_router(),
        _foreign_router(),
    )
    return router


def create_poll_router() -> Router:
    """Poll updates (pulse polls in library chats) come from no private chat."""
    return pulse.create_poll_router()
