"""The paragraphs the weekly digest adds to its heading: new strategies, wizards left
unfinished for a week or more, and survey answers this week. Each is skipped when empty."""

from __future__ import annotations

import aiosqlite

from bot.clock import Now, utc_now
from bot.db.repositories import Library
from bot.domain.translate import Translate
from bot.scheduling.digest import Section
from bot.stats import (
    WEEK,
    new_strategies,
    render_new_strategies,
    render_stale_drafts,
    render_survey_progress,
    stale_drafts,
    survey_progress,
)


def digest_sections(db: aiosqlite.Connection, *, now: Now = utc_now) -> list[Section]:
    async def new(library: Library, t: Translate) -> str | None:
        return render_new_strategies(await new_strategies(db, library.id, now() - WEEK), t)

    async def unfinished(library: Library, t: Translate) -> str | None:
        return render_stale_drafts(await stale_drafts(db, library.id, now() - WEEK), t)

    async def surveys(library: Library, t: Translate) -> str | None:
        return render_survey_progress(await survey_progress(db, library.id, now() - WEEK), t)

    return [new, unfinished, surveys]
