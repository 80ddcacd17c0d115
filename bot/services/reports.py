"""One finished strategy as advice and files, and the completion summary to its people.

Orchestration between the database, the advice engine, the documents and the outbox, so
the handlers only talk to Telegram. The survey's real audience comes in through
:data:`AudienceSource`, a seam the Dispatcher fills (kwarg ``audience_source``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import html
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from anyascii import anyascii

from bot.advice import AudienceData, StrategyAdvice, build_advice
from bot.clock import Now, utc_now
from bot.db.repositories import Repositories, Strategy
from bot.documents.calendar_ics import CalendarPlan, calendar_ics, plan_calendar
from bot.documents.common import horizon_weeks
from bot.domain.translate import Translate, decimal_text
from bot.domain.zones import library_zone
from bot.services.notifier import Notifier

logger = logging.getLogger(__name__)

AudienceSource = Callable[[int], Awaitable[AudienceData | None]]
"""Survey results for a strategy id, or None when there are none (yet)."""

FileKind = Literal["docx", "ics", "png"]
FILE_KINDS: tuple[FileKind, ...] = ("docx", "ics", "png")
NAME_LIMIT = 80
"""Characters of a library's or person's name in a caption (Telegram allows 1,024 in all)."""


async def no_audience(strategy_id: int) -> AudienceData | None:
    """The default source: no survey, so the advice uses the self-reported audience."""
    return None


@dataclass(frozen=True, slots=True)
class StrategyFile:
    kind: FileKind
    filename: str
    data: bytes
    calendar: CalendarPlan | None = None
    """What the .ics holds (weeks, holidays, library dates), for its caption."""


@dataclass(frozen=True, slots=True)
class Report:
    """A strategy with its answers and advice, as of ``today`` in the library's zone."""

    strategy: Strategy
    answers: dict[str, Any]
    advice: StrategyAdvice
    today: date
    docx_by_locale: dict[str, StrategyFile] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def calendar_start(self) -> date:
        return next_monday(self.today)

    @property
    def calendar_weeks(self) -> int:
        """The length the librarian picked last, else the strategy's horizon in weeks."""
        return self.strategy.calendar_weeks or horizon_weeks(self.answers)


def next_monday(today: date) -> date:
    """The first Monday after ``today`` (a week ahead when today is a Monday)."""
    return today + timedelta(days=7 - today.weekday())


def file_stem(name: str) -> str:
    """Safe ASCII for a file name: "Библиотека «Точка»" -> "biblioteka-tochka"."""
    ascii_name = re.sub(r"['`]", "", anyascii(name).lower())  # soft and hard signs
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    return stem[:40].rstrip("-") or "library"


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1] + "…"


def completion_summary(advice: StrategyAdvice, t: Translate, *, finished_by: str) -> str:
    """The few numbers a colleague or admin needs: networks, posts, hours, conflicts."""
    chosen = [score for score in advice.networks if score.chosen]
    networks = t("advice.list_sep").join(
        t("advice.notify.network", network=t(f"opt.net.{s.network}"), posts=s.posts_per_week)
        for s in chosen
    )
    lines = [
        t(
            "advice.notify.completed",
            library=html.escape(_short(advice.library_name or t("msg.untitled_library"))),
            name=html.escape(_short(finished_by)),
        ),
        t("advice.notify.networks", networks=networks or t("advice.list_empty")),
        t.plural("advice.notify.posts", sum(s.posts_per_week for s in chosen)),
        t(
            "advice.notify.hours",
            needed=decimal_text(advice.hours.total, t),
            available=advice.hours.available,
        ),
    ]
    if advice.conflicts:
        lines.append(t.plural("advice.notify.conflicts", len(advice.conflicts)))
    return "\n".join(lines)


