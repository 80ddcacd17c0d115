"""The production scheduler closes surveys past their date and sends the results once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

from aiogram.utils.i18n import I18n

from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.db.surveys import SurveyRepository
from bot.i18n import Translator
from bot.outbox.repository import Outbox
from bot.scheduling.jobs import SURVEY_CLOSING_INTERVAL, survey_closing_job
from bot.scheduling.scheduler import Scheduler
from bot.services.notifier import Notifier
from bot.survey.questions import SurveyConfig
from tests.survey.bot_helpers import staff_library, survey_with_link


async def test_a_survey_past_its_date_is_closed_by_the_scheduler_once(
    db: Database, i18n: I18n
) -> None:
    library = await staff_library(db)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    survey, _ = await survey_with_link(
        db, library, SurveyConfig(title="Осенний опрос", closes_at=yesterday)
    )
    repo = Repositories(db)
    notifier = Notifier(
        Outbox(db), repo, partial(Translator, i18n), admin_ids=frozenset(), default_locale="ru"
    )
    clock = [datetime.now(UTC)]
    scheduler = Scheduler(
        db, [survey_closing_job(repo, notifier, min_results=10)], now=lambda: clock[0]
    )

    await scheduler.tick()  # plans the first run
    assert (await SurveyRepository(db).get_survey(survey.id)).status == "open"  # type: ignore[union-attr]
    clock[0] += SURVEY_CLOSING_INTERVAL
    await scheduler.tick()
    assert (await SurveyRepository(db).get_survey(survey.id)).status == "closed"  # type: ignore[union-attr]
    sent = (await Outbox(db).counts()).get("pending", 0)
    assert sent >= 1  # the results go to the library's staff

    clock[0] += SURVEY_CLOSING_INTERVAL
    await scheduler.tick()
    assert (await Outbox(db).counts()).get("pending", 0) == sent  # nothing twice
