"""Staff meet their surveys here: /survey lists them, a survey's card shows one.

``show_card`` serves the other survey handlers too; this module imports none of them.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message

from bot.access import InLibrary, IsStaff
from bot.db.repositories import Library, Repositories
from bot.i18n import Translate
from bot.services.surveys import SurveyService
from bot.survey.models import Survey
from handlers.survey.callbacks import StaffAction, StaffCb
from handlers.survey.filters import OwnSurvey
from handlers.survey.view import survey_card, surveys_list_keyboard


async def survey_menu(
    message: Message, *, library: Library, surveys: SurveyService, t: Translate
) -> None:
    found = await surveys.of_libraries([library.id])
    builder = await surveys_list_keyboard(found, surveys, StaffAction.CARD, t)
    builder.row(
        InlineKeyboardButton(
            text=t("survey.staff.create_button"),
            callback_data=StaffCb(action=StaffAction.NEW).pack(),
        )
    )
    listing = t("survey.staff.list_title") if found else t("survey.staff.list_empty")
    await message.answer(
        f"{t('survey.staff.menu')}\n\n{listing}", reply_markup=builder.as_markup()
    )


async def show_card(
    bot: Bot,
    chat_id: int,
    survey: Survey,
    *,
    surveys: SurveyService,
    repo: Repositories,
    t: Translate,
) -> None:
    started, completed = await surveys.response_counts(survey.id)
    library = await repo.libraries.get(survey.library_id)
    screen = survey_card(survey, started, completed, library.timezone if library else "UTC", t)
    await bot.send_message(chat_id, screen.text, reply_markup=screen.markup)


async def card(
    callback: CallbackQuery,
    survey: Survey,
    *,
    surveys: SurveyService,
    repo: Repositories,
    bot: Bot,
    t: Translate,
) -> None:
    await callback.answer()
    await show_card(bot, callback.from_user.id, survey, surveys=surveys, repo=repo, t=t)


def create_router() -> Router:
    router = Router(name="survey_menu")
    router.message.register(survey_menu, Command("survey"), InLibrary())
    router.callback_query.register(
        card, StaffCb.filter(F.action == StaffAction.CARD), IsStaff(), OwnSurvey()
    )
    return router
