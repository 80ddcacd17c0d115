"""SQL for reader surveys, their links, responses and pulse polls. No aiogram here.

Every write that must be consistent is a single statement (``INSERT … SELECT … WHERE`` with
``ON CONFLICT``), so concurrent readers sharing one connection, or several processes sharing
the file, can neither double a response nor slip past a closed, expired or full survey.
Nothing here rolls back: on a shared aiosqlite connection a rollback could undo another
coroutine's uncommitted statement.

A reader's update reads their response once (:meth:`SurveyRepository.reader_response`, or
:meth:`SurveyRepository.open_link` for a link: one round trip each), and inside a unit of
work its answers are kept on the unit: later reads come from there, and answer writes are
sent with the unit's COMMIT (bot/db/units.py). The SQL guards stay on every write; whether
the survey takes answers was read in the same transaction (SQLite holds the write lock for
the whole unit; on PostgreSQL sending locks the survey's row to the commit).
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.clock import SQL_NOW, to_db
from bot.db.engine import Database, RowLike
from bot.db.reads import fetch_many
from bot.db.units import Unit, current_unit, unit_of_work
from bot.survey.links import new_payload, parse_payload
from bot.survey.models import (
    EditRefusal,
    ExportRow,
    LinkProblem,
    PulsePoll,
    Resolved,
    Response,
    Source,
    SourceCount,
    Started,
    Survey,
)
from bot.survey.questions import SurveyConfig
from bot.survey.stats import KeptCounts

_NOW = SQL_NOW
# Started responses of survey ``s``, as the triggers of migration 0006 keep them.
_STARTED = """coalesce((SELECT t.n FROM survey_tallies t WHERE t.survey_id = s.id
    AND t.kind = 't' AND t.a = 'started' AND t.b = ''), 0)"""


def accepting(alias: str = "s", now: str = SQL_NOW) -> str:
    """SQL: the survey row ``alias`` takes answers (open, before its closing moment ``now``).

    The same rule as ``Survey.accepts``; ``now`` may be a ``?`` placeholder.
    """
    return f"{alias}.status = 'open' AND ({alias}.closes_at IS NULL OR {alias}.closes_at > {now})"


_ACCEPTING = accepting()
# Completed responses of survey ``s``, kept by the same triggers.
_COMPLETED = """coalesce((SELECT t.n FROM survey_tallies t WHERE t.survey_id = s.id
    AND t.kind = 't' AND t.a = 'completed' AND t.b = ''), 0)"""
_PAYLOAD_ATTEMPTS = 5


_SURVEY_COLUMNS = (
    "id, library_id, created_by, title, config, status, closes_at, response_cap, "
    "created_at, closed_at"
)


def _columns(prefix: str, columns: str) -> str:
    return ", ".join(f"{prefix}.{column}" for column in columns.split(", "))


def _survey(row: RowLike) -> Survey:
    return Survey(
        id=row[0],
        library_id=row[1],
        created_by=row[2],
        title=row[3],
        config=SurveyConfig.from_json(row[4]),
        status=row[5],
        closes_at=row[6],
        response_cap=row[7],
        created_at=row[8],
        closed_at=row[9],
    )


_SOURCE_COLUMNS = "id, survey_id, kind, label, payload"


def _source(row: RowLike) -> Source:
    return Source(row[0], row[1], row[2], row[3], row[4])


_RESPONSE_COLUMNS = "id, survey_id, reader_hash, source_id, started_at, completed_at"


def _response(row: RowLike) -> Response:
    return Response(row[0], row[1], row[2], row[3], row[4], row[5])


_PULSE_COLUMNS = (
    "id, survey_id, library_id, chat_id, message_id, poll_id, question, options, counts, "
    "total_voters, is_closed"
)


def _pulse(row: RowLike) -> PulsePoll:
    return PulsePoll(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6],
        json.loads(row[7]), json.loads(row[8]), row[9], bool(row[10]),
    )  # fmt: skip


@dataclass(slots=True)
class ReaderResponse:
    """A reader's response as their update reads it: with the survey, in one round trip."""

    survey: Survey
    accepting: bool
    """The survey took answers when this was read (open, before its closing moment)."""
    completed: int
    """The survey's completed responses when this was read (the kept count)."""
    response: Response
    answers: dict[str, Any]
    """Inside a unit of work: the unit's copy, kept in step with this repository's writes."""


