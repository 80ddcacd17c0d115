"""Kept counts against a full recount, after any sequence of starts, answers, changes,
completions and /forget."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.db.connection import migrate, migration_scripts, open_database
from bot.db.repositories import Libraries
from bot.db.surveys import SurveyRepository
from bot.db.units import UnitConnection
from bot.domain.questions import Kind, ticked_key
from bot.domain.summary import other_key
from bot.survey import stats
from bot.survey.questions import DEFAULT_QUESTIONNAIRE, SurveyConfig

QUESTIONS = DEFAULT_QUESTIONNAIRE.questions
READERS = 2

_reader = st.integers(0, READERS - 1)
# The place, the age, the interests, the networks (with an exclusive "none") and the last
# question: few enough that answers meet and change each other often.
_question = st.sampled_from([0, 1, 4, 5, len(QUESTIONS) - 1])
# Option indexes; a single choice uses the first one, an empty list means "skipped" (null).
_picks = st.lists(st.integers(0, 20), max_size=4)
Operation = tuple[Any, ...]
_answer = st.tuples(st.just("answer"), _reader, _question, _picks)
_operations = st.lists(
    st.one_of(
        st.tuples(st.just("start"), _reader, st.integers(0, 1)),
        # Answers weigh more: most changes of a completed response are answers.
        _answer,
        _answer,
        _answer,
        st.tuples(st.just("tick"), _reader, _question, _picks),
        st.tuples(st.just("other"), _reader, _question),
        st.tuples(st.just("delete"), _reader, _question),
        st.tuples(st.just("complete"), _reader),
        st.tuples(st.just("forget"), _reader),
    ),
    max_size=25,
)


def _value(question_index: int, picks: list[int]) -> Any:
    question = QUESTIONS[question_index]
    values = [question.options[p % len(question.options)].value for p in picks]
    if not values:
        return None
    return values if question.kind is Kind.MULTI else values[0]


async def _run(path: Path, operations: list[Operation]) -> None:
    db = await open_database(path)
    try:
        # Raw SQL as the old code wrote it: today's repositories know later columns.
        await db.execute("INSERT INTO users (id, first_name, language) VALUES (1, 'Staff', 'ru')")
        library = await Libraries(db).create(1, "Library")
        repo = SurveyRepository(db)
        survey = await repo.create_survey(library.id, 1, SurveyConfig(title="Waves"))
        sources = [
            await repo.add_source(survey.id, "poster"),
            await repo.add_source(survey.id, "vk"),
        ]
        for operation in operations:
            await _apply(repo, survey.id, [s.id for s in sources], operation)
            # After every step: a later change recounting a response must not hide a wrong one.
            await _check(db, repo, survey.id)
    finally:
        await db.close()


async def _apply(
    repo: SurveyRepository, survey_id: int, sources: list[int], operation: Operation
) -> None:
    kind, reader = operation[0], f"reader-{operation[1]}"
    if kind == "start":
        await repo.start_or_resume(survey_id, reader, sources[operation[2]])
        return
    if kind == "forget":
        await repo.forget_reader(reader)
        return
    response = await repo.response_of(survey_id, reader)
    if response is None:
        return
    if kind == "complete":
        await repo.complete(response.id, reader)
        return
    question = QUESTIONS[operation[2]]
    if kind == "answer":
        await repo.save_answer(
            response.id, reader, question.id, _value(operation[2], operation[3])
        )
    elif kind == "tick":
        await repo.save_answer(response.id, reader, ticked_key(question.id), operation[3])
    elif kind == "other":
        await repo.save_answer(response.id, reader, other_key(question.id), "своё")
    else:
        await repo.delete_answer(response.id, reader, question.id)


async def _check(db: Any, repo: SurveyRepository, survey_id: int) -> None:
    completed = await repo.completed_answers(survey_id)
    kept = await repo.kept_counts(survey_id)
    assert kept.respondents == len(completed)
    assert stats.kept_question_counts(DEFAULT_QUESTIONNAIRE, kept) == stats.count_answers(
        DEFAULT_QUESTIONNAIRE, completed
    )
    totals, cells = stats.count_crosstab(DEFAULT_QUESTIONNAIRE, completed)
    assert {k: n for k, n in kept.row_totals.items() if n} == totals
    assert {k: n for k, n in kept.cells.items() if n} == cells
    assert stats.summarize_kept(DEFAULT_QUESTIONNAIRE, kept) == stats.summarize(
        DEFAULT_QUESTIONNAIRE, completed
    )
    ((started, finished),) = await db.execute_fetchall(
        "SELECT count(*), count(completed_at) FROM responses WHERE survey_id = ?", (survey_id,)
    )
    assert await repo.response_counts(survey_id) == (started, finished)
    recount = {
        int(row[0]): (int(row[1]), int(row[2]))
        for row in await db.execute_fetchall(
            """SELECT src.id, count(r.id), count(r.completed_at) FROM survey_sources src
               LEFT JOIN responses r ON r.source_id = src.id WHERE src.survey_id = ?
               GROUP BY src.id""",
            (survey_id,),
        )
    }
    kept_sources = {
        c.source.id: (c.started, c.completed) for c in await repo.source_counts(survey_id)
    }
    assert kept_sources == recount


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_operations, st.booleans(), _operations)
def test_kept_counts_equal_a_full_recount(
    before: list[Operation], everyone_completes: bool, after: list[Operation]
) -> None:
    # Random steps, then (often) every reader completes, then random steps again: so changes
    # to completed responses are as likely as answers before completion.
    middle: list[Operation] = []
    if everyone_completes:
        for reader in range(READERS):
            middle += [("start", reader, reader % 2), ("complete", reader)]
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_run(Path(folder) / "bot.sqlite3", [*before, *middle, *after]))


def test_a_completed_survey_walk_is_counted() -> None:
    # Every reader answers everything and completes; two change an answer; one forgets.
    operations: list[Operation] = []
    for reader in range(READERS):
        operations.append(("start", reader, reader % 2))
        operations += [("answer", reader, q, [reader, reader + 1]) for q in range(len(QUESTIONS))]
        operations.append(("complete", reader))
    operations += [("answer", 0, 1, [3]), ("answer", 1, 4, [2, 5]), ("forget", 2)]
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_run(Path(folder) / "bot.sqlite3", operations))


async def test_the_migration_counts_surveys_answered_before_it(tmp_path: Path) -> None:
    """A database from before kept counts: the upgrade counts what is already there."""
    scripts = migration_scripts()
    tallies = next(v for v, name, _ in scripts if name.endswith("_survey_tallies.sql"))
    db = UnitConnection(str(tmp_path / "old.sqlite3"))
    await db
    try:
        await migrate(db, [s for s in scripts if s[0] < tallies])
        await db.execute("PRAGMA foreign_keys=ON")
        # Raw SQL as the old code wrote it: today's repositories know later columns.
        await db.execute("INSERT INTO users (id, first_name, language) VALUES (1, 'Staff', 'ru')")
        library = await Libraries(db).create(1, "Library")
        repo = SurveyRepository(db)
        survey = await repo.create_survey(library.id, 1, SurveyConfig(title="Old"))
        source = await repo.add_source(survey.id, "poster")
        for number in range(7):
            # Written as the old code did: no tallies table yet.
            await db.execute(
                "INSERT INTO responses (survey_id, reader_hash, source_id) VALUES (?, ?, ?)",
                (survey.id, f"r{number}", source.id),
            )
            for index, question in enumerate(QUESTIONS):
                value = _value(index, [number, number + 2])
                await db.execute(
                    """INSERT INTO response_answers (response_id, question_id, value)
                       SELECT id, ?, json(?) FROM responses WHERE reader_hash = ?""",
                    (question.id, json.dumps(value), f"r{number}"),
                )
            if number < 6:
                await db.execute(
                    "UPDATE responses SET completed_at = 'x' WHERE reader_hash = ?",
                    (f"r{number}",),
                )
        await db.commit()
        await migrate(db)
        await _check(db, repo, survey.id)
        assert (await repo.kept_counts(survey.id)).respondents == 6
        assert await repo.response_counts(survey.id) == (7, 6)
    finally:
        await db.close()
