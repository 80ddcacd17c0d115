"""Opening the SQLite database: WAL, foreign keys, and migrations applied on open."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.db.reads import fetch_one

logger = logging.getLogger(__name__)

MIGRATIONS_PACKAGE = "bot.db.migrations"


def migration_scripts() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every ``NNNN_name.sql`` file, in version order."""
    scripts = []
    for entry in resources.files(MIGRATIONS_PACKAGE).iterdir():
        name = entry.name
        if not name.endswith(".sql"):
            continue
        version = int(name.split("_", 1)[0])
        scripts.append((version, name, entry.read_text(encoding="utf-8")))
    scripts.sort()
    versions = [version for version, _, _ in scripts]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migration versions must be 1..N without gaps, got {versions}")
    return scripts


async def migrate(db: aiosqlite.Connection) -> int:
    """Apply the migrations newer than ``PRAGMA user_version``; return the new version."""
    row = await fetch_one(db, "PRAGMA user_version")
    current = int(row[0]) if row else 0
    for version, name, sql in migration_scripts():
        if version <= current:
            continue
        logger.info("applying migration %s", name)
        # One transaction per migration: a failure leaves the previous version intact.
        await db.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
        current = version
    return current


async def open_database(path: Path | str) -> aiosqlite.Connection:
    """Open (creating folders and schema as needed) the bot's database."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = await aiosqlite.connect(path)
    try:
        db.row_factory = aiosqlite.Row
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute("PRAGMA busy_timeout=5000")
        await db.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows (a reader's /forget, purged notifications) are overwritten, not left
        # readable in free pages of the file.
        await db.execute("PRAGMA secure_delete=ON")
        await migrate(db)
    except BaseException:
        await db.close()
        raise
    return db
