"""Survey results at any size: /results (statistics and texts), charts, CSV and XLSX.

Rows are generated with direct inserts (one transaction, the schema's own triggers keep the
counts, exactly as answering through the bot does), so a million responses take minutes,
not days. Every operation then runs in a fresh process on that database: its time (ms, the
operation alone) and the process's peak RSS (which includes the ~180 MB of importing the
bot; the idle figure is printed for comparison).

    .venv/bin/python bench/aggregation.py                    # 10,000 and 100,000
    .venv/bin/python bench/aggregation.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import Settings
from bot.db.connection import open_database
from bot.db.repositories import Libraries, Repositories, Users
from bot.db.surveys import SurveyRepository
from bot.domain.questions import OTHER, Kind
from bot.i18n import Translator, create_i18n
from bot.services.surveys import SurveyService
from bot.survey.questions import SurveyConfig, build_questionnaire

OPERATIONS = ("idle", "stats", "texts", "charts", "csv", "xlsx")


async def _create_survey(path: Path) -> int:
    db = await open_database(path)
    await Users(db).upsert(100, "Анна", "ru")
    library = await Libraries(db).create(100, "Библиотека")
    surveys = SurveyRepository(db)
    config = SurveyConfig(title="Что вам интересно", places=("Центр", "Север", "Юг"))
    survey = await surveys.create_survey(library.id, 100, config)
    for label in ("Афиша", "Сайт", "ВКонтакте"):
        await surveys.add_source(survey.id, "poster", label)
    await db.close()
    return survey.id


def generate(path: Path, responses: int, seed: int = 1) -> int:
    """A database with one survey and ``responses`` completed responses."""
    survey_id = asyncio.run(_create_survey(path))
    questionnaire = build_questionnaire(
        SurveyConfig(title="Что вам интересно", places=("Центр", "Север", "Юг"))
    )
    rng = random.Random(seed)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    sources = [row[0] for row in db.execute("SELECT id FROM survey_sources")]
    db.execute("BEGIN")
    first = (db.execute("SELECT coalesce(max(id), 0) FROM responses").fetchone()[0]) + 1
    batch = 10_000
    for start in range(0, responses, batch):
        count = min(batch, responses - start)
        db.executemany(
            "INSERT INTO responses (id, survey_id, reader_hash, source_id) VALUES (?, ?, ?, ?)",
            [
                (first + start + n, survey_id, f"bench-{start + n:08d}", rng.choice(sources))
                for n in range(count)
            ],
        )
        rows = []
        for n in range(count):
            for question in questionnaire.questions:
                options = [o for o in question.options if o.value != OTHER]
                if question.kind is Kind.SINGLE and options:
                    value: object = rng.choice(options).value
                elif question.kind is Kind.MULTI and options:
                    plain = [o.value for o in options if not o.exclusive] or [options[0].value]
                    value = sorted(set(rng.sample(plain, min(len(plain), rng.randint(1, 3)))))
                else:
                    continue
                rows.append((first + start + n, question.id, json.dumps(value)))
        db.executemany(
            "INSERT INTO response_answers (response_id, question_id, value) VALUES (?, ?, ?)",
            rows,
        )
    # Completion counts every answer once (the schema's triggers), as /send does.
    db.execute(
        "UPDATE responses SET completed_at = '2026-12-01T10:00:00.000Z' WHERE survey_id = ?",
        (survey_id,),
    )
    db.execute("COMMIT")
    db.close()
    return survey_id


async def _operate(path: Path, survey_id: int, operation: str) -> float:
    db = await open_database(path)
    settings = Settings(_env_file=None, bot_token=None, database_path=path)

    async def key() -> bytes:
        return b"k" * 32  # results never need the readers' key

    surveys = SurveyService(
        Repositories(db),
        None,  # type: ignore[arg-type]  # results notify nobody
        key=key,
        min_results=settings.survey_min_results,
        min_for_strategy=settings.survey_min_for_strategy,
    )
    t = Translator(create_i18n(), "ru")
    survey = await Repositories(db).surveys.get_survey(survey_id)
    assert survey is not None
    started = time.perf_counter()
    if operation == "stats":
        await surveys.statistics(survey)
    elif operation == "texts":
        await surveys.results_texts(survey, t)
    elif operation == "charts":
        await surveys.charts(survey, t)
    elif operation == "csv":
        await surveys.export_csv(survey, t)
    elif operation == "xlsx":
        await surveys.export_xlsx(survey, t)
    elapsed = time.perf_counter() - started
    await db.close()
    return elapsed


def child(path: Path, survey_id: int, operation: str) -> None:
    elapsed = asyncio.run(_operate(path, survey_id, operation))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    sys.stdout.write(f"{elapsed * 1000:.1f} {peak}\n")


def measure(path: Path, survey_id: int, operation: str) -> tuple[float, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), str(survey_id), operation],
        capture_output=True, text=True, check=True,
        env={**os.environ, "MPLCONFIGDIR": str(path.parent)},
    ).stdout.split()  # fmt: skip
    return float(out[0]), int(out[1])


def main(sizes: list[int]) -> list[tuple[str, str, str]]:
    """Rows of (figure, value, note) for the table; printed when run alone."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"survey-{size}.sqlite3"
            started = time.perf_counter()
            survey_id = generate(path, size)
            made = time.perf_counter() - started
            megabytes = path.stat().st_size / 2**20
            rows.append((f"{size:,} responses: generated", f"{made:.0f} s", f"{megabytes:.0f} MB"))
            for operation in OPERATIONS:
                ms, peak = measure(path, survey_id, operation)
                value = f"{peak} MB peak" if operation == "idle" else f"{ms:.0f} ms"
                note = "" if operation == "idle" else f"{peak} MB peak RSS"
                rows.append((f"{size:,} responses: {operation}", value, note))
            path.unlink()
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
        raise SystemExit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"command: python bench/aggregation.py --sizes {' '.join(map(str, args.sizes))}")
    for figure, value, note in main(args.sizes):
        print(f"{figure:<36} {value:>12}  {note}")
