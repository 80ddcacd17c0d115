"""Survey results at size: /results, charts, CSV and XLSX for 10k, 100k and 1M responses.

The database is filled directly (bulk inserts of completed responses to the default
survey, answers spread over every option), then the kept counts are filled the way
migration 0006 backfills them: one ``GROUP BY`` over the ``response_tallies`` view, the
project's own definition of what a response adds. The tally triggers are dropped while
loading and put back afterwards (a row-by-row trigger would take longer than the
measurement). Every operation is then measured in a fresh process, for an honest peak RSS:

- ``results``: what the results screen builds, ``SurveyService.results_texts`` (kept counts,
  statistics, suppression, the texts split for Telegram);
- ``charts``, ``csv``, ``xlsx``: ``SurveyService.charts`` / ``export_csv`` / ``export_xlsx``;
- ``recount`` (sizes up to 100k): the full recount the kept counts replaced
  (``stats.summarize`` over every completed response), for comparison.

At the smallest size the kept counts are checked against the full recount first.

    .venv/bin/python bench/results_at_size.py                          # 10k, 100k, 1M
    .venv/bin/python bench/results_at_size.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, peak_rss_mb, rss_mb
from bot.domain.questions import Kind
from bot.survey.questions import SurveyConfig, build_questionnaire

OPERATIONS = ("results", "charts", "csv", "xlsx", "recount")
RECOUNT_UP_TO = 100_000
TALLY_TRIGGERS = (
    "responses_tally_started",
    "responses_tally_completed",
    "answers_tally_inserted",
    "answers_tally_updated",
    "answers_tally_deleted",
)


async def create_survey(path: Path) -> tuple[int, int]:
    """A migrated database with one library, its default survey and one link."""
    from bot.db.connection import open_database
    from bot.db.repositories import Libraries, Users
    from bot.db.surveys import SurveyRepository

    db = await open_database(path)
    try:
        await Users(db).upsert(100, "Анна", "ru")
        library = await Libraries(db).create(100, "Центральная библиотека")
        surveys = SurveyRepository(db)
        survey = await surveys.create_survey(
            library.id, 100, SurveyConfig(title="Что вам интересно")
        )
        source = await surveys.add_source(survey.id, "poster", "Афиша")
        return survey.id, source.id
    finally:
        await db.close()


def answers_of(number: int, chooser: random.Random) -> list[tuple[str, str]]:
    """(question id, stored JSON) of one completed response; every question answered."""
    found = []
    for question in build_questionnaire(SurveyConfig(title="x")).questions:
        ordinary = [o.value for o in question.options if o.value != "other" and not o.exclusive]
        if question.kind is Kind.MULTI:
            value: object = sorted(chooser.sample(ordinary, 2))
        else:
            # Skewed a little, so charts and shares are not flat.
            value = ordinary[min(int(chooser.expovariate(0.6)), len(ordinary) - 1)]
        found.append((question.id, json.dumps(value, ensure_ascii=False)))
    return found


def fill(path: Path, size: int, survey_id: int, source_id: int) -> float:
    """``size`` completed responses, bulk; returns seconds taken."""
    started = time.perf_counter()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    triggers = [
        row[0]
        for name in TALLY_TRIGGERS
        for row in db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,))
    ]
    db.execute("BEGIN")
    for name in TALLY_TRIGGERS:
        db.execute(f"DROP TRIGGER {name}")
    chooser = random.Random(size)
    # A few thousand distinct answer sets, reused: generating 8M JSON values would measure
    # the generator, and the counts do not care.
    patterns = [answers_of(n, chooser) for n in range(4096)]
    stamp = "2026-11-01T10:00:00.000000Z"
    batch = 50_000
    for first in range(0, size, batch):
        numbers = range(first, min(size, first + batch))
        db.executemany(
            "INSERT INTO responses (id, survey_id, reader_hash, source_id, started_at, "
            "completed_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                (n + 1, survey_id, hashlib.sha256(b"%d" % n).hexdigest(), source_id, stamp, stamp)
                for n in numbers
            ),
        )
        db.executemany(
            "INSERT INTO response_answers (response_id, question_id, value, updated_at) "
            "VALUES (?, ?, ?, ?)",
            (
                (n + 1, question, value, stamp)
                for n in numbers
                for question, value in patterns[chooser.randrange(len(patterns))]
            ),
        )
    # The backfill of migration 0006, without the per-response rows (nothing changes later).
    db.execute("DELETE FROM survey_tallies WHERE survey_id = ?", (survey_id,))
    db.execute(
        """INSERT INTO survey_tallies (survey_id, kind, a, b, n)
           SELECT ?, 't', 'started', '', count(*) FROM responses WHERE survey_id = ?
           UNION ALL
           SELECT ?, 't', 'completed', '', count(*) FROM responses
           WHERE survey_id = ? AND completed_at IS NOT NULL
           UNION ALL
           SELECT ?, 's', CAST(source_id AS TEXT), 'started', count(*) FROM responses
           WHERE survey_id = ? GROUP BY source_id
           UNION ALL
           SELECT ?, 's', CAST(source_id AS TEXT), 'completed', count(*) FROM responses
           WHERE survey_id = ? AND completed_at IS NOT NULL GROUP BY source_id""",
        (survey_id,) * 8,
    )
    db.execute(
        """INSERT INTO survey_tallies (survey_id, kind, a, b, n)
           SELECT r.survey_id, t.kind, t.a, t.b, count(*)
           FROM response_tallies t JOIN responses r ON r.id = t.response_id
           WHERE r.survey_id = ? AND r.completed_at IS NOT NULL
           GROUP BY r.survey_id, t.kind, t.a, t.b""",
        (survey_id,),
    )
    for sql in triggers:
        db.execute(sql)
    db.execute("COMMIT")
    db.close()
    return time.perf_counter() - started


async def check_counts(path: Path, survey_id: int, size: int) -> None:
    """The kept counts agree with a full recount of the stored answers."""
    from bot.db.connection import open_database
    from bot.db.surveys import SurveyRepository
    from bot.survey import stats

    db = await open_database(path)
    try:
        surveys = SurveyRepository(db)
        survey = await surveys.get_survey(survey_id)
        assert survey is not None
        questionnaire = build_questionnaire(survey.config)
        assert await surveys.response_counts(survey_id) == (size, size)
        kept = stats.summarize_kept(questionnaire, await surveys.kept_counts(survey_id))
        full = stats.summarize(questionnaire, await surveys.completed_answers(survey_id))
        assert kept == full, "kept counts differ from a full recount"
    finally:
        await db.close()


async def measure(path: Path, survey_id: int, operation: str) -> dict[str, float]:
    """One operation, timed, in this (fresh) process."""
    from pydantic import SecretStr

    from bot.config import Settings
    from bot.db.connection import open_database
    from bot.db.repositories import Repositories
    from bot.factory import create_dispatcher
    from bot.i18n import Translator, create_i18n
    from bot.services.surveys import SurveyService
    from bot.storage import DatabaseStorage
    from bot.survey import stats

    db = await open_database(path)
    try:
        i18n = create_i18n()
        settings = Settings(
            _env_file=None,
            bot_token=None,
            database_path=path,
            survey_secret=SecretStr("bench-survey-secret"),
        )
        dispatcher = create_dispatcher(
            repo=Repositories(db), storage=DatabaseStorage(db), i18n=i18n, settings=settings
        )
        # The service the results handlers are given.
        surveys: SurveyService = dispatcher["surveys"]
        survey = await surveys.repo.surveys.get_survey(survey_id)
        assert survey is not None
        t = Translator(i18n, "ru")

        async def run() -> int:
            if operation == "results":
                return len("".join(await surveys.results_texts(survey, t)))
            if operation == "charts":
                return sum(len(png) for _, png in await surveys.charts(survey, t))
            if operation == "csv":
                return len(await surveys.export_csv(survey, t))
            if operation == "xlsx":
                return len(await surveys.export_xlsx(survey, t))
            answers = await surveys.repo.surveys.completed_answers(survey_id)
            stats.summarize(build_questionnaire(survey.config), answers)
            return len(answers)

        before = rss_mb()
        # The first call pays for lazy imports (matplotlib, openpyxl) and pydantic's first
        # validation; the second is what every later call costs.
        started = time.perf_counter()
        await run()
        first = time.perf_counter() - started
        started = time.perf_counter()
        size = await run()
        again = time.perf_counter() - started
        return {
            "first": first * 1000,
            "ms": again * 1000,
            "rss_before": before,
            "peak": peak_rss_mb(),
            "size": size,
        }
    finally:
        await db.close()


def measure_in_child(path: Path, survey_id: int, operation: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", operation, str(path), str(survey_id)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        operation, path, survey_id = args.measure
        print(json.dumps(asyncio.run(measure(Path(path), int(survey_id), operation))))
        return
    print(f"machine: {machine()}")
    print(f"command: python bench/results_at_size.py --sizes {' '.join(map(str, args.sizes))}")
    print("each operation in a fresh process; RSS: before the operation -> peak (MB)")
    for index, size in enumerate(sorted(args.sizes)):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.sqlite3"
            survey_id, source_id = asyncio.run(create_survey(path))
            seconds = fill(path, size, survey_id, source_id)
            if index == 0:
                asyncio.run(check_counts(path, survey_id, size))
            checked = ", kept counts = full recount (checked)" if index == 0 else ""
            print(f"{size:>9,} responses (filled in {seconds:.0f} s{checked}):")
            for operation in OPERATIONS:
                if operation == "recount" and size > RECOUNT_UP_TO:
                    continue
                got = measure_in_child(path, survey_id, operation)
                print(
                    f"  {operation:>8}: {got['ms']:9.1f} ms (first call {got['first']:.0f} ms), "
                    f"RSS {got['rss_before']:.0f} -> {got['peak']:.0f} MB peak"
                )


if __name__ == "__main__":
    main()