@dataclass(frozen=True, slots=True)
class LinkOpened:
    """A reader came through a link and has their response (new, or theirs from before)."""

    survey: Survey
    source: Source
    library_name: str | None
    reader: ReaderResponse
    resumed: bool


def _resolved(row: RowLike) -> Resolved | LinkProblem:
    """A link's survey and source from a payload row, or why a reader cannot answer it:
    closed, past its closing time, or full (never for a reader who already has a response)."""
    survey, source = _survey(row[:10]), _source(row[10:15])
    expired, started, has_response = bool(row[15]), int(row[16]), bool(row[17])
    if not survey.is_open:
        return LinkProblem.CLOSED
    if expired:
        return LinkProblem.EXPIRED
    if survey.response_cap is not None and started >= survey.response_cap and not has_response:
        return LinkProblem.FULL
    return Resolved(survey, source)


class SurveyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[RowLike]:
        # Executed and drained in one call: no half-read statement is left open while
        # other coroutines on this connection commit.
        return list(await self._db.execute_fetchall(sql, params))

    async def _row(self, sql: str, params: Sequence[Any] = ()) -> RowLike | None:
        rows = await self._rows(sql, params)
        return rows[0] if rows else None

    # --- surveys --------------------------------------------------------------------------

    async def create_survey(
        self, library_id: int, created_by: int, config: SurveyConfig
    ) -> Survey:
        row = await self._row(
            f"""INSERT INTO surveys (library_id, created_by, title, config, closes_at,
                    response_cap)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING {_SURVEY_COLUMNS}""",
            (library_id, created_by, *self._config_values(config)),
        )
        await self._db.commit()
        assert row is not None
        return _survey(row)

    @staticmethod
    def _config_values(config: SurveyConfig) -> tuple[str, str, str | None, int | None]:
        closes_at = None if config.closes_at is None else to_db(config.closes_at)
        return config.title, config.to_json(), closes_at, config.response_cap

    async def update_config(self, survey_id: int, config: SurveyConfig) -> bool:
        cursor = await self._db.execute(
            """UPDATE surveys SET title = ?, config = ?, closes_at = ?, response_cap = ?
               WHERE id = ?""",
            (*self._config_values(config), survey_id),
        )
        await self._db.commit()
        return cursor.rowcount == 1

    async def edit_open_survey(
        self, survey_id: int, config: SurveyConfig, *, questions_changed: bool
    ) -> Survey | EditRefusal:
        """Save staff's change while the survey is open, in one statement.

        The rules are checked where the write happens, so a reader finishing or starting
        at the same moment cannot slip between the check and the change: questions and
        places only while nobody has completed, a cap never below the readers who started.
        """
        title, config_json, closes_at, cap = self._config_values(config)
        row = await self._row(
            f"""UPDATE surveys SET title = ?, config = ?, closes_at = ?, response_cap = ?
                WHERE id = ? AND status = 'open'
                  AND (? = 0 OR NOT EXISTS (SELECT 1 FROM responses r
                       WHERE r.survey_id = surveys.id AND r.completed_at IS NOT NULL))
                  AND (CAST(? AS INTEGER) IS NULL OR CAST(? AS INTEGER) >= coalesce((
                       SELECT t.n FROM survey_tallies t
                       WHERE t.survey_id = surveys.id AND t.kind = 't' AND t.a = 'started'
                         AND t.b = ''), 0))
                RETURNING {_SURVEY_COLUMNS}""",
            (title, config_json, closes_at, cap, survey_id, int(questions_changed), cap, cap),
        )
        await self._db.commit()
        if row is not None:
            return _survey(row)
        current = await self.get_survey(survey_id)
        if current is None or not current.is_open:
            return EditRefusal.CLOSED
        _, completed = await self.response_counts(survey_id)
        return EditRefusal.ANSWERED if questions_changed and completed else EditRefusal.CAP_TOO_LOW

    async def get_survey(self, survey_id: int) -> Survey | None:
        row = await self._row(f"SELECT {_SURVEY_COLUMNS} FROM surveys WHERE id = ?", (survey_id,))
        return None if row is None else _survey(row)

    async def of_library(self, library_id: int) -> list[Survey]:
        """The library's surveys, newest first."""
        rows = await self._rows(
            f"SELECT {_SURVEY_COLUMNS} FROM surveys WHERE library_id = ? ORDER BY id DESC",
            (library_id,),
        )
        return [_survey(row) for row in rows]

    async def close_survey(self, survey_id: int) -> bool:
        """Close by hand; True only for the call that closed it."""
        cursor = await self._db.execute(
            f"""UPDATE surveys SET status = 'closed', closed_at = {_NOW}
                WHERE id = ? AND status = 'open'""",
            (survey_id,),
        )
        await self._db.commit()
        return cursor.rowcount == 1

    async def close_due(self) -> list[Survey]:
        """Close every open survey whose closing moment has passed; return those closed now."""
        rows = await self._rows(
            f"""UPDATE surveys SET status = 'closed', closed_at = {_NOW}
                WHERE status = 'open' AND closes_at IS NOT NULL AND closes_at <= {_NOW}
                RETURNING {_SURVEY_COLUMNS}"""
        )
        await self._db.commit()
        return [_survey(row) for row in rows]

    # --- sources (links) ------------------------------------------------------------------

    async def add_source(self, survey_id: int, kind: str, label: str = "") -> Source:
        """A new link for this survey; the payload is random and unique."""
        for _ in range(_PAYLOAD_ATTEMPTS):
            # A payload collision inserts nothing (no error, so a PostgreSQL transaction is
            # not aborted by it) and the loop draws again; a missing survey still raises.
            row = await self._row(
                f"""INSERT INTO survey_sources (survey_id, kind, label, payload)
                    VALUES (?, ?, ?, ?) ON CONFLICT (payload) DO NOTHING
                    RETURNING {_SOURCE_COLUMNS}""",
                (survey_id, kind, label, new_payload()),
            )
            if row is None:
                continue
            await self._db.commit()
            return _source(row)
        raise RuntimeError("could not draw a unique payload")

    async def sources(self, survey_id: int) -> list[Source]:
        rows = await self._rows(
            f"SELECT {_SOURCE_COLUMNS} FROM survey_sources WHERE survey_id = ? ORDER BY id",
            (survey_id,),
        )
        return [_source(row) for row in rows]

    async def source_counts(self, survey_id: int) -> list[SourceCount]:
        """Started and completed responses per link, to compare where readers come from."""
        rows = await self._rows(
            f"""SELECT {_columns("src", _SOURCE_COLUMNS)},
                    coalesce(sum(t.n) FILTER (WHERE t.b = 'started'), 0),
                    coalesce(sum(t.n) FILTER (WHERE t.b = 'completed'), 0)
                FROM survey_sources src
                LEFT JOIN survey_tallies t ON t.survey_id = src.survey_id AND t.kind = 's'
                     AND t.a = CAST(src.id AS TEXT)
                WHERE src.survey_id = ? GROUP BY src.id ORDER BY src.id""",
            (survey_id,),
        )
        return [SourceCount(_source(row[:5]), int(row[5]), int(row[6])) for row in rows]

    async def resolve_payload(
        self, payload: str, reader_hash: str | None = None
    ) -> Resolved | LinkProblem:
        """The survey and link behind a start payload, or why it cannot be answered.

        A reader who already has a response is never told the survey is full.
        """
        if parse_payload(payload) is None:
            return LinkProblem.MALFORMED
        row = await self._row(
            f"""SELECT {_columns("s", _SURVEY_COLUMNS)}, {_columns("src", _SOURCE_COLUMNS)},
                    s.closes_at IS NOT NULL AND s.closes_at <= {_NOW},
                    {_STARTED},
                    EXISTS (SELECT 1 FROM responses r
                            WHERE r.survey_id = s.id AND r.reader_hash = ?)
                FROM survey_sources src JOIN surveys s ON s.id = src.survey_id
                WHERE src.payload = ?""",
            (reader_hash or "", payload),
        )
        if row is None:
            return LinkProblem.UNKNOWN
        return _resolved(row)

    # --- a reader's update: read once, written with the commit ----------------------------

    _ANSWERS_OF_READER = """SELECT a.question_id, a.value FROM response_answers a
        JOIN responses r ON r.id = a.response_id WHERE r.survey_id = ? AND r.reader_hash = ?"""

    async def reader_response(
        self, survey_id: int, reader_hash: str, *, lock: bool = False
    ) -> ReaderResponse | None:
        """The reader's response to this survey with its answers, if they have one.

        One round trip, and once per unit of work (what the unit read first is returned
        again). ``lock``: on PostgreSQL the survey's row is held until the unit commits, so
        staff cannot close it between this read and the writes sent with the COMMIT.
        """
        unit = current_unit(self._db)
        key = ("reader-response", survey_id, reader_hash)
        if unit is not None and key in unit.cache:
            kept: ReaderResponse | None = unit.cache[key]
            return kept
        # The send's lock is the one the kept-count triggers take at the completion (0013),
        # taken now: a share lock here, upgraded by the trigger later, deadlocked two readers
        # sending at once; this one makes the second wait for the first to commit.
        lock_row = " FOR NO KEY UPDATE OF s" if lock and self._db.dialect == "postgresql" else ""
        surveys, responses, answers = await fetch_many(
            self._db,
            [
                (
                    f"""SELECT {_columns("s", _SURVEY_COLUMNS)}, {_ACCEPTING}, {_COMPLETED}
                        FROM surveys s WHERE s.id = ?{lock_row}""",
                    (survey_id,),
                ),
                (
                    f"""SELECT {_RESPONSE_COLUMNS} FROM responses
                        WHERE survey_id = ? AND reader_hash = ?""",
                    (survey_id, reader_hash),
                ),
                (self._ANSWERS_OF_READER, (survey_id, reader_hash)),
            ],
        )
        found = None
        if surveys and responses:
            row = surveys[0]
            found = ReaderResponse(
                _survey(row[:10]),
                accepting=bool(row[10]),
                completed=int(row[11]),
                response=_response(responses[0]),
                answers={a[0]: json.loads(a[1]) for a in answers},
            )
        if unit is not None:
            self._keep(unit, key, found)
        return found

    async def open_link(self, payload: str, reader_hash: str) -> LinkOpened | LinkProblem:
        """The survey behind a start payload and this reader's one response to it (created
        on first call), or why it cannot be answered; one round trip.

        The insert checks open/closing time/cap in the same statement, so two hundred
        readers arriving together get exactly one response each and never pass the cap. A
        reader who already has a response is never told the survey is full.
        """
        if parse_payload(payload) is None:
            return LinkProblem.MALFORMED
        statements: list[tuple[str, Sequence[Any]]] = []
        if self._db.dialect == "postgresql":
            # Readers on other connections start at the same moment; under READ COMMITTED
            # each would count the others' starts only once committed, and a crowd could pass
            # the cap. Holding the survey's row to the commit makes them count in turn.
            statements.append(
                (
                    """SELECT 1 FROM surveys WHERE response_cap IS NOT NULL
                       AND id = (SELECT survey_id FROM survey_sources WHERE payload = ?)
                       FOR UPDATE""",
                    (payload,),
                )
            )
        statements += [
            (
                f"""SELECT {_columns("s", _SURVEY_COLUMNS)}, {_columns("src", _SOURCE_COLUMNS)},
                        s.closes_at IS NOT NULL AND s.closes_at <= {_NOW},
                        {_STARTED},
                        EXISTS (SELECT 1 FROM responses r
                                WHERE r.survey_id = s.id AND r.reader_hash = ?),
                        (SELECT l.name FROM libraries l WHERE l.id = s.library_id)
                    FROM survey_sources src JOIN surveys s ON s.id = src.survey_id
                    WHERE src.payload = ?""",
                (reader_hash, payload),
            ),
            (
                f"""INSERT INTO responses (survey_id, reader_hash, source_id)
                    SELECT s.id, ?, src.id
                    FROM survey_sources src JOIN surveys s ON s.id = src.survey_id
                    WHERE src.payload = ? AND {_ACCEPTING}
                      AND (s.response_cap IS NULL OR s.response_cap > {_STARTED})
                    ON CONFLICT(survey_id, reader_hash) DO NOTHING RETURNING id""",
                (reader_hash, payload),
            ),
            (
                f"""SELECT s.status, s.closes_at IS NOT NULL AND s.closes_at <= {_NOW},
                        {_columns("r", _RESPONSE_COLUMNS)}, {_ACCEPTING}, {_COMPLETED}
                    FROM survey_sources src JOIN surveys s ON s.id = src.survey_id
                    LEFT JOIN responses r ON r.survey_id = s.id AND r.reader_hash = ?
                    WHERE src.payload = ?""",
                (reader_hash, payload),
            ),
            (
                """SELECT a.question_id, a.value FROM response_answers a
                   JOIN responses r ON r.id = a.response_id
                   JOIN survey_sources src ON src.survey_id = r.survey_id
                   WHERE src.payload = ? AND r.reader_hash = ?""",
                (payload, reader_hash),
            ),
        ]
        # One transaction (joined when the update already has one), so the row lock above
        # holds until the insert is committed.
        async with unit_of_work(self._db, "survey:start"):
            *_, resolved, inserted, after, answers = await fetch_many(self._db, statements)
            if not resolved:
                return LinkProblem.UNKNOWN
            row = resolved[0]
            link = _resolved(row)
            if isinstance(link, LinkProblem):
                return link
            survey, source = link.survey, link.source
            now = after[0]
            if now[0] != "open":
                return LinkProblem.CLOSED
            if now[1]:
                return LinkProblem.EXPIRED
            if now[2] is None:
                return LinkProblem.FULL
            reader = ReaderResponse(
                survey,
                accepting=bool(now[8]),
                completed=int(now[9]),
                response=_response(now[2:8]),
                answers={a[0]: json.loads(a[1]) for a in answers},
            )
            unit = current_unit(self._db)
            if unit is not None:
                self._keep(unit, ("reader-response", survey.id, reader_hash), reader)
        return LinkOpened(survey, source, row[18], reader, resumed=not inserted)

    @staticmethod
    def _keep(unit: Unit, key: Hashable, found: ReaderResponse | None) -> None:
        unit.cache[key] = found
        if found is not None:
            unit.cache["reader-answers", found.response.id] = found

    def _kept(self, response_id: int, reader_hash: str) -> tuple[Unit, ReaderResponse] | None:
        """The unit's copy of this reader's response, if this update read it."""
        unit = current_unit(self._db)
        if unit is None:
            return None
        found: ReaderResponse | None = unit.cache.get(("reader-answers", response_id))
        if found is None or found.response.reader_hash != reader_hash:
            return None
        return unit, found

    @staticmethod
    def _defer(unit: Unit, key: Hashable, sql: str, parameters: Sequence[Any]) -> None:
        # A later write of the same answer replaces the earlier one, and goes last.
        unit.deferred.pop(key, None)
        unit.defer(key, sql, parameters)

    def _flush(self, unit: Unit, response_id: int) -> list[tuple[str, Sequence[Any]]]:
        """This response's writes still waiting for the COMMIT, taken off the unit (to go
        before a statement that must see them)."""
        keys = [
            k
            for k in unit.deferred
            if isinstance(k, tuple)
            and k[:1] in (("reader-answer",), ("reader-complete",))
            and k[1] == response_id
        ]
        return [unit.deferred.pop(k) for k in keys]

    async def complete_counted(
        self, response_id: int, reader_hash: str, survey_id: int
    ) -> tuple[bool, int, bool]:
        """Mark finished now, in one round trip: (finished by this call, completed responses
        of the survey after it, the survey still takes answers)."""
        kept = self._kept(response_id, reader_hash)
        pending = [] if kept is None else self._flush(kept[0], response_id)
        *_, finished, counted, accepting_now = await fetch_many(
            self._db,
            [
                *pending,
                (
                    f"""UPDATE responses SET completed_at = {_NOW}
                        WHERE id = ? AND reader_hash = ? AND completed_at IS NULL
                          AND survey_id IN (SELECT s.id FROM surveys s WHERE {_ACCEPTING})
                        RETURNING id""",
                    (response_id, reader_hash),
                ),
                (f"SELECT {_COMPLETED} FROM surveys s WHERE s.id = ?", (survey_id,)),
                (f"SELECT {_ACCEPTING} FROM surveys s WHERE s.id = ?", (survey_id,)),
            ],
        )
        if kept is not None:
            self._forget_kept(kept[0], kept[1])
        completed = int(counted[0][0]) if counted else 0
        return bool(finished), completed, bool(accepting_now and accepting_now[0][0])

    def complete_at_commit(self, response_id: int, reader_hash: str) -> bool:
        """Mark finished with the unit's COMMIT (no round trip of its own), when this update
        read the response and the survey took answers; False (nothing sent) otherwise."""
        kept = self._kept(response_id, reader_hash)
        if kept is None or not kept[1].accepting or kept[1].response.is_complete:
            return False
        unit, found = kept
        self._defer(
            unit,
            ("reader-complete", response_id),
            f"""UPDATE responses SET completed_at = {_NOW}
                WHERE id = ? AND reader_hash = ? AND completed_at IS NULL
                  AND survey_id IN (SELECT s.id FROM surveys s WHERE {_ACCEPTING})""",
            (response_id, reader_hash),
        )
        self._forget_kept(unit, found)
        return True

    @staticmethod
    def _forget_kept(unit: Unit, found: ReaderResponse) -> None:
        """The kept copy no longer says how the response stands: read it again if needed."""
        unit.cache.pop(("reader-answers", found.response.id), None)
        unit.cache.pop(("reader-response", found.survey.id, found.response.reader_hash), None)

    # --- responses ------------------------------------------------------------------------

    async def start_or_resume(
        self, survey_id: int, reader_hash: str, source_id: int | None = None
    ) -> Started | LinkProblem:
        """This reader's one response to this survey, created on first call.

        The insert checks open/closing time/cap in the same statement, so two hundred
        readers arriving together get exactly one response each and never pass the cap.
        """
        # One transaction (joined when the update already has one), so the row lock below
        # holds until the insert is committed.
        async with unit_of_work(self._db, "survey:start"):
            if self._db.dialect == "postgresql":
                # Readers on other connections start at the same moment; under READ COMMITTED
                # each would count the others' starts only once committed, and a crowd could
                # pass the cap. Holding the survey's row to the commit makes them count in turn.
                await self._db.execute(
                    "SELECT 1 FROM surveys WHERE id = ? AND response_cap IS NOT NULL FOR UPDATE",
                    (survey_id,),
                )
            cursor = await self._db.execute(
                f"""INSERT INTO responses (survey_id, reader_hash, source_id)
                    SELECT s.id, ?, ? FROM surveys s
                    WHERE s.id = ? AND {_ACCEPTING}
                      AND (s.response_cap IS NULL OR s.response_cap > {_STARTED})
                    ON CONFLICT(survey_id, reader_hash) DO NOTHING""",
                (reader_hash, source_id, survey_id),
            )
        created = cursor.rowcount == 1
        await self._db.commit()
        row = await self._row(
            f"""SELECT s.status, s.closes_at IS NOT NULL AND s.closes_at <= {_NOW},
                    {_columns("r", _RESPONSE_COLUMNS)}
                FROM surveys s
                LEFT JOIN responses r ON r.survey_id = s.id AND r.reader_hash = ?
                WHERE s.id = ?""",
            (reader_hash, survey_id),
        )
        if row is None:
            return LinkProblem.UNKNOWN
        if row[0] != "open":
            return LinkProblem.CLOSED
        if row[1]:
            return LinkProblem.EXPIRED
        if row[2] is None:
            return LinkProblem.FULL
        return Started(_response(row[2:]), resumed=not created)

    async def response_of(self, survey_id: int, reader_hash: str) -> Response | None:
        row = await self._row(
            f"""SELECT {_RESPONSE_COLUMNS} FROM responses
                WHERE survey_id = ? AND reader_hash = ?""",
            (survey_id, reader_hash),
        )
        return None if row is None else _response(row)

    async def save_answer(
        self, response_id: int, reader_hash: str, question_id: str, value: Any
    ) -> bool:
        """Write (or change) one answer while the survey takes answers; False otherwise.

        The reader hash must match the response, so a stale or forged id writes nothing.
        Inside a unit that read the response, the write goes with the COMMIT.
        """
        text = json.dumps(value, ensure_ascii=False)
        sql = f"""INSERT INTO response_answers (response_id, question_id, value)
                SELECT r.id, ?, ? FROM responses r JOIN surveys s ON s.id = r.survey_id
                WHERE r.id = ? AND r.reader_hash = ? AND {_ACCEPTING}
                ON CONFLICT(response_id, question_id) DO UPDATE SET value = excluded.value,
                    updated_at = {_NOW}"""
        parameters = (question_id, text, response_id, reader_hash)
        kept = self._kept(response_id, reader_hash)
        if kept is not None:
            unit, found = kept
            if not found.accepting:
                return False
            found.answers[question_id] = json.loads(text)
            self._defer(unit, ("reader-answer", response_id, question_id), sql, parameters)
            return True
        cursor = await self._db.execute(sql, parameters)
        await self._db.commit()
        return cursor.rowcount == 1

    async def delete_answer(self, response_id: int, reader_hash: str, question_id: str) -> bool:
        """Drop an answer (a skipped optional question, a cleared "other" text)."""
        sql = f"""DELETE FROM response_answers
                WHERE response_id = (SELECT r.id FROM responses r
                                     JOIN surveys s ON s.id = r.survey_id
                                     WHERE r.id = ? AND r.reader_hash = ? AND {_ACCEPTING})
                  AND question_id = ?"""
        parameters = (response_id, reader_hash, question_id)
        kept = self._kept(response_id, reader_hash)
        if kept is not None:
            unit, found = kept
            if not found.accepting or question_id not in found.answers:
                return False
            del found.answers[question_id]
            self._defer(unit, ("reader-answer", response_id, question_id), sql, parameters)
            return True
        cursor = await self._db.execute(sql, parameters)
        await self._db.commit()
        return cursor.rowcount == 1

    async def answers(self, response_id: int) -> dict[str, Any]:
        unit = current_unit(self._db)
        found = None if unit is None else unit.cache.get(("reader-answers", response_id))
        if isinstance(found, ReaderResponse):
            # A copy through JSON: callers may change what they get.
            copied: dict[str, Any] = json.loads(json.dumps(found.answers, ensure_ascii=False))
            return copied
        rows = await self._rows(
            "SELECT question_id, value FROM response_answers WHERE response_id = ?",
            (response_id,),
        )
        return {row[0]: json.loads(row[1]) for row in rows}

    async def complete(self, response_id: int, reader_hash: str) -> bool:
        """Mark finished; True only for the call that finished it (one "thanks", one notice)."""
        finished, _, _ = await self.complete_counted(response_id, reader_hash, 0)
        return finished

    async def forget_reader(self, reader_hash: str) -> int:
        """Delete every response (answers cascade) of this reader in every survey."""
        async with unit_of_work(self._db, "survey:forget"):
            if self._db.dialect == "postgresql":
                # The delete's triggers take each survey's row before its counts
                # (migration 0013); taken here first, in id order, two readers leaving
                # several surveys at once cannot take them in opposite orders.
                await self._db.execute(
                    """SELECT 1 FROM surveys WHERE id IN
                           (SELECT survey_id FROM responses WHERE reader_hash = ?)
                       ORDER BY id FOR NO KEY UPDATE""",
                    (reader_hash,),
                )
            cursor = await self._db.execute(
                "DELETE FROM responses WHERE reader_hash = ?", (reader_hash,)
            )
        await self._db.commit()
        unit = current_unit(self._db)
        if unit is not None:
            for found in list(unit.cache.values()):
                if isinstance(found, ReaderResponse) and found.response.reader_hash == reader_hash:
                    self._forget_kept(unit, found)
        return cursor.rowcount

    async def reader_response_count(self, reader_hash: str) -> int:
        """How many surveys hold answers of this reader (for the /forget confirmation)."""
        row = await self._row(
            "SELECT count(*) FROM responses WHERE reader_hash = ?", (reader_hash,)
        )
        assert row is not None
        return int(row[0])

    async def response_counts(self, survey_id: int) -> tuple[int, int]:
        """(started, completed) responses of a survey, as kept (no count over responses)."""
        row = await self._row(
            """SELECT coalesce(sum(n) FILTER (WHERE a = 'started'), 0),
                      coalesce(sum(n) FILTER (WHERE a = 'completed'), 0)
               FROM survey_tallies WHERE survey_id = ? AND kind = 't' AND b = ''""",
            (survey_id,),
        )
        assert row is not None
        return int(row[0]), int(row[1])

    async def kept_counts(self, survey_id: int) -> KeptCounts:
        """Every kept count of a survey's completed responses: one read of a few hundred rows."""
        rows = await self._rows(
            "SELECT kind, a, b, n FROM survey_tallies WHERE survey_id = ? AND kind != 's'",
            (survey_id,),
        )
        respondents = 0
        answered: dict[str, int] = {}
        choices: dict[tuple[str, str], int] = {}
        row_totals: dict[str, int] = {}
        cells: dict[tuple[str, str], int] = {}
        for kind, a, b, n in rows:
            if kind == "t" and a == "completed":
                respondents = int(n)
            elif kind == "n":
                answered[a] = int(n)
            elif kind == "q":
                choices[(a, b)] = int(n)
            elif kind == "r":
                row_totals[a] = int(n)
            elif kind == "x":
                cells[(a, b)] = int(n)
        return KeptCounts(respondents, answered, choices, row_totals, cells)

    async def completed_answers(self, survey_id: int) -> list[dict[str, Any]]:
        """Answers of finished responses: the input of :mod:`bot.survey.stats`."""
        return [row.answers for row in await self.export_rows(survey_id, completed_only=True)]

    async def export_rows(
        self, survey_id: int, *, completed_only: bool = False
    ) -> list[ExportRow]:
        """Responses in start order, numbered 1..N; no hash or id leaves this method."""
        condition = "AND r.completed_at IS NOT NULL" if completed_only else ""
        responses = await self._rows(
            f"""SELECT r.id, coalesce(src.kind, ''), coalesce(src.label, ''), r.started_at,
                    r.completed_at
                FROM responses r LEFT JOIN survey_sources src ON src.id = r.source_id
                WHERE r.survey_id = ? {condition} ORDER BY r.id""",
            (survey_id,),
        )
        answer_rows = await self._rows(
            f"""SELECT a.response_id, a.question_id, a.value
                FROM response_answers a JOIN responses r ON r.id = a.response_id
                WHERE r.survey_id = ? {condition}""",
            (survey_id,),
        )
        answers: dict[int, dict[str, Any]] = {int(row[0]): {} for row in responses}
        for response_id, question_id, value in answer_rows:
            answers[int(response_id)][question_id] = json.loads(value)
        return [
            ExportRow(number, row[1], row[2], row[3], row[4], answers[int(row[0])])
            for number, row in enumerate(responses, start=1)
        ]

    # --- pulse polls ----------------------------------------------------------------------

    async def create_pulse_poll(
        self,
        *,
        chat_id: int,
        message_id: int,
        poll_id: str,
        question: str,
        options: Sequence[str],
        survey_id: int | None = None,
        library_id: int | None = None,
    ) -> PulsePoll:
        if survey_id is None and library_id is None:
            raise ValueError("a pulse poll belongs to a survey or a library")
        row = await self._row(
            f"""INSERT INTO pulse_polls (survey_id, library_id, chat_id, message_id, poll_id,
                    question, options, counts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_PULSE_COLUMNS}""",
            (
                survey_id,
                library_id,
                chat_id,
                message_id,
                poll_id,
                question,
                json.dumps(list(options), ensure_ascii=False),
                json.dumps([0] * len(options)),
            ),
        )
        await self._db.commit()
        assert row is not None
        return _pulse(row)

    async def update_pulse_counts(
        self, poll_id: str, counts: Sequence[int], total_voters: int, *, is_closed: bool = False
    ) -> bool:
        """Replace the tally with the one Telegram sent; False for unknown or closed polls.

        Telegram sends the whole state each time, so replacing is idempotent; a final
        (closed) tally is never overwritten by a late update.
        """
        # JSON is stored as text on both engines; PostgreSQL's function wants it typed.
        options = "options::json" if self._db.dialect == "postgresql" else "options"
        cursor = await self._db.execute(
            f"""UPDATE pulse_polls SET counts = ?, total_voters = ?, is_closed = ?,
                    updated_at = {_NOW}
                WHERE poll_id = ? AND is_closed = 0 AND json_array_length({options}) = ?""",
            (json.dumps(list(counts)), total_voters, int(is_closed), poll_id, len(counts)),
        )
        await self._db.commit()
        return cursor.rowcount == 1

    async def pulse_poll(self, poll_id: str) -> PulsePoll | None:
        row = await self._row(
            f"SELECT {_PULSE_COLUMNS} FROM pulse_polls WHERE poll_id = ?", (poll_id,)
        )
        return None if row is None else _pulse(row)

    async def pulse_polls_of_library(self, library_id: int) -> list[PulsePoll]:
        rows = await self._rows(
            f"""SELECT {_columns("p", _PULSE_COLUMNS)} FROM pulse_polls p
                LEFT JOIN surveys s ON s.id = p.survey_id
                WHERE coalesce(p.library_id, s.library_id) = ? ORDER BY p.id DESC""",
            (library_id,),
        )
        return [_pulse(row) for row in rows]
