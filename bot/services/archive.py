"""Everything of one library in one ZIP, for an owner who leaves (or an admin).

Strategies as DOCX with their answers as JSON, every survey's answers as CSV (respondents
numbered, never named) and its results as text. No aiogram here.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from html import unescape

from bot.db.repositories import Library, Repositories
from bot.domain.translate import Translate
from bot.services.reports import StrategyReports
from bot.services.surveys import SurveyService

_TAG = re.compile(r"<[^>]+>")


def _plain(html_text: str) -> str:
    return unescape(_TAG.sub("", html_text))


async def library_zip(
    library: Library,
    *,
    repo: Repositories,
    reports: StrategyReports,
    surveys: SurveyService,
    t: Translate,
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        profile = {
            "name": library.name,
            "settlement": library.settlement,
            "region": library.region,
            "country": library.country,
            "timezone": library.timezone,
            "members": len(await repo.libraries.members(library.id)),
        }
        archive.writestr("library.json", json.dumps(profile, ensure_ascii=False, indent=2))
        for strategy in await repo.strategies.of_library(library.id):
            folder = f"strategies/{strategy.id:04d}-{strategy.status}"
            answers = await repo.answers.all(strategy.id)
            archive.writestr(
                f"{folder}/answers.json", json.dumps(answers, ensure_ascii=False, indent=2)
            )
            report = await reports.report(strategy)
            for file in await reports.files(report, t, ("docx",)):
                archive.writestr(f"{folder}/{file.filename}", file.data)
        for survey in await surveys.of_libraries([library.id]):
            folder = f"surveys/{survey.id:04d}"
            archive.writestr(f"{folder}/answers.csv", await surveys.export_csv(survey, t))
            results = "\n\n".join(_plain(part) for part in await surveys.results_texts(survey, t))
            archive.writestr(f"{folder}/results.txt", results)
    return buffer.getvalue()
