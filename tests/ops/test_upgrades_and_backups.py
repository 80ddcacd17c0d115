"""Upgrades that cannot eat data, and backups taken while the bot writes."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db import connection
from bot.db.backup import DatabaseInUse, backup_file, database_in_use, restore_file
from bot.db.connection import DatabaseTooNew, MigrationError, migrate, open_database
from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.db.units import UnitConnection
from bot.scheduling.jobs import backup_job
from bot.scheduling.scheduler import JobRun

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "420:" + "A" * 35

# SQLite's documented way to change a table: create the new one, copy, drop the old, rename.
REBUILD_LIBRARIES = """
CREATE TABLE libraries_new (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    settlement    TEXT NOT NULL DEFAULT '',
    region        TEXT NOT NULL DEFAULT '',
    country       TEXT NOT NULL DEFAULT '',
    timezone      TEXT NOT NULL DEFAULT 'UTC',
    is_state      INTEGER NOT NULL DEFAULT 0,
    owner_id      INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    motto         TEXT NOT NULL DEFAULT ''
);
INSERT INTO libraries_new (id, name, settlement, region, country, timezone, is_state,
                           owner_id, created_at)
    SELECT id, name, settlement, region, country, timezone, is_state, owner_id, created_at
    FROM libraries;
DROP TABLE libraries;
ALTER TABLE libraries_new RENAME TO libraries;
CREATE TRIGGER libraries_owner_membership AFTER INSERT ON libraries
BEGIN
    INSERT INTO memberships (library_id, user_id, role) VALUES (NEW.id, NEW.owner_id, 'owner')
    ON CONFLICT (library_id, user_id) DO NOTHING;
