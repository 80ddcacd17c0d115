from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.db.connection import open_database
from bot.db.engine import Database
from bot.db.surveys import SurveyRepository
from bot.survey.links import SourceKind, new_payload, reader_hash
from bot.survey.models import LinkProblem, Resolved, Started, Survey
from bot.survey.questions import AGE, INTERESTS, PLACE, SurveyConfig

STAFF_ID = 1001  # the library owner made by the library_id fixture

SECRET = b"k" * 32
READERS = 200


def hashed(reader: int) -> str:
    return reader_hash(SECRET, 500_000 + reader)


async def new_survey(
    repo: SurveyRepository, library_id: int, **config: object
) -> tuple[Survey, int]:
    survey = await repo.create_survey(library_id, STAFF_ID, SurveyConfig(title="Опрос", **config))  # type: ignore[arg-type]
    source = await repo.add_source(survey.id, SourceKind.POSTER, "У входа")
    return survey, source.id


async def answer_everything(
    repo: SurveyRepository, survey_id: int, source_id: int, reader: int
) -> int:
    started = await repo.start_or_resume(survey_id, hashed(reader), source_id)
    assert isinstance(started, Started)
    response = started.response
    assert await repo.save_answer(
        response.id, hashed(reader), AGE, "18_24" if reader % 2 else "65_plus"
    )
    assert await repo.save_answer(response.id, hashed(reader), INTERESTS, ["fiction", "history"])
    assert await repo.save_answer(response.id, hashed(reader), PLACE, "district")
    assert await repo.complete(response.id, hashed(reader))
    return response.id


async def test_two_hundred_readers_at_once_each_get_exactly_one_response(
    repo: SurveyRepository, library_id: int
) -> None:
    survey, source_id = await new_survey(repo, library_id)

    ids = await asyncio.gather(
        *(answer_everything(repo, survey.id, source_id, reader) for reader in range(READERS))
    )

    assert len(set(ids)) == READERS
    assert await repo.response_counts(survey.id) == (READERS, READERS)
    rows = await repo.export_rows(survey.id)
    assert [row.number for row in rows] == list(range(1, READERS + 1))
    assert all(
        row.answers[INTERESTS] == ["fiction", "history"] and row.answers[PLACE] == "district"
        for row in rows
    )
    assert sum(row.answers[AGE] == "18_24" for row in rows) == READERS // 2


async def test_the_same_readers_arriving_twice_at_once_are_not_doubled(
    repo: SurveyRepository, library_id: int
) -> None:
    survey, source_id = await new_survey(repo, library_id)

    results = await asyncio.gather(
        *(
            repo.start_or_resume(survey.id, hashed(reader), source_id)
            for reader in list(range(READERS)) * 2
        )
    )

    started = [result for result in results if isinstance(result, Started)]
    assert len(started) == 2 * READERS
    assert sum(not result.resumed for result in started) == READERS
    by_reader: dict[str, set[int]] = {}
    for result in started:
        by_reader.setdefault(result.response.reader_hash, set()).add(result.response.id)
    assert len(by_reader) == READERS
    assert all(len(ids) == 1 for ids in by_reader.values())
    assert await repo.response_counts(survey.id) == (READERS, 0)


async def test_several_connections_to_one_file_agree(tmp_path: Path, library_id: int) -> None:
    # library_id comes from the fixture database; this test opens its own file.
    del library_id
    path = tmp_path / "shared.sqlite3"
    connections = [await open_database(path) for _ in range(3)]
    try:
        db = connections[0]
        await db.execute("INSERT INTO users (id, first_name) VALUES (?, 'Staff')", (STAFF_ID,))
        await db.execute("INSERT INTO libraries (id, owner_id) VALUES (1, ?)", (STAFF_ID,))
        await db.commit()
        repos = [SurveyRepository(connection) for connection in connections]
        survey = await repos[0].create_survey(
            1, STAFF_ID, SurveyConfig(title="x", response_cap=150)
        )

        results = await asyncio.gather(
            *(
                repos[(reader + attempt) % 3].start_or_resume(survey.id, hashed(reader))
                for reader in range(READERS)
                for attempt in range(2)
            )
        )

        assert sum(isinstance(r, Started) and not r.resumed for r in results) == 150
        assert await repos[1].response_counts(survey.id) == (150, 0)
        full_readers = {
            reader
            for index, reader in enumerate(r for r in range(READERS) for _ in range(2))
            if results[index] is LinkProblem.FULL
        }
        assert len(full_readers) == READERS - 150
    finally:
        for connection in connections:
            await connection.close()


