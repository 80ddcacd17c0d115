"""Everything of one library in one ZIP, for an owner who leaves (or an admin).

Strategies as DOCX with their answers as JSON, every survey's answers as CSV (respondents
numbered, never named) and its results as text, the plan's tables as CSV (its posts, who
wants reminders by number, the channel, the check-ins) with its progress against the KPIs
as text and chart. No aiogram here.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import zipfile
from datetime import date
from html import unescape

from bot.db.plan_repository import PlanPost
from bot.db.repositories import Library, Repositories
from bot.domain.translate import Translate
from bot.services.plan_texts import post_body
from bot.services.plans import PlanService
from bot.services.reports import StrategyReports
from bot.services.surveys import SurveyService
from bot.survey.export import csv_delimiter, to_csv

_TAG = re.compile(r"<[^>]+>")

PLAN_FOLDER = "plan"


def _plain(html_text: str) -> str:
    return unescape(_TAG.sub("", html_text))


def _cell(value: object) -> str:
    return "" if value is None else str(value)


async def _plan_files(
    library: Library, repo: Repositories, plans: PlanService, t: Translate
) -> list[tuple[str, bytes]]:
    """One CSV per plan table (``PlanRepository.export``), and the progress message with its
    chart; nothing without a plan."""
    if await repo.plans.get(library.id) is None:
        return []
    posts = {post.id: post for post in await repo.plans.between(library.id, date.min, date.max)}
    files = []
    for table, (columns, rows) in (await repo.plans.export(library.id)).items():
        lines = _table_lines(table, columns, rows, posts, t)
        data = to_csv(lines, delimiter=csv_delimiter(t.locale))
        files.append((f"{PLAN_FOLDER}/{table}.csv", data))
    progress = await plans.progress(library.id, t)
    if progress is not None:
        text, png = progress
        files.append((f"{PLAN_FOLDER}/progress.txt", _plain(text).encode()))
        files.append((f"{PLAN_FOLDER}/progress.png", png))
    return files


def _table_lines(
    table: str,
    columns: list[str],
    rows: list[list[object]],
    posts: dict[int, PlanPost],
    t: Translate,
) -> list[list[str]]:
    extra: list[str] = []
    if table == "plan_posts":
        # A draft is stored as locale keys: the text the staff saw goes beside it.
        extra = ["shown_text"]
        rows = [[*row, _plain(post_body(posts[int(str(row[0]))], t))] for row in rows]
    elif table == "plan_subscribers":
        # Numbered, as survey respondents are: how many, never who.
        extra = ["subscriber"]
        rows = [[*row, number] for number, row in enumerate(rows, 1)]
    return [[*columns, *extra], *([_cell(value) for value in row] for row in rows)]


def _pack(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


async def library_zip(
    library: Library,
    *,
    repo: Repositories,
    reports: StrategyReports,
    surveys: SurveyService,
    plans: PlanService,
    t: Translate,
) -> bytes:
    profile = {
        "name": library.name,
        "settlement": library.settlement,
        "region": library.region,
        "country": library.country,
        "timezone": library.timezone,
        "members": len(await repo.libraries.members(library.id)),
    }
    files = [("library.json", json.dumps(profile, ensure_ascii=False, indent=2).encode())]
    for strategy in await repo.strategies.of_library(library.id):
        folder = f"strategies/{strategy.id:04d}-{strategy.status}"
        answers = await repo.answers.all(strategy.id)
        files.append(
            (f"{folder}/answers.json", json.dumps(answers, ensure_ascii=False, indent=2).encode())
        )
        report = await reports.report(strategy)
        for file in await reports.files(report, t, ("docx",)):
            files.append((f"{folder}/{file.filename}", file.data))
    for survey in await surveys.of_libraries([library.id]):
        folder = f"surveys/{survey.id:04d}"
        files.append((f"{folder}/answers.csv", await surveys.export_csv(survey, t)))
        results = "\n\n".join(_plain(part) for part in await surveys.results_texts(survey, t))
        files.append((f"{folder}/results.txt", results.encode()))
    files += await _plan_files(library, repo, plans, t)
    # Compressing the documents takes a while for a big library: off the event loop.
    return await asyncio.to_thread(_pack, files)
