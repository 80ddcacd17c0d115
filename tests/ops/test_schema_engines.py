"""SQLite after every migration and PostgreSQL after bot/db/migrations_pg are one schema.

Both are read back from the engines' own catalogs (SQLite's PRAGMAs and sqlite_master,
PostgreSQL's information_schema and pg_catalog) into one neutral form and compared: tables,
columns in order (name, NOT NULL, default, type family), primary keys, unique column sets,
foreign keys with their ON DELETE, CHECK counts, named indexes, views and triggers. Then the
same survey writes, word for word, run on both, and the kept counts must agree at every step.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql as pgsql

from bot.clock import SQL_NOW
from bot.db.connection import (
    POSTGRES_MIGRATIONS_PACKAGE,
    latest_version,
    migration_scripts,
    open_database,
)

# Key columns the code always fills in itself (a Telegram id; the one row per library of
# plans and plan_channels). SQLite would number them if given NULL, as it does every
# INTEGER PRIMARY KEY; PostgreSQL has no identity there, so a missing one fails loudly
# instead of inventing an id that a real one could collide with later.
GIVEN_KEYS = {("users", "id"), ("plans", "library_id"), ("plan_channels", "library_id")}


# --- the server: tests/conftest.py's postgres_url ---------------------------------------


def pg_migration_scripts() -> list[tuple[int, str, str]]:
    """(version, name, sql) of bot/db/migrations_pg, in version order."""
    return migration_scripts(POSTGRES_MIGRATIONS_PACKAGE)


@pytest.fixture
def pg(postgres_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection to a new database with every PostgreSQL script applied, dropped after."""
    name = f"test_schema_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(name)))
    url = psycopg.conninfo.make_conninfo(postgres_url, dbname=name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            with conn.transaction():
                for _, _, script in pg_migration_scripts():
                    conn.execute(script.encode())
            yield conn
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(pgsql.Identifier(name))
            )


@pytest.fixture
async def sqlite_file(tmp_path: Path) -> Path:
    """A SQLite file migrated by the bot's own open_database."""
    path = tmp_path / "schema.sqlite3"
    await (await open_database(path)).close()
    return path


