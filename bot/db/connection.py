"""Opening the SQLite database: WAL, foreign keys, and migrations applied on open."""

from __future__ import annotations

import asyncio
import logging
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.db.backup import backup_file, stamped_name
from bot.db.reads import fetch_all, fetch_one
from bot.db.units import UnitConnection

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


class DatabaseTooNew(RuntimeError):
    """The database was migrated by a newer version of the bot than this one."""

    def __init__(self, path: Path | str, version: int, known: int) -> None:
        super().__init__(
            f"{path} has schema version {version}, but this bot knows only up to {known}: "
            "run the newer bot, or restore a backup taken before the upgrade"
        )
        self.version = version
        self.known = known


class MigrationError(RuntimeError):
    """A migration failed or broke a foreign key; the database stays at its old version."""


def latest_version() -> int:
    return len(migration_scripts())


async def schema_version(db: aiosqlite.Connection) -> int:
    row = await fetch_one(db, "PRAGMA user_version")
    return int(row[0]) if row else 0


async def migrate(
    db: aiosqlite.Connection,
    scripts: list[tuple[int, str, str]] | None = None,
    *,
    path: Path | str = ":memory:",
) -> int:
    """Apply the migrations newer than ``PRAGMA user_version``; return the new version.

    Each migration is one transaction run with foreign keys OFF: SQLite's way to change a
    table (create the new one, copy, drop the old, rename) would otherwise cascade the drop
    into every child table. ``PRAGMA foreign_key_check`` must come back empty before the
    commit, so a migration cannot leave a dangling reference either.
    """
    scripts = migration_scripts() if scripts is None else scripts
    current = await schema_version(db)
    known = scripts[-1][0] if scripts else 0
    if current > known:
        raise DatabaseTooNew(path, current, known)
    pending = [script for script in scripts if script[0] > current]
    if not pending:
        return current
    if current > 0 and str(path) != ":memory:":
        copy = Path(path).with_name(stamped_name(f"{Path(path).stem}-v{current}-before-upgrade"))
        await asyncio.to_thread(backup_file, Path(path), copy)
        logger.info("database copied before migrating", extra={"copy": str(copy)})
    # Outside any transaction, or SQLite ignores it.
    await db.execute("PRAGMA foreign_keys=OFF")
    try:
        for version, name, sql in pending:
            logger.info("applying migration %s", name)
            try:
                await db.executescript(f"BEGIN;\n{sql}")
                broken = await fetch_all(db, "PRAGMA foreign_key_check")
                if broken:
                    raise MigrationError(
                        f"{name} leaves rows without their parent: "
                        f"{[tuple(row) for row in broken[:5]]}"
                    )
                await db.execute(f"PRAGMA user_version = {version}")
                await db.commit()
            except BaseException:
                if db.in_transaction:
                    await db.rollback()
                raise
            current = version
    finally:
        await db.execute("PRAGMA foreign_keys=ON")
    return current


async def open_database(path: Path | str) -> UnitConnection:
    """Open (creating folders and schema as needed) the bot's database.

    The connection runs units of work (bot/db/units.py); outside one, each statement
    autocommits.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = UnitConnection(str(path))
    await db
    try:
        db.row_factory = aiosqlite.Row
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA busy_timeout=5000")
        await db.execute("PRAGMA synchronous=NORMAL")
        await migrate(db, path=path)
        await db.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        await db.close()
        raise
    return db
