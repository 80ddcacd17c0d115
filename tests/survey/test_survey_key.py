"""The readers' hashing key lives beside the database, never in it."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.db.connection import open_database
from bot.db.engine import Database
from bot.db.survey_key import (
    LEGACY_SETTING,
    SurveyKeyError,
    key_path,
    load_survey_key,
)


async def _settings(db: Database) -> list[tuple[str, str]]:
    return [
        (row[0], row[1]) for row in await db.execute_fetchall("SELECT key, value FROM settings")
    ]


async def test_key_file_is_created_once_with_owner_only_permissions(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await open_database(path)
    try:
        keys = await asyncio.gather(*(load_survey_key(db, path) for _ in range(10)))
        assert len(set(keys)) == 1
        assert len(keys[0]) == 32
        file = key_path(path)
        assert file == tmp_path / "bot.sqlite3.survey-key"
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
        assert bytes.fromhex(file.read_text().strip()) == keys[0]
        assert await _settings(db) == []
        assert not any(name.endswith(".tmp") for name in os.listdir(tmp_path))
    finally:
        await db.close()
    # Read again after a restart: the same key.
    db = await open_database(path)
    try:
        assert await load_survey_key(db, path) == keys[0]
    finally:
        await db.close()


async def test_a_key_left_in_the_database_moves_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await open_database(path)
    try:
        legacy = "ab" * 32
        await db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)", (LEGACY_SETTING, legacy)
        )
        await db.commit()
        assert await load_survey_key(db, path) == bytes.fromhex(legacy)
        assert await _settings(db) == []
        file = key_path(path)
        assert file is not None
        assert file.read_text().strip() == legacy
    finally:
        await db.close()


async def test_two_different_keys_stop_the_start(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await open_database(path)
    try:
        await load_survey_key(db, path)
        await db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)", (LEGACY_SETTING, "cd" * 32)
        )
        await db.commit()
        with pytest.raises(SurveyKeyError):
            await load_survey_key(db, path)
        assert len(await _settings(db)) == 1  # nothing destroyed while it is unclear
    finally:
        await db.close()


async def test_configured_secret_wins_and_creates_no_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await open_database(path)
    try:
        assert await load_survey_key(db, path, SecretStr("from-env")) == b"from-env"
        assert not (tmp_path / "bot.sqlite3.survey-key").exists()
        generated = await load_survey_key(db, path, SecretStr(""))
        assert generated != b""
        assert (tmp_path / "bot.sqlite3.survey-key").exists()
    finally:
        await db.close()


async def test_a_key_file_readable_by_others_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    file = tmp_path / "bot.sqlite3.survey-key"
    file.write_text("ef" * 32 + "\n")
    file.chmod(0o644)
    db = await open_database(path)
    try:
        assert await load_survey_key(db, path) == bytes.fromhex("ef" * 32)
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    finally:
        await db.close()


async def test_upgrade_drops_readers_stored_by_older_versions(tmp_path: Path) -> None:
    from bot.db.connection import migrate, migration_scripts  # noqa: PLC0415

    path = tmp_path / "bot.sqlite3"
    db = await open_database(path)
    try:
        # As versions before this migration left it: a librarian, and a reader stored with
        # role 'staff'.
        (version,) = [v for v, name, _ in migration_scripts() if "readers_leave_no_trace" in name]
        await db.execute(f"PRAGMA user_version = {version - 1}")
        await db.execute("INSERT INTO users (id, first_name) VALUES (100, 'Анна'), (555, 'Вера')")
        await db.execute("INSERT INTO libraries (owner_id, name) VALUES (100, 'Б')")
        await db.execute(
            "INSERT INTO fsm (key, state) VALUES ('fsm:1:555:555:survey_reader', 'x'),"
            " ('fsm:1:100:100:default', 'y')"
        )
        await db.commit()
        # Only up to this migration: later ones already ran on this file and need not be
        # repeatable (an added column cannot be added twice).
        scripts = [script for script in migration_scripts() if script[0] <= version]
        assert await migrate(db, scripts) == version
        users = [tuple(row) for row in await db.execute_fetchall("SELECT id, role FROM users")]
        assert users == [(100, "staff")]
        keys = [row[0] for row in await db.execute_fetchall("SELECT key FROM fsm")]
        assert keys == ["fsm:1:100:100:default"]
    finally:
        await db.close()
