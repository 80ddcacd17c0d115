"""The library network at a glance, for admins (a methodologist): one row per library.

Strategy status, the networks chosen and posts a week planned (from the latest strategy's
advice, computed as the librarian sees it), team size and survey counts. The counts come
from ``repo.stats``; the texts are drawn by the caller (handlers/admin.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.advice import build_advice
from bot.db.repositories import Library, Repositories
from bot.db.stats import LibraryCounts


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
    counts = await repo.stats.libraries()
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
        kept = counts.get(library.id, LibraryCounts())
        rows.append(
            LibraryRow(
                library=library,
                members=kept.members,
                drafts=len(strategies) - len(finished),
                complete=len(finished),
                networks=networks,
                posts_per_week=posts,
                surveys=kept.surveys,
                surveys_open=kept.surveys_open,
                responses=kept.responses,
            )
        )
    return rows
