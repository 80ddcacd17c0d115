"""/privacy: what the bot keeps about staff and readers, for how long, and how to delete it.

Every sentence is one key of :data:`CLAIMS`, filled with the numbers the code uses, and
``tests/survey/test_privacy_claims.py`` checks each claim against the code.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.i18n import Translate
from bot.services.surveys import SurveyService, privacy_facts

READER_CLAIMS = (
    "privacy.reader.stored",
    "privacy.reader.pseudonym",
    "privacy.reader.state",
    "privacy.reader.staff_see",
    "privacy.reader.files",
    "privacy.reader.keep",
    "privacy.reader.forget",
)
STAFF_CLAIMS = (
    "privacy.staff.stored",
    "privacy.staff.outbox",
    "privacy.staff.logs",
    "privacy.staff.delete",
)
CLAIMS = READER_CLAIMS + STAFF_CLAIMS


def privacy_text(t: Translate, *, min_results: int) -> str:
    values = privacy_facts(min_results)
    readers = "\n".join(f"• {t(key, **values)}" for key in READER_CLAIMS)
    staff = "\n".join(f"• {t(key, **values)}" for key in STAFF_CLAIMS)
    return "\n\n".join(
        [t("privacy.title"), t("privacy.readers"), readers, t("privacy.staff_title"), staff]
    )


def reader_note(t: Translate, *, min_results: int) -> str:
    """The short note every reader sees before the first question."""
    return t("survey.reader.privacy", **privacy_facts(min_results))


async def privacy_command(message: Message, surveys: SurveyService, t: Translate) -> None:
    await message.answer(privacy_text(t, min_results=surveys.min_results))


def create_router() -> Router:
    """Anyone may ask, in any state: before the survey and wizard routers."""
    router = Router(name="privacy")
    router.message.register(privacy_command, Command("privacy"))
    return router