async def test_cap_is_never_passed_by_a_crowd(repo: SurveyRepository, library_id: int) -> None:
    survey, source_id = await new_survey(repo, library_id, response_cap=50)

    results = await asyncio.gather(
        *(repo.start_or_resume(survey.id, hashed(reader), source_id) for reader in range(READERS))
    )

    assert sum(isinstance(result, Started) for result in results) == 50
    assert sum(result is LinkProblem.FULL for result in results) == READERS - 50
    assert await repo.response_counts(survey.id) == (50, 0)


async def test_resume_keeps_answers_and_the_reader_can_change_them(
    repo: SurveyRepository, library_id: int
) -> None:
    survey, source_id = await new_survey(repo, library_id)
    reader = hashed(7)
    first = await repo.start_or_resume(survey.id, reader, source_id)
    assert isinstance(first, Started)
    assert not first.resumed
    assert await repo.save_answer(first.response.id, reader, AGE, "25_34")

    again = await repo.start_or_resume(survey.id, reader, source_id)
    assert isinstance(again, Started)
    assert again.resumed
    assert again.response.id == first.response.id
    assert await repo.answers(again.response.id) == {AGE: "25_34"}

    assert await repo.complete(first.response.id, reader)
    assert not await repo.complete(first.response.id, reader)  # one "thanks" only
    assert await repo.save_answer(first.response.id, reader, AGE, "35_44")
    assert await repo.answers(first.response.id) == {AGE: "35_44"}
    assert await repo.delete_answer(first.response.id, reader, AGE)
    assert await repo.answers(first.response.id) == {}

    assert await repo.close_survey(survey.id)
    assert not await repo.save_answer(first.response.id, reader, AGE, "45_54")
    assert await repo.answers(first.response.id) == {}
    assert await repo.start_or_resume(survey.id, reader, source_id) is LinkProblem.CLOSED


async def test_an_answer_needs_the_matching_reader(
    repo: SurveyRepository, library_id: int
) -> None:
    survey, _ = await new_survey(repo, library_id)
    started = await repo.start_or_resume(survey.id, hashed(1))
    assert isinstance(started, Started)

    assert not await repo.save_answer(started.response.id, hashed(2), AGE, "18_24")
    assert not await repo.complete(started.response.id, hashed(2))
    assert await repo.answers(started.response.id) == {}


async def test_forget_removes_a_reader_from_every_survey(
    repo: SurveyRepository, db: Database, library_id: int
) -> None:
    first, source_first = await new_survey(repo, library_id)
    second, source_second = await new_survey(repo, library_id)
    for reader in range(3):
        await answer_everything(repo, first.id, source_first, reader)
    await answer_everything(repo, second.id, source_second, 0)

    assert await repo.reader_response_count(hashed(0)) == 2
    assert await repo.forget_reader(hashed(0)) == 2
    assert await repo.reader_response_count(hashed(0)) == 0
    assert await repo.forget_reader(hashed(0)) == 0

    assert await repo.response_counts(first.id) == (2, 2)
    assert await repo.response_counts(second.id) == (0, 0)
    async with db.execute(
        "SELECT count(*) FROM response_answers a JOIN responses r ON r.id = a.response_id "
        "WHERE r.reader_hash = ?",
        (hashed(0),),
    ) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    assert row[0] == 0
    async with db.execute("SELECT count(*) FROM response_answers") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    assert row[0] == 2 * 3  # the two remaining readers' answers are untouched


async def test_survey_tables_never_hold_the_telegram_id(
    repo: SurveyRepository, db: Database, library_id: int
) -> None:
    survey, source_id = await new_survey(repo, library_id)
    await answer_everything(repo, survey.id, source_id, 42)
    telegram_id = str(500_000 + 42)
    for table in ("responses", "response_answers"):
        async with db.execute(f"SELECT * FROM {table}") as cursor:
            rows = await cursor.fetchall()
        assert rows
        assert not any(telegram_id in str(value) for row in rows for value in row)


async def test_payloads_resolve_or_say_why_not(repo: SurveyRepository, library_id: int) -> None:
    survey, _ = await new_survey(repo, library_id)
    vk = await repo.add_source(survey.id, SourceKind.VK, "Пост 1 мая")

    resolved = await repo.resolve_payload(vk.payload)
    assert isinstance(resolved, Resolved)
    assert resolved.survey.id == survey.id
    assert resolved.source == vk

    assert await repo.resolve_payload(new_payload()) is LinkProblem.UNKNOWN  # forged
    assert await repo.resolve_payload(vk.payload + "x") is LinkProblem.MALFORMED
    assert await repo.resolve_payload(vk.payload[:-1] + "!") is LinkProblem.MALFORMED
    assert await repo.resolve_payload("sv_" + "a" * 62) is LinkProblem.MALFORMED
    assert await repo.resolve_payload("") is LinkProblem.MALFORMED
    assert await repo.resolve_payload(vk.payload.upper()) in (
        LinkProblem.UNKNOWN,
        LinkProblem.MALFORMED,
    )

    await repo.close_survey(survey.id)
    assert await repo.resolve_payload(vk.payload) is LinkProblem.CLOSED


