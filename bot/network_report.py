"""The library network at a glance, for admins (a methodologist): one row per library.

Strategy status, the networks chosen and posts a week planned (from the latest strategy's
advice, computed as the librarian sees it), team size and survey counts. No aiogram here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.advice import build_advice
from bot.db.reads import fetch_all, fetch_one
from bot.db.repositories import Library, Repositories
from bot.documents.common import network_name
from bot.domain.translate import Translate


@dataclass(frozen=True, slots=True)
class LibraryRow:
    library: Library
    members: int
    drafts: int
    complete: int
    networks: tuple[str, ...]
    """Chosen in the latest finished strategy (else the latest draft)."""
    posts_per_week: int
    surveys: int
    surveys_open: int
    responses: int
    """Completed survey answers over all the library's surveys."""


async def library_rows(repo: Repositories) -> list[LibraryRow]:
    rows = []
    for library in await repo.libraries.all():
        strategies = await repo.strategies.of_library(library.id)
        finished = [s for s in strategies if s.is_complete]
        latest = max(finished or strategies, key=lambda s: (s.updated_at, s.id), default=None)
        networks: tuple[str, ...] = ()
        posts = 0
        if latest is not None:
            advice = build_advice(await repo.answers.all(latest.id))
            networks = advice.chosen_networks
            posts = len(advice.slots)
        members = await fetch_one(
            repo.db, "SELECT COUNT(*) FROM memberships WHERE library_id = ?", (library.id,)
        )
        surveys = await fetch_all(
            repo.db,
            """SELECT s.status, (SELECT COUNT(completed_at) FROM responses r
                                 WHERE r.survey_id = s.id)
               FROM surveys s WHERE s.library_id = ?""",
            (library.id,),
        )
        rows.append(
            LibraryRow(
                library=library,
                members=int(members[0]) if members else 0,
                drafts=len(strategies) - len(finished),
                complete=len(finished),
                networks=networks,
                posts_per_week=posts,
                surveys=len(surveys),
                surveys_open=sum(1 for status, _ in surveys if status == "open"),
                responses=sum(int(count or 0) for _, count in surveys),
            )
        )
    return rows


def _name(row: LibraryRow, t: Translate) -> str:
    return row.library.name or t("msg.untitled_library")


def status_text(row: LibraryRow, t: Translate) -> str:
    if row.complete:
        return t("admin.network.status_complete")
    return t("admin.network.status_draft") if row.drafts else t("admin.network.status_none")


def render_lines(rows: list[LibraryRow], t: Translate) -> str:
    """One short line per library for /stats (HTML-escaped)."""
    if not rows:
        return t("admin.network.none")
    lines = [t("admin.network.title")]
    for row in rows:
        networks = ", ".join(network_name(n, t) for n in row.networks) or "—"
        lines.append(
            t(
                "admin.network.line",
                library=html.escape(_name(row, t)),
                status=status_text(row, t),
                networks=html.escape(networks),
                posts=row.posts_per_week,
                surveys=row.surveys,
                responses=row.responses,
            )
        )
    return "\n".join(lines)


def table(rows: list[LibraryRow], t: Translate) -> list[list[str]]:
    """The XLSX sheet: a header, then one row per library (plain text, no HTML)."""
    header = [
        t(f"admin.network.col.{name}")
        for name in (
            "library",
            "settlement",
            "region",
            "members",
            "status",
            "drafts",
            "complete",
            "networks",
            "posts",
            "surveys",
            "surveys_open",
            "responses",
        )
    ]
    body = [
        [
            _name(row, t),
            row.library.settlement,
            row.library.region,
            str(row.members),
            status_text(row, t),
            str(row.drafts),
            str(row.complete),
            ", ".join(network_name(n, t) for n in row.networks),
            str(row.posts_per_week),
            str(row.surveys),
            str(row.surveys_open),
            str(row.responses),
        ]
        for row in rows
    ]
    return [header, *body]