@pytest.fixture
def lite(sqlite_file: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(sqlite_file, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    try:
        yield conn
    finally:
        conn.close()


# --- the neutral form ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    not_null: bool
    has_default: bool
    family: str
    generated: bool  # numbered by the engine when the insert leaves it out


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    uniques: frozenset[tuple[str, ...]]
    foreign_keys: frozenset[tuple[tuple[str, ...], str, tuple[str, ...], str]]
    checks: int


@dataclass(frozen=True)
class Index:
    table: str
    columns: tuple[str, ...]
    unique: bool
    partial: bool


@dataclass(frozen=True)
class Trigger:
    table: str
    timing: str
    event: str
    columns: tuple[str, ...]  # UPDATE OF ...


@dataclass(frozen=True)
class Schema:
    tables: dict[str, Table]
    indexes: dict[str, Index]
    views: dict[str, tuple[str, ...]]
    triggers: dict[str, Trigger]


def _sqlite_family(declared: str) -> str:
    # SQLite's affinity rules (datatype3.html, 3.1), in their order.
    upper = declared.upper()
    if "INT" in upper:
        return "integer"
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if upper == "" or "BLOB" in upper:
        return "blob"
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return "real"
    return "numeric"


_PG_FAMILIES = {
    "bigint": "integer",
    "integer": "integer",
    "smallint": "integer",
    "text": "text",
    "character varying": "text",
    "bytea": "blob",
    "double precision": "real",
    "real": "real",
    "numeric": "numeric",
}

_SQLITE_TRIGGER = re.compile(
    r"CREATE\s+TRIGGER\s+\w+\s+(BEFORE|AFTER|INSTEAD\s+OF)?\s*(INSERT|DELETE|UPDATE)"
    r"(?:\s+OF\s+([\w\s,]+?))?\s+ON\s+\w+",
    re.IGNORECASE,
)


def sqlite_schema(conn: sqlite3.Connection) -> Schema:
    def rows(query: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in conn.execute(query)]

    master = rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
    tables: dict[str, Table] = {}
    indexes: dict[str, Index] = {}
    for kind, name, _, sql in master:
        if kind != "table" or name.startswith("sqlite_"):
            continue
        info = rows(f"PRAGMA table_info({name})")
        pk = tuple(col[1] for col in sorted((c for c in info if c[5]), key=lambda c: c[5]))
        without_rowid = bool(re.search(r"WITHOUT\s+ROWID\s*$", sql, re.IGNORECASE))
        rowid_alias = (
            len(pk) == 1
            and not without_rowid
            and any(c[1] == pk[0] and c[2].upper() == "INTEGER" for c in info)
        )
        columns = tuple(
            Column(
                name=c[1],
                # A rowid alias and any key of a WITHOUT ROWID table cannot be NULL.
                not_null=bool(c[3]) or (bool(c[5]) and (rowid_alias or without_rowid)),
                has_default=c[4] is not None,
                family=_sqlite_family(c[2]),
                generated=rowid_alias and c[1] == pk[0],
            )
            for c in info
        )
        uniques = set()
        for _, index_name, unique, origin, partial in rows(f"PRAGMA index_list({name})"):
            index_columns = tuple(r[2] for r in sorted(rows(f"PRAGMA index_info({index_name})")))
            if unique and origin != "pk" and not partial:
                uniques.add(index_columns)
            if origin == "c":
                indexes[index_name] = Index(name, index_columns, bool(unique), bool(partial))
        fks: dict[int, list[tuple[Any, ...]]] = {}
        for fk in rows(f"PRAGMA foreign_key_list({name})"):
            fks.setdefault(fk[0], []).append(fk)
        foreign_keys = set()
        for parts in fks.values():
            parts.sort(key=lambda p: p[1])
            parent = parts[0][2]
            parent_pk = [
                c[1]
                for c in sorted(rows(f"PRAGMA table_info({parent})"), key=lambda c: c[5])
                if c[5]
            ]
            to = tuple(p[4] if p[4] is not None else parent_pk[i] for i, p in enumerate(parts))
            foreign_keys.add((tuple(p[3] for p in parts), parent, to, parts[0][6].upper()))
        tables[name] = Table(
            columns=columns,
            primary_key=pk,
            uniques=frozenset(uniques),
            foreign_keys=frozenset(foreign_keys),
            checks=len(re.findall(r"\bCHECK\s*\(", sql, re.IGNORECASE)),
        )
    views = {
        name: tuple(c[1] for c in rows(f"PRAGMA table_info({name})"))
        for kind, name, _, _ in master
        if kind == "view"
    }
    triggers = {}
    for kind, name, table, sql in master:
        if kind != "trigger":
            continue
        match = _SQLITE_TRIGGER.match(sql)
        assert match, sql
        timing = " ".join((match.group(1) or "BEFORE").upper().split())
        of = tuple(c.strip() for c in match.group(3).split(",")) if match.group(3) else ()
        triggers[name] = Trigger(table, timing, match.group(2).upper(), of)
    return Schema(tables, indexes, views, triggers)


def pg_schema(conn: psycopg.Connection[Any]) -> Schema:
    def rows(query: str, *params: Any) -> list[tuple[Any, ...]]:
        return conn.execute(query.encode(), params).fetchall()

    def attnames(table_oid: int, numbers: list[int]) -> tuple[str, ...]:
        names = dict(
            rows(
                "SELECT attnum, attname FROM pg_attribute WHERE attrelid = %s AND attnum > 0",
                table_oid,
            )
        )
        return tuple(names[n] for n in numbers)

    schema = "current_schema()"
    table_rows = rows(
        f"""SELECT c.oid, c.relname FROM pg_class c
            WHERE c.relnamespace = {schema}::regnamespace AND c.relkind = 'r'
            ORDER BY c.relname"""
    )
    tables: dict[str, Table] = {}
    for oid, name in table_rows:
        columns = tuple(
            Column(n, nullable == "NO", default is not None, _PG_FAMILIES[t], identity == "YES")
            for n, nullable, default, t, identity in rows(
                f"""SELECT column_name, is_nullable, column_default, data_type, is_identity
                    FROM information_schema.columns
                    WHERE table_schema = {schema} AND table_name = %s
                    ORDER BY ordinal_position""",
                name,
            )
        )
        constraints = rows(
            """SELECT contype, conkey, confrelid::regclass::text, confkey, confdeltype
               FROM pg_constraint WHERE conrelid = %s""",
            oid,
        )
        pk = next((attnames(oid, list(c[1])) for c in constraints if c[0] == "p"), ())
        deletes = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL"}
        foreign_keys = frozenset(
            (
                attnames(oid, list(key)),
                parent,
                attnames(int(rows("SELECT %s::regclass::oid", parent)[0][0]), list(fkey)),
                deletes.get(action, "SET DEFAULT"),
            )
            for kind, key, parent, fkey, action in constraints
            if kind == "f"
        )
        uniques = frozenset(
            attnames(oid, [int(n) for n in str(indkey).split()])
            for (indkey,) in rows(
                """SELECT indkey::text FROM pg_index
                   WHERE indrelid = %s AND indisunique AND NOT indisprimary
                     AND indpred IS NULL""",
                oid,
            )
        )
        tables[name] = Table(
            columns, pk, uniques, foreign_keys, sum(1 for c in constraints if c[0] == "c")
        )
    indexes = {
        name: Index(table, attnames(table_oid, [int(n) for n in indkey.split()]), unique, partial)
        for name, table, table_oid, indkey, unique, partial in rows(
            f"""SELECT i.relname, t.relname, t.oid, x.indkey::text, x.indisunique,
                       x.indpred IS NOT NULL
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_class t ON t.oid = x.indrelid
                WHERE t.relnamespace = {schema}::regnamespace
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)"""
        )
    }
    views = {
        name: tuple(
            c
            for (c,) in rows(
                f"""SELECT column_name FROM information_schema.columns
                    WHERE table_schema = {schema} AND table_name = %s
                    ORDER BY ordinal_position""",
                name,
            )
        )
        for (name,) in rows(
            f"SELECT table_name FROM information_schema.views WHERE table_schema = {schema}"
        )
    }
    triggers: dict[str, Trigger] = {}
    for name, table, timing, event in rows(
        f"""SELECT trigger_name, event_object_table, action_timing, event_manipulation
            FROM information_schema.triggers WHERE trigger_schema = {schema}"""
    ):
        of = tuple(
            c
            for (c,) in rows(
                f"""SELECT event_object_column FROM information_schema.triggered_update_columns
                    WHERE trigger_schema = {schema} AND trigger_name = %s
                      AND event_object_table = %s""",
                name,
                table,
            )
        )
        # One row per event; each of ours has one, so a second row would show up as a clash.
        assert name not in triggers, f"{name} fires on more than one event"
        triggers[name] = Trigger(table, timing, event, of)
    return Schema(tables, indexes, views, triggers)


# --- the schema tests ---------------------------------------------------------------------


def _expected_from_sqlite(schema: Schema) -> Schema:
    """SQLite's schema as PostgreSQL must have it: the given keys are not generated there."""
    tables = {
        name: Table(
            tuple(
                Column(c.name, c.not_null, c.has_default, c.family, False)
                if (name, c.name) in GIVEN_KEYS
                else c
                for c in table.columns
            ),
            table.primary_key,
            table.uniques,
            table.foreign_keys,
            table.checks,
        )
        for name, table in schema.tables.items()
    }
    return Schema(tables, schema.indexes, schema.views, schema.triggers)


def test_postgres_has_the_schema_of_the_latest_sqlite_version(
    lite: sqlite3.Connection, pg: psycopg.Connection[Any]
) -> None:
    expected = _expected_from_sqlite(sqlite_schema(lite))
    actual = pg_schema(pg)
    assert actual.tables.pop("schema_version").columns == (
        Column("version", True, False, "integer", False),
    )
    assert sorted(actual.tables) == sorted(expected.tables)
    for name, table in expected.tables.items():
        assert actual.tables[name] == table, name
    assert actual.indexes == expected.indexes
    assert actual.views == expected.views
    assert actual.triggers == expected.triggers
    # The neutral form is not empty by mistake.
    assert len(expected.tables) >= 20 and expected.triggers and expected.views


def test_postgres_scripts_end_at_the_sqlite_version(
    lite: sqlite3.Connection, pg: psycopg.Connection[Any]
) -> None:
    (version,) = lite.execute("PRAGMA user_version").fetchone()
    assert version == latest_version()
    assert pg.execute("SELECT version FROM schema_version").fetchall() == [(version,)]
    assert pg_migration_scripts()[-1][0] == version
    assert all(
        re.fullmatch(r"\d{4}_[a-z0-9_]+\.sql", name) for _, name, _ in pg_migration_scripts()
    )


def test_bot_now_has_the_form_of_sqlite_now(
    lite: sqlite3.Connection, pg: psycopg.Connection[Any]
) -> None:
    before = datetime.now(UTC)
    (ours,) = pg.execute("SELECT bot_now()").fetchone()  # type: ignore[misc]
    after = datetime.now(UTC)
    (theirs,) = lite.execute(f"SELECT {SQL_NOW}").fetchone()
    form = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
    assert re.fullmatch(form, ours) and re.fullmatch(form, theirs)
    # UTC, to the millisecond (same machine clock).
    stamp = datetime.strptime(ours, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert before.replace(microsecond=before.microsecond // 1000 * 1000) <= stamp <= after


# --- the same writes on both engines ---------------------------------------------------------


class Engines:
    """One statement at a time on both; SQLite's text is PostgreSQL's with %s and bot_now()."""

    def __init__(self, lite: sqlite3.Connection, pg: psycopg.Connection[Any]) -> None:
        self.lite = lite
        self.pg = pg

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[list[Any], list[Any]]:
        lite_rows = [tuple(r) for r in self.lite.execute(sql, params).fetchall()]
        cursor = self.pg.execute(
            sql.replace("?", "%s").replace(SQL_NOW, "bot_now()").encode(), params
        )
        pg_rows = [tuple(r) for r in cursor.fetchall()] if cursor.description else []
        return lite_rows, pg_rows

    def same(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        lite_rows, pg_rows = self.run(sql, params)
        assert pg_rows == lite_rows, sql
        return lite_rows


TALLIES = "SELECT survey_id, kind, a, b, n FROM survey_tallies ORDER BY survey_id, kind, a, b"
# Response ids are per engine (SQLite hands out a forgotten response's id again): the rows
# are compared by reader.
TALLY_ROWS = """SELECT r.reader_hash, t.kind, t.a, t.b FROM response_tally_rows t
    JOIN responses r ON r.id = t.response_id ORDER BY r.reader_hash, t.kind, t.a, t.b"""

AGES = ["0_13", "18_24", "65_plus"]
INTERESTS = ["fiction", "history", "science"]
QUESTIONS = ["sv_place", "sv_age", "sv_interests", "sv_networks"]


def _value(question: str, picks: list[int]) -> str | None:
    """JSON as the repository stores it: a string for single choices, a list for multi."""
    options = AGES if question == "sv_age" else INTERESTS
    chosen = [options[p % len(options)] for p in picks]
    if question in ("sv_age", "sv_place"):
        return f'"{chosen[0]}"' if chosen else "null"
    return "[" + ", ".join(f'"{c}"' for c in chosen) + "]"


def _setup(engines: Engines) -> None:
    engines.same("INSERT INTO users (id, first_name) VALUES (7000000001, 'Staff')")
    engines.same("INSERT INTO libraries (owner_id, name) VALUES (7000000001, 'Library')")
    engines.same(
        "INSERT INTO surveys (library_id, created_by, title) VALUES (1, 7000000001, 'Readers')"
    )
    for kind in ("poster", "vk"):
        engines.same(
            "INSERT INTO survey_sources (survey_id, kind, payload) VALUES (1, ?, ?)",
            (kind, f"p-{kind}"),
        )


def _apply(engines: Engines, operation: tuple[Any, ...]) -> None:
    kind, reader = operation[0], f"reader-{operation[1]}"
    if kind == "start":
        engines.same(
            """INSERT INTO responses (survey_id, reader_hash, source_id) VALUES (1, ?, ?)
               ON CONFLICT (survey_id, reader_hash) DO NOTHING""",
            (reader, operation[2]),
        )
    elif kind == "answer":
        engines.same(
            f"""INSERT INTO response_answers (response_id, question_id, value)
                SELECT r.id, ?, ? FROM responses r WHERE r.reader_hash = ?
                ON CONFLICT (response_id, question_id) DO UPDATE SET value = excluded.value,
                    updated_at = {SQL_NOW}""",
            (operation[2], operation[3], reader),
        )
    elif kind == "delete":
        engines.same(
            """DELETE FROM response_answers WHERE question_id = ?
               AND response_id = (SELECT id FROM responses WHERE reader_hash = ?)""",
            (operation[2], reader),
        )
    elif kind == "complete":
        engines.same(
            f"""UPDATE responses SET completed_at = {SQL_NOW}
                WHERE reader_hash = ? AND completed_at IS NULL""",
            (reader,),
        )
    elif kind == "forget":
        engines.same("DELETE FROM responses WHERE reader_hash = ?", (reader,))
    else:  # pragma: no cover - the strategies below make only the kinds above
        raise AssertionError(operation)


def _check(engines: Engines) -> None:
    engines.same(TALLIES)
    engines.same(TALLY_ROWS)


def test_the_same_survey_writes_keep_the_same_counts(
    lite: sqlite3.Connection, pg: psycopg.Connection[Any]
) -> None:
    engines = Engines(lite, pg)
    _setup(engines)
    steps: list[tuple[Any, ...]] = [
        ("start", 0, 1),
        ("start", 1, 2),
        ("start", 2, None),
        ("answer", 0, "sv_age", '"18_24"'),
        ("answer", 0, "sv_interests", '["fiction", "history", "fiction"]'),
        ("answer", 0, "sv_interests.ticked", '["science"]'),  # ticks: never counted
        ("answer", 0, "sv_place.other", '"своё"'),  # an "other" text: never counted
        ("answer", 0, "sv_networks", '["vk", 3, null, ["x"], {"k": "v"}]'),
        ("complete", 0),
        ("answer", 1, "sv_age", '"65_plus"'),
        ("answer", 1, "sv_interests", '{"a": "science", "b": 2}'),
        ("complete", 1),
        ("complete", 1),  # twice: counted once
        ("answer", 0, "sv_age", '"0_13"'),  # a completed response changes its answer
        ("answer", 0, "sv_interests", "[]"),
        ("answer", 0, "sv_interests", '"history"'),  # a scalar string counts as one choice
        ("delete", 1, "sv_interests"),
        ("answer", 2, "sv_place", '"district"'),
        ("forget", 0),  # a completed reader forgotten
        ("forget", 2),  # a started one
        ("start", 0, 2),  # the forgotten reader comes back
        ("answer", 0, "sv_age", '"18_24"'),
        ("complete", 0),
    ]
    for step in steps:
        _apply(engines, step)
        _check(engines)
    final = engines.same(TALLIES)
    assert (1, "t", "started", "", 2) in final and (1, "t", "completed", "", 2) in final
    # The object's string member counted, then taken back with the deleted answer.
    assert (1, "x", "65_plus", "science", 0) in final
    assert (1, "q", "sv_interests", "fiction", 0) in final  # taken back, row kept at 0
    assert not any(row[2].endswith((".ticked", ".other")) for row in final)
    # A library removed: every cascade and trigger on the way runs on both.
    engines.same("DELETE FROM libraries WHERE id = 1")
    assert engines.same("SELECT count(*) FROM survey_tallies") == [(0,)]
    assert engines.same("SELECT count(*) FROM response_tally_rows") == [(0,)]


_readers = st.integers(0, 2)
_operations = st.lists(
    st.one_of(
        st.tuples(st.just("start"), _readers, st.sampled_from([1, 2, None])),
        st.builds(
            lambda reader, question, picks: ("answer", reader, question, _value(question, picks)),
            _readers,
            st.sampled_from(QUESTIONS),
            st.lists(st.integers(0, 5), max_size=3),
        ),
        st.tuples(st.just("delete"), _readers, st.sampled_from(QUESTIONS)),
        st.tuples(st.just("complete"), _readers),
        st.tuples(st.just("forget"), _readers),
    ),
    max_size=20,
)


def _reset(engines: Engines) -> None:
    """Every table empty and every id counter back at the start, on both engines.

    With foreign keys off on SQLite, so the order of the deletes cannot matter (whatever
    rows an earlier example left), and ``sqlite_sequence`` cleared as PostgreSQL's
    ``RESTART IDENTITY`` resets its identities.
    """
    lite = engines.lite
    names = [
        str(row[0])
        for row in lite.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    lite.execute("PRAGMA foreign_keys=OFF")
    try:
        lite.executescript(
            "BEGIN;"
            + "".join(f'DELETE FROM "{name}";' for name in names)
            + "DELETE FROM sqlite_sequence;"
            * bool(
                lite.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
                ).fetchone()
            )
            + "COMMIT;"
        )
    finally:
        lite.execute("PRAGMA foreign_keys=ON")
    tables = ", ".join(f'"{name}"' for name in names)
    engines.pg.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE".encode())


def test_random_survey_writes_keep_the_same_counts(
    lite: sqlite3.Connection, pg: psycopg.Connection[Any]
) -> None:
    engines = Engines(lite, pg)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_operations)
    def run(operations: list[tuple[Any, ...]]) -> None:
        _reset(engines)
        _setup(engines)
        for operation in operations:
            _apply(engines, operation)
            _check(engines)

    run()


def test_the_same_team_writes_give_the_same_rows(
    lite: sqlite3.Connection, pg: psycopg.Connection[Any]
) -> None:
    """Owner membership on creation, hand-over, and a strategy touched by its answers."""
    engines = Engines(lite, pg)
    for user in (7000000001, 7000000002):
        engines.same("INSERT INTO users (id) VALUES (?)", (user,))
    (library,) = engines.same(
        "INSERT INTO libraries (owner_id, name) VALUES (7000000001, 'L') RETURNING id"
    )
    engines.same(
        "INSERT INTO memberships (library_id, user_id, role) VALUES (?, 7000000002, 'editor')",
        library,
    )
    engines.same("UPDATE libraries SET owner_id = 7000000002 WHERE id = ?", library)
    members = "SELECT library_id, user_id, role FROM memberships ORDER BY user_id"
    assert engines.same(members) == [(1, 7000000001, "editor"), (1, 7000000002, "owner")]
    engines.same("UPDATE libraries SET owner_id = 7000000002, name = 'M' WHERE id = ?", library)
    assert engines.same(members) == [(1, 7000000001, "editor"), (1, 7000000002, "owner")]

    engines.same(
        """INSERT INTO strategies (library_id, created_by, updated_at)
           VALUES (1, 7000000001, '2026-01-01T00:00:00.000Z')"""
    )
    touched = "SELECT updated_at FROM strategies WHERE id = 1"
    for stamp, expected in [
        ("2026-03-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"),
        ("2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"),  # never goes back
        ("2026-03-01T00:00:00.001000Z", "2026-03-01T00:00:00.001000Z"),
        # Byte order of the text on both ("Z" after the digits), not the time it names.
        ("2026-03-01T00:00:00.001Z", "2026-03-01T00:00:00.001Z"),
        ("2026-03-01T00:00:00.001500Z", "2026-03-01T00:00:00.001Z"),
    ]:
        engines.same(
            """INSERT INTO answers (strategy_id, question_id, value, updated_at)
               VALUES (1, 'goal', '"x"', ?)
               ON CONFLICT (strategy_id, question_id) DO UPDATE
               SET value = excluded.value, updated_at = excluded.updated_at""",
            (stamp,),
        )
        assert engines.same(touched) == [(expected,)]
    # Ids beyond 32 bits, and a user's current library cleared with the library.
    engines.same("UPDATE users SET current_library_id = 1 WHERE id = 7000000002")
    engines.same("DELETE FROM libraries WHERE id = 1")
    assert engines.same("SELECT id, current_library_id FROM users ORDER BY id") == [
        (7000000001, None),
        (7000000002, None),
    ]


REFUSED = [
    "INSERT INTO strategies (library_id, created_by, status) VALUES (1, 1, 'done')",
    "INSERT INTO strategies (library_id, created_by, calendar_weeks) VALUES (1, 1, 105)",
    "INSERT INTO strategies (library_id, created_by) VALUES (2, 1)",
    "INSERT INTO surveys (library_id, created_by, title, response_cap) VALUES (1, 1, 't', 0)",
    "INSERT INTO surveys (library_id, created_by, title, status) VALUES (1, 1, 't', 'x')",
    "INSERT INTO surveys (library_id, created_by) VALUES (1, 1)",
    "INSERT INTO outbox (chat_id, kind, next_attempt_at) VALUES (1, 'sticker', 'x')",
    """INSERT INTO outbox (chat_id, kind, next_attempt_at, status)
           VALUES (1, 'photo', 'x', 'y')""",
    "INSERT INTO outbox (chat_id, kind) VALUES (1, 'photo')",
    """INSERT INTO pulse_polls (chat_id, message_id, poll_id, question, options, counts)
           VALUES (1, 1, 'p', 'q', '[]', '[]')""",
    """INSERT INTO plan_posts (library_id, strategy_id, slot_key, day, time, network, rubric,
               draft, publish) VALUES (1, 1, 'k', 'd', 't', 'n', 'r', '{}', 'maybe')""",
    """INSERT INTO plan_posts (library_id, strategy_id, slot_key, day, time, network, rubric,
               draft, status) VALUES (1, 1, 'k', 'd', 't', 'n', 'r', '{}', 'lost')""",
    "INSERT INTO memberships (library_id, user_id) VALUES (1, 1)",  # the owner's, twice
    "INSERT INTO survey_sources (survey_id, kind, payload) VALUES (1, 'vk', 'taken')",
    "INSERT INTO responses (survey_id, reader_hash) VALUES (1, 'h')",
    "INSERT INTO invites (token, library_id, created_by, used_by) VALUES ('t', 1, 1, 3)",
    "DELETE FROM users WHERE id = 1",  # owns a library
]


def test_both_engines_refuse_the_same_rows(
    lite: sqlite3.Connection, pg: psycopg.Connection[Any]
) -> None:
    """CHECKs, NOT NULLs, UNIQUEs and foreign keys: each statement fails on both, whole."""
    engines = Engines(lite, pg)
    engines.same("INSERT INTO users (id) VALUES (1)")
    engines.same("INSERT INTO libraries (owner_id) VALUES (1)")
    engines.same("INSERT INTO surveys (library_id, created_by, title) VALUES (1, 1, 't')")
    engines.same("INSERT INTO survey_sources (survey_id, kind, payload) VALUES (1, 'vk', 'taken')")
    engines.same("INSERT INTO responses (survey_id, reader_hash) VALUES (1, 'h')")
    counts = "SELECT (SELECT count(*) FROM strategies) + (SELECT count(*) FROM surveys)"
    for statement in REFUSED:
        with pytest.raises(sqlite3.IntegrityError):
            lite.execute(statement)
        with pytest.raises(psycopg.errors.IntegrityError):
            pg.execute(statement.encode())
        assert engines.same(counts) == [(1,)], statement
