"""The weekly digest: one scheduled job per library, at the configured local weekday and hour.

The job (:func:`weekly_digest_job`) only decides *when*; :class:`WeeklyDigest` decides *what*
and enqueues one message per member into the outbox, deduplicated per slot and member, so a
repeated run (crash before the schedule row advanced) sends nothing twice. Other features add
paragraphs through ``sections`` without touching this module.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime

from bot.db.engine import Database
from bot.db.reads import fetch_all
from bot.db.repositories import Libraries, Library, Strategies, Users
from bot.domain.translate import Translate
from bot.domain.zones import library_zone
from bot.outbox.repository import Outbox
from bot.scheduling.scheduler import Job, JobRun
from bot.scheduling.weekly import next_weekly_run

DIGEST_JOB = "digest"

Section = Callable[[Library, Translate], Awaitable[str | None]]
"""One paragraph of the digest for a library in a reader's language; None to skip."""


def weekly_digest_job(
    db: Database,
    *,
    weekday: int,
    hour: int,
    deliver: Callable[[JobRun, Library], Awaitable[object]],
) -> Job:
    """A job with one scope per library (its id), due ``weekday`` at ``hour`` local time."""
    libraries = Libraries(db)

    async def scopes() -> Iterable[str]:
        return [str(row[0]) for row in await fetch_all(db, "SELECT id FROM libraries ORDER BY id")]

    async def next_run(scope: str, after: datetime) -> datetime:
        library = await libraries.get(int(scope))
        zone = library_zone(library.timezone if library else "UTC")
        return next_weekly_run(after, weekday, hour, zone)

    async def run(job_run: JobRun) -> None:
        library = await libraries.get(int(job_run.scope))
        if library is not None:  # deleted since the tick listed it
            await deliver(job_run, library)

    return Job(DIGEST_JOB, next_run=next_run, run=run, scopes=scopes)


class WeeklyDigest:
    """Composes the digest for each member of a library and enqueues it."""

    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        translator: Callable[[str], Translate],
        *,
        default_locale: str = "ru",
        sections: Sequence[Section] = (),
    ) -> None:
        self._libraries = Libraries(db)
        self._strategies = Strategies(db)
        self._users = Users(db)
        self._outbox = outbox
        self._translator = translator
        self._default_locale = default_locale
        self._sections = list(sections)

    async def __call__(self, run: JobRun, library: Library) -> int:
        """Enqueue the digest to every member; return how many new messages were stored."""
        stored = 0
        for user_id, _role in await self._libraries.members(library.id):
            user = await self._users.get(user_id)
            if user is not None and not user.notifications:
                continue  # switched off in /settings
            t = self._translator((user.language if user else None) or self._default_locale)
            text = await self.render(library, t)
            enqueued = await self._outbox.enqueue_message(
                user_id, text, parse_mode="HTML", dedupe_key=f"{run.key}:{user_id}"
            )
            stored += enqueued.created
        return stored

    async def render(self, library: Library, t: Translate) -> str:
        name = html.escape(library.name) if library.name else t("digest.unnamed_library")
        strategies = await self._strategies.of_library(library.id)
        complete = sum(strategy.is_complete for strategy in strategies)
        parts = [
            t("digest.heading", library=name),
            t.plural("digest.strategies", len(strategies), complete=complete)
            if strategies
            else t("digest.no_strategies"),
        ]
        for section in self._sections:
            paragraph = await section(library, t)
            if paragraph:
                parts.append(paragraph)
        parts.append(t("digest.footer"))
        return "\n\n".join(parts)
