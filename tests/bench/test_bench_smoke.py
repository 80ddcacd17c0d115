"""Each benchmark runs end to end at its tiniest size and checks what it claims to count.

Figures are never asserted (no timed assertions); what is asserted is that a benchmark
measures what it says: every reader's response stored, kept counts equal to a full recount,
every user's wizard state stored, the console reaching its prompt.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench import memory, run_all
from bench import results_at_size as aggregation
from bench import survey_ingest as ingest
from bench.common import percentile
from bot.db.connection import open_database
from bot.db.surveys import SurveyRepository


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile(values, 1.0) == 100.0
    assert percentile([7.0], 0.99) == 7.0


async def test_ingest_stores_one_response_per_reader(tmp_path: Path) -> None:
    bare, ours, units = await ingest.ingest(tmp_path / "bench.sqlite3", 3, 1)
    # 17 updates a reader: link, start, 5 single choices, 3 multiple (2 ticks + done), send.
    assert ours.updates == bare.updates == 3 * 17
    assert set(units) == {"command", "press"}
    lines = ingest.report("ingest", bare, ours, units)
    assert "ratio (bot time / bare time)" in lines[3]


async def test_aggregation_fill_agrees_with_a_full_recount(tmp_path: Path) -> None:
    path = tmp_path / "bench.sqlite3"
    survey_id, source_id = await aggregation.create_survey(path)
    aggregation.fill(path, 40, survey_id, source_id)
    await aggregation.check_counts(path, survey_id, 40)
    for operation in ("results", "csv", "recount"):
        got = await aggregation.measure(path, survey_id, operation)
        assert got["size"] > 0
    # The tally triggers are back: a reader answering now is counted as before.
    db = await open_database(path)
    try:
        surveys = SurveyRepository(db)
        started = await surveys.start_or_resume(survey_id, "a-new-reader", source_id)
        assert await surveys.response_counts(survey_id) == (41, 40), started
    finally:
        await db.close()


async def test_memory_keeps_every_wizard_state() -> None:
    before, after, seconds = await memory.wizard_users(3)
    assert before > 0 and after > 0 and seconds > 0


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc and opens a pty")
def test_console_reaches_its_prompt(tmp_path: Path) -> None:
    wall, cpu = memory.console_prompt(str(tmp_path))
    assert wall > 0 and cpu > 0


def test_run_all_plans_every_part_and_prints_one_table() -> None:
    parts = run_all.plan(quick=True, tiny=False, database_url="postgresql://x/y")
    names = [part.name for part in parts]
    assert names == [
        "wizard, SQLite",
        "survey ingest, SQLite",
        "survey ingest, PostgreSQL",
        "aggregation",
        "memory and start-up",
    ]
    text = run_all.table([(parts[0], ["a | b", "c"], 1.0)])
    assert text.splitlines()[2] == (
        "| wizard, SQLite (1 s) | `python bench/dispatch.py --users 100 --rounds 1` | a / b<br>c |"
    )