END;
"""


def scripts_plus(sql: str) -> list[tuple[int, str, str]]:
    scripts = connection.migration_scripts()
    version = len(scripts) + 1
    return [*scripts, (version, f"{version:04d}_test.sql", sql)]


async def fill(db: Database) -> int:
    """A library with its owner, a colleague, a strategy and an answer; returns the library id."""
    repo = Repositories(db)
    await repo.users.upsert(1, "Owner", "ru")
    await repo.users.upsert(2, "Colleague", "ru")
    library = await repo.libraries.create(1, "Village library")
    await repo.libraries.add_member(library.id, 2)
    strategy = await repo.strategies.create(library.id, 1)
    await repo.answers.save(strategy.id, "library_name", "Village library")
    return library.id


async def counts(db: Database) -> dict[str, int]:
    tables = ("users", "libraries", "memberships", "strategies", "answers")
    result = {}
    for table in tables:
        rows = await db.execute_fetchall(f"SELECT count(*) FROM {table}")
        result[table] = int(next(iter(rows))[0])
    return result


async def test_a_rebuilt_table_keeps_every_child_row(db_path: Path) -> None:
    db = await open_database(db_path)
    library_id = await fill(db)
    before = await counts(db)
    assert before["memberships"] == 2

    version = await migrate(db, scripts_plus(REBUILD_LIBRARIES), path=db_path)

    assert version == connection.latest_version() + 1
    assert await counts(db) == before
    # Foreign keys are back on, and still point at the rebuilt table.
    assert list(next(iter(await db.execute_fetchall("PRAGMA foreign_keys")))) == [1]
    await db.execute("DELETE FROM libraries WHERE id = ?", (library_id,))
    await db.commit()
    after = await counts(db)
    assert (after["memberships"], after["strategies"], after["answers"]) == (0, 0, 0)
    await db.close()


async def test_a_migration_that_orphans_rows_is_refused_and_changes_nothing(
    db_path: Path,
) -> None:
    db = await open_database(db_path)
    await fill(db)
    before = await counts(db)
    old_version = connection.latest_version()

    with pytest.raises(MigrationError, match="without their parent"):
        await migrate(db, scripts_plus("DELETE FROM users WHERE id = 2;"), path=db_path)

    assert await counts(db) == before
    assert await connection.schema_version(db) == old_version
    await db.close()


async def test_a_failing_migration_rolls_back_whole(db_path: Path) -> None:
    db = await open_database(db_path)
    await fill(db)
    before = await counts(db)
    broken = "DELETE FROM answers; INSERT INTO no_such_table VALUES (1);"
    with pytest.raises(sqlite3.OperationalError):
        await migrate(db, scripts_plus(broken), path=db_path)
    assert await counts(db) == before
    await db.close()


async def test_a_copy_is_taken_before_migrating(db_path: Path) -> None:
    db = await open_database(db_path)
    await fill(db)
    old_version = connection.latest_version()
    assert not list(db_path.parent.glob("*before-upgrade*"))  # a new database needs no copy

    await migrate(db, scripts_plus(REBUILD_LIBRARIES), path=db_path)
    await db.close()

    (copy,) = db_path.parent.glob(f"bot-v{old_version}-before-upgrade-*.sqlite3")
    with sqlite3.connect(copy) as old:
        assert old.execute("PRAGMA user_version").fetchone() == (old_version,)
        assert old.execute("SELECT count(*) FROM memberships").fetchone() == (2,)
        columns = [row[1] for row in old.execute("PRAGMA table_info(libraries)")]
        assert "motto" not in columns


async def test_a_database_newer_than_the_code_is_not_opened(db_path: Path) -> None:
    db = await open_database(db_path)
    await db.execute(f"PRAGMA user_version = {connection.latest_version() + 1}")
    await db.close()
    with pytest.raises(DatabaseTooNew):
        await open_database(db_path)


def run_bot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_bot_refuses_to_start_on_a_newer_database(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    asyncio.run(_newer_database(path))
    result = run_bot(
        "polling",
        env={
            "BOT_TOKEN": TOKEN,
            "DATABASE_PATH": str(path),
            # Never reached: the database is checked before anything talks to Telegram.
            "TELEGRAM_API_URL": "http://127.0.0.1:9",
        },
    )
    assert result.returncode == 3
    known = connection.latest_version()
    assert result.stderr.strip().splitlines() == [
        f"Database error: {path} has schema version {known + 5}, but this bot knows only up "
        f"to {known}: run the newer bot, or restore a backup taken before the upgrade"
    ]
    with sqlite3.connect(path) as untouched:
        assert untouched.execute("PRAGMA user_version").fetchone() == (known + 5,)


async def _newer_database(path: Path) -> None:
    db = await open_database(path)
    await db.execute(f"PRAGMA user_version = {connection.latest_version() + 5}")
    await db.close()


# --- backups ------------------------------------------------------------------------------


async def test_a_backup_taken_during_writes_is_whole(db_path: Path, tmp_path: Path) -> None:
    db = await open_database(db_path)
    await fill(db)
    repo = Repositories(db)
    stop = asyncio.Event()
    written = 0

    async def write() -> None:
        nonlocal written
        while not stop.is_set():
            written += 1
            await repo.users.upsert(1000 + written, f"Reader {written}", "ru")
            await asyncio.sleep(0)

    writer = asyncio.create_task(write())
    copies = []
    for number in range(5):
        await asyncio.sleep(0.01)
        copies.append(
            await asyncio.to_thread(backup_file, db_path, tmp_path / "copies" / f"{number}.db")
        )
    stop.set()
    await writer
    await db.close()

    seen = []
    for copy in copies:
        with sqlite3.connect(copy) as restored:
            assert restored.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert restored.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            assert restored.execute("SELECT count(*) FROM memberships").fetchone() == (2,)
            seen.append(restored.execute("SELECT count(*) FROM users").fetchone()[0])
    # Each copy is one committed moment, later copies no earlier than earlier ones.
    assert seen == sorted(seen)
    assert seen[-1] > 2
    assert not list((tmp_path / "copies").glob("*.partial"))


async def test_backup_and_restore_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    db = await open_database(path)
    await fill(db)
    await db.close()
    env = {"DATABASE_PATH": str(path), "BACKUP_DIR": str(tmp_path / "backups")}

    made = run_bot("backup", env=env)
    assert made.returncode == 0, made.stderr
    (copy,) = (tmp_path / "backups").glob("bot-*.sqlite3")
    assert made.stdout.strip() == f"Backup written: {copy}"

    db = await open_database(path)
    await Repositories(db).users.upsert(77, "After the backup", "ru")
    # While a bot has the database open, restore refuses and changes nothing.
    with database_in_use(path):
        refused = run_bot("restore", str(copy), env=env)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        f"Restore refused: a running bot has {path} open; stop it first"
    )
    assert await Repositories(db).users.get(77) is not None
    await db.close()

    restored = run_bot("restore", str(copy), env=env)
    assert restored.returncode == 0, restored.stderr
    db = await open_database(path)
    assert await Repositories(db).users.get(77) is None
    assert (await counts(db))["memberships"] == 2
    await db.close()
    # The replaced database is kept, with the later user in it.
    (kept,) = path.parent.glob("bot-before-restore-*.sqlite3")
    with sqlite3.connect(kept) as previous:
        assert previous.execute("SELECT first_name FROM users WHERE id = 77").fetchone() == (
            "After the backup",
        )


def test_backup_and_restore_refuse_what_they_cannot_do(tmp_path: Path) -> None:
    env = {"DATABASE_PATH": str(tmp_path / "missing.sqlite3")}
    missing = run_bot("backup", env=env)
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        f"Backup error: there is no database at {tmp_path / 'missing.sqlite3'}"
    )
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    bad = run_bot("restore", str(garbage), env=env)
    assert bad.returncode == 2
    assert bad.stderr.startswith("Restore refused: ")
    assert "Traceback" not in bad.stderr
    assert not (tmp_path / "missing.sqlite3").exists()


async def test_restore_refuses_a_backup_newer_than_the_code(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    await _newer_database(newer)
    with pytest.raises(sqlite3.DatabaseError, match="schema version"):
        restore_file(newer, tmp_path / "bot.sqlite3", known_version=connection.latest_version())


async def test_restore_is_refused_while_a_runtime_holds_the_database(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await open_database(path)
    await db.close()
    copy = backup_file(path, tmp_path / "copy.sqlite3")
    with database_in_use(path), pytest.raises(DatabaseInUse):
        restore_file(copy, path, known_version=connection.latest_version())


async def test_the_daily_backup_keeps_the_newest_copies(db_path: Path, tmp_path: Path) -> None:
    db = await open_database(db_path)
    await fill(db)
    job = backup_job(db_path, tmp_path / "daily", keep=2)
    runs = []
    for _ in range(4):
        run = JobRun("backup", "", datetime.now(UTC), datetime.now(UTC))
        await job.run(run)
        runs.append(sorted((tmp_path / "daily").glob("bot-*.sqlite3")))
    await db.close()
    assert [len(files) for files in runs] == [1, 2, 2, 2]
    assert runs[-1][0] not in runs[1]  # the oldest went first


async def test_the_copy_before_readers_leave_no_trace_keeps_no_reader(db_path: Path) -> None:
    """An upgrade from before version 11 copies the database first; that copy must not keep
    what version 11 promises never to store: a reader's id and name, their state, the key."""
    scripts = connection.migration_scripts()
    no_trace = next(v for v, name, _ in scripts if name.endswith("_readers_leave_no_trace.sql"))
    db = UnitConnection(str(db_path))
    await db
    await migrate(db, [s for s in scripts if s[0] < no_trace], path=db_path)
    library = await fill(db)  # the owner and a colleague: staff, they stay
    reader_id, reader_name = 734_019_552, "Читательница Серафима"
    await db.execute(
        "INSERT INTO users (id, first_name, language, role) VALUES (?, ?, 'ru', 'staff')",
        (reader_id, reader_name),
    )
    await db.execute(
        "INSERT INTO fsm (key, state, data) VALUES (?, 'SurveyReader:q1', '{}')",
        (f"fsm:1:{reader_id}:{reader_id}:survey_reader",),
    )
    await db.execute("INSERT INTO settings (key, value) VALUES ('survey_secret', 'abcd')")
    await db.commit()

    await migrate(db, path=db_path)
    await db.close()

    (copy,) = db_path.parent.glob(f"bot-v{no_trace - 1}-before-upgrade-*.sqlite3")
    with sqlite3.connect(copy) as old:

        def count(sql: str, *parameters: object) -> int:
            return int(old.execute(f"SELECT count(*) FROM {sql}", parameters).fetchone()[0])

        assert count("users WHERE id = ?", reader_id) == 0
        assert count("fsm") == 0
        assert count("settings WHERE key = 'survey_secret'") == 0
        assert count("users") == 2  # the staff
        assert count("libraries WHERE id = ?", library) == 1
        assert old.execute("PRAGMA user_version").fetchone() == (no_trace - 1,)
    raw = copy.read_bytes()
    assert reader_name.encode() not in raw
    assert str(reader_id).encode() not in raw
    assert reader_id.to_bytes(4, "big") not in raw
