"""The paragraphs the weekly digest adds to its heading: new strategies, wizards left
unfinished for a week or more, and survey answers this week. Each is skipped when empty."""

from __future__ import annotations

import html

from bot.clock import Now, utc_now
from bot.db.engine import Database
from bot.db.repositories import Library
from bot.db.stats import (
    WEEK,
    StaleDraft,
    SurveyProgress,
    new_strategies,
    stale_drafts,
    survey_progress,
)
from bot.domain.translate import Translate
from bot.scheduling.digest import Section


def digest_sections(db: Database, *, now: Now = utc_now) -> list[Section]:
    async def new(library: Library, t: Translate) -> str | None:
        return render_new_strategies(await new_strategies(db, library.id, now() - WEEK), t)

    async def unfinished(library: Library, t: Translate) -> str | None:
        return render_stale_drafts(await stale_drafts(db, library.id, now() - WEEK), t)

    async def surveys(library: Library, t: Translate) -> str | None:
        return render_survey_progress(await survey_progress(db, library.id, now() - WEEK), t)

    return [new, unfinished, surveys]


def render_new_strategies(count: int, t: Translate) -> str | None:
    return t.plural("digest.new_strategies", count) if count else None


def render_stale_drafts(drafts: list[StaleDraft], t: Translate) -> str | None:
    if not drafts:
        return None
    lines = [
        t(
            "digest.stale_draft",
            title=html.escape(draft.title) if draft.title else t("digest.untitled_draft"),
            date=draft.updated_at[:10],
        )
        for draft in drafts[:10]
    ]
    return "\n".join([t.plural("digest.stale_drafts", len(drafts)), *lines])


def render_survey_progress(surveys: list[SurveyProgress], t: Translate) -> str | None:
    if not surveys:
        return None
    lines = [
        t(
            "digest.survey_line",
            title=html.escape(survey.title),
            week=survey.this_week,
            total=survey.completed,
        )
        for survey in surveys[:10]
    ]
    return "\n".join([t("digest.surveys_heading"), *lines])