async def test_expired_survey_refuses_links_answers_and_is_closed_by_the_sweep(
    repo: SurveyRepository, library_id: int
) -> None:
    future = datetime.now(UTC) + timedelta(days=3)
    survey, source_id = await new_survey(repo, library_id, closes_at=future)
    started = await repo.start_or_resume(survey.id, hashed(1), source_id)
    assert isinstance(started, Started)
    assert await repo.close_due() == []

    past = SurveyConfig(title="Опрос", closes_at=datetime.now(UTC) - timedelta(minutes=1))
    assert await repo.update_config(survey.id, past)
    [source] = await repo.sources(survey.id)

    assert await repo.resolve_payload(source.payload) is LinkProblem.EXPIRED
    assert await repo.start_or_resume(survey.id, hashed(2), source_id) is LinkProblem.EXPIRED
    assert not await repo.save_answer(started.response.id, hashed(1), AGE, "18_24")
    assert not await repo.complete(started.response.id, hashed(1))

    closed = await repo.close_due()
    assert [s.id for s in closed] == [survey.id]
    assert await repo.close_due() == []
    assert await repo.resolve_payload(source.payload) is LinkProblem.CLOSED


async def test_full_survey_refuses_newcomers_but_not_its_own_readers(
    repo: SurveyRepository, library_id: int
) -> None:
    survey, source_id = await new_survey(repo, library_id, response_cap=2)
    [source] = await repo.sources(survey.id)
    for reader in (1, 2):
        assert isinstance(
            await repo.start_or_resume(survey.id, hashed(reader), source_id), Started
        )

    assert await repo.resolve_payload(source.payload, hashed(3)) is LinkProblem.FULL
    assert await repo.start_or_resume(survey.id, hashed(3), source_id) is LinkProblem.FULL
    assert isinstance(await repo.resolve_payload(source.payload, hashed(1)), Resolved)
    resumed = await repo.start_or_resume(survey.id, hashed(1), source_id)
    assert isinstance(resumed, Started)
    assert resumed.resumed


async def test_unknown_survey(repo: SurveyRepository) -> None:
    assert await repo.start_or_resume(999, hashed(1)) is LinkProblem.UNKNOWN


async def test_surveys_of_a_library_and_counts_per_source(
    repo: SurveyRepository, library_id: int
) -> None:
    first, poster = await new_survey(repo, library_id)
    second, _ = await new_survey(repo, library_id, places=("Озёрки", "Сосновка"))
    website = await repo.add_source(first.id, SourceKind.WEBSITE)
    await answer_everything(repo, first.id, poster, 1)
    await answer_everything(repo, first.id, poster, 2)
    await repo.start_or_resume(first.id, hashed(3), website.id)

    surveys = await repo.of_library(library_id)
    assert [s.id for s in surveys] == [second.id, first.id]
    assert surveys[0].config.places == ("Озёрки", "Сосновка")
    counts = await repo.source_counts(first.id)
    assert [(c.source.kind, c.started, c.completed) for c in counts] == [
        ("poster", 2, 2),
        ("website", 1, 0),
    ]
    assert len(await repo.completed_answers(first.id)) == 2
    assert len(await repo.export_rows(first.id)) == 3


async def test_pulse_poll_counts_follow_updates(repo: SurveyRepository, library_id: int) -> None:
    poll = await repo.create_pulse_poll(
        chat_id=-100123,
        message_id=5,
        poll_id="poll-1",
        question="Когда удобнее приходить?",
        options=["Утром", "Днём", "Вечером"],
        library_id=library_id,
    )
    assert poll.counts == [0, 0, 0]

    assert await repo.update_pulse_counts("poll-1", [1, 0, 2], 3)
    assert await repo.update_pulse_counts("poll-1", [1, 0, 2], 3)  # repeated update: same state
    assert not await repo.update_pulse_counts("poll-1", [1, 2], 3)  # wrong shape
    assert not await repo.update_pulse_counts("unknown", [1, 0, 2], 3)
    assert await repo.update_pulse_counts("poll-1", [4, 1, 2], 7, is_closed=True)
    assert not await repo.update_pulse_counts("poll-1", [0, 0, 0], 0)  # late update after close

    stored = await repo.pulse_poll("poll-1")
    assert stored is not None
    assert (stored.counts, stored.total_voters, stored.is_closed) == ([4, 1, 2], 7, True)
    assert [p.poll_id for p in await repo.pulse_polls_of_library(library_id)] == ["poll-1"]
    with pytest.raises(ValueError, match="survey or a library"):
        await repo.create_pulse_poll(
            chat_id=1, message_id=1, poll_id="p2", question="?", options=["a", "b"]
        )