class StrategyReports:
    """Builds advice and files of stored strategies; tells staff and admins on completion."""

    def __init__(
        self,
        repo: Repositories,
        notifier: Notifier,
        *,
        audience_source: AudienceSource = no_audience,
        now: Now = utc_now,
    ) -> None:
        self._repo = repo
        self._notifier = notifier
        self._audience_source = audience_source
        self._now = now

    async def report(self, strategy: Strategy) -> Report:
        answers = await self._repo.answers.all(strategy.id)
        audience = await self._audience(strategy.id)
        advice = build_advice(answers, audience=audience)
        today = self._now().astimezone(library_zone(advice.timezone)).date()
        return Report(strategy, answers, advice, today)

    async def remember_calendar_weeks(self, report: Report, weeks: int) -> Report:
        """Keeps ``weeks`` as this strategy's calendar length for the next exports."""
        await self._repo.strategies.set_calendar_weeks(report.strategy.id, weeks)
        strategy = dataclasses.replace(report.strategy, calendar_weeks=weeks)
        return dataclasses.replace(report, strategy=strategy)

    async def _audience(self, strategy_id: int) -> AudienceData | None:
        # Survey numbers improve the advice but are not needed for it: a failing query
        # must not cost the librarian their strategy.
        try:
            return await self._audience_source(strategy_id)
        except Exception:
            logger.exception("audience source failed for strategy %s", strategy_id)
            return None

    async def files(
        self,
        report: Report,
        t: Translate,
        kinds: Iterable[FileKind] = FILE_KINDS,
        *,
        weeks: int | None = None,
    ) -> list[StrategyFile]:
        """The files in ``t``'s language, built in a worker thread (matplotlib and docx
        take a noticeable moment, and other chats must not wait for them). The calendar
        covers ``weeks`` weeks, or the strategy's horizon."""
        wanted = [kind for kind in FILE_KINDS if kind in set(kinds)]
        cached = report.docx_by_locale.get(t.locale)
        length = weeks or report.calendar_weeks
        built = await asyncio.to_thread(self._build, report, t, wanted, cached, length)
        for file in built:
            if file.kind == "docx":
                report.docx_by_locale.setdefault(t.locale, file)
        return built

    def _build(
        self,
        report: Report,
        t: Translate,
        kinds: list[FileKind],
        cached_docx: StrategyFile | None,
        weeks: int,
    ) -> list[StrategyFile]:
        # python-docx and matplotlib load here, on the first document, not at start-up.
        from bot.documents.strategy_docx import build_strategy_docx  # noqa: PLC0415
        from bot.documents.week_png import build_week_png  # noqa: PLC0415

        stem = f"{file_stem(report.advice.library_name)}-{report.today.isoformat()}"
        advice = report.advice
        out: list[StrategyFile] = []
        for kind in kinds:
            if kind == "docx":
                out.append(
                    cached_docx
                    or StrategyFile(
                        "docx",
                        f"{stem}-strategy.docx",
                        build_strategy_docx(report.answers, advice, t, today=report.today),
                    )
                )
            elif kind == "ics":
                plan = plan_calendar(advice, report.calendar_start, weeks, locale=t.locale)
                data = calendar_ics(advice, plan, t)
                out.append(StrategyFile("ics", f"{stem}-calendar.ics", data, calendar=plan))
            else:
                out.append(StrategyFile("png", f"{stem}-week.png", build_week_png(advice, t)))
        return out

    async def notify_completed(self, report: Report, finished_by: int) -> int:
        """The library's other staff and the bot admins get the summary with the DOCX.

        Once per completion: the dedupe key names the strategy and the moment it was
        completed, so finishing again after edits tells everyone again. Returns how many
        people were told. Whoever finished gets the files in their chat instead.
        """
        strategy = report.strategy
        members = [
            user_id for user_id, _ in await self._repo.libraries.members(strategy.library_id)
        ]
        finisher = await self._repo.users.get(finished_by)
        name = finisher.first_name if finisher and finisher.first_name else str(finished_by)
        told = 0
        key = f"strategy-completed:{strategy.id}:{strategy.completed_at}"
        for user_id in dict.fromkeys([*members, *sorted(self._notifier.admin_ids)]):
            if user_id == finished_by or not await self._reachable(user_id):
                continue
            t = await self._notifier.translator_for(user_id)
            (docx,) = await self.files(report, t, ("docx",))
            await self._notifier.document(
                user_id,
                docx.data,
                docx.filename,
                lambda rt: completion_summary(report.advice, rt, finished_by=name),
                dedupe_key=key,
            )
            told += 1
        return told

    async def _reachable(self, user_id: int) -> bool:
        # Telegram lets a bot write only to people who opened it and did not block it;
        # people who switched notifications off in /settings are left alone.
        user = await self._repo.users.get(user_id)
        return user is not None and not user.blocked_bot and user.notifications
