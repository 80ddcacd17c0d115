"""Opening the bot's database, migrations applied on open.

SQLite (a file path; WAL, foreign keys) is the embedded default; a ``postgresql://`` URL
opens PostgreSQL (bot/db/postgres.py) with its own scripts in ``bot/db/migrations_pg/``,
numbered like SQLite's: version N is the same schema on both engines.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import aiosqlite

from bot.db.backup import backup_file, stamped_name
from bot.db.engine import Database
from bot.db.reads import fetch_all, fetch_one
from bot.db.survey_key import LEGACY_SETTING
from bot.db.units import UnitConnection

if TYPE_CHECKING:
    from bot.db.postgres import PgDatabase

logger = logging.getLogger(__name__)

MIGRATIONS_PACKAGE = "bot.db.migrations"
POSTGRES_MIGRATIONS_PACKAGE = "bot.db.migrations_pg"
# Taken while PostgreSQL migrates, so two processes starting at once migrate once.
_MIGRATION_LOCK = 7_402_118_311


def migration_scripts(package: str = MIGRATIONS_PACKAGE) -> list[tuple[int, str, str]]:
    """(version, name, sql) of every ``NNNN_name.sql`` file, in version order.

    SQLite's run 1..N; PostgreSQL's start where PostgreSQL support began (its first script
    makes the whole schema of that version) and run on without gaps to the same N.
    """
    scripts = []
    for entry in resources.files(package).iterdir():
        name = entry.name
        if not name.endswith(".sql"):
            continue
        version = int(name.split("_", 1)[0])
        scripts.append((version, name, entry.read_text(encoding="utf-8")))
    scripts.sort()
    versions = [version for version, _, _ in scripts]
    first = 1 if package == MIGRATIONS_PACKAGE or not versions else versions[0]
    if versions != list(range(first, first + len(versions))):
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


class DatabaseUnavailable(RuntimeError):
    """The database server does not answer (PostgreSQL down, wrong URL or password)."""


def safe_location(url: str) -> str:
    """host:port/name of a database URL, without user or password (for messages and logs)."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path}"


class MigrationError(RuntimeError):
    """A migration failed or broke a foreign key; the database stays at its old version."""


def latest_version() -> int:
    return len(migration_scripts())


async def schema_version(db: UnitConnection) -> int:
    row = await fetch_one(db, "PRAGMA user_version")
    return int(row[0]) if row else 0


async def migrate(
    db: UnitConnection,
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
    copy: Path | None = None
    if current > 0 and str(path) != ":memory:":
        copy = Path(path).with_name(stamped_name(f"{Path(path).stem}-v{current}-before-upgrade"))
        await asyncio.to_thread(backup_file, Path(path), copy)
        logger.info("database copied before migrating", extra={"copy": str(copy)})
    upgraded_from = current
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
    no_trace = _version_named(scripts, READERS_LEAVE_NO_TRACE)
    if copy is not None and no_trace is not None and upgraded_from < no_trace <= current:
        await asyncio.to_thread(scrub_readers, copy)
    return current


READERS_LEAVE_NO_TRACE = "_readers_leave_no_trace.sql"


def _version_named(scripts: list[tuple[int, str, str]], suffix: str) -> int | None:
    return next((version for version, name, _ in scripts if name.endswith(suffix)), None)


def scrub_readers(copy: Path) -> None:
    """Take out of a pre-upgrade copy what older versions kept about readers.

    The copy is there to undo an upgrade, not to keep what this version promises never to
    store: readers' rows (Telegram id and name), their conversation state keyed by id, and
    the survey key that made their pseudonyms recomputable (the live database moves it to
    the key file). Staff, libraries, strategies and the answers stay; the file is vacuumed
    so the deleted rows are not left in free pages.
    """
    scripts = {name: sql for _, name, sql in migration_scripts()}
    script = next(sql for name, sql in scripts.items() if name.endswith(READERS_LEAVE_NO_TRACE))
    with contextlib.closing(sqlite3.connect(copy)) as old:
        tables = {
            row[0] for row in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        # The script's deletes name tables a very old copy may not have yet.
        needed = {"users", "memberships", "libraries", "strategies", "surveys", "invites", "fsm"}
        if needed <= tables:
            old.executescript(f"BEGIN;\n{script}\nCOMMIT;")
        if "settings" in tables:
            old.execute("DELETE FROM settings WHERE key = ?", (LEGACY_SETTING,))
            old.commit()
        old.execute("VACUUM")
    logger.info("readers scrubbed from the pre-upgrade copy", extra={"copy": str(copy)})


def is_postgres(target: Path | str) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


async def connect(target: Path | str, *, pool_size: int = 10) -> Database:
    """The bot's database: PostgreSQL for a ``postgresql://`` URL, else the SQLite file."""
    if is_postgres(target):
        return await open_postgres(str(target), max_size=pool_size)
    return await open_database(target)


async def open_postgres(url: str, *, max_size: int = 10, wait_seconds: float = 15.0) -> PgDatabase:
    """Open a pool on PostgreSQL and bring its schema to this version of the bot."""
    from bot.db.postgres import PgDatabase  # noqa: PLC0415 - only PostgreSQL deployments pay for it

    db = PgDatabase(url, max_size=max_size)
    try:
        await db.open(wait_seconds=wait_seconds)
    except Exception as error:
        await db.close()
        raise DatabaseUnavailable(
            f"cannot reach PostgreSQL at {safe_location(url)}: {type(error).__name__}"
        ) from error
    try:
        await migrate_postgres(db)
    except BaseException:
        await db.close()
        raise
    return db


async def migrate_postgres(db: PgDatabase) -> int:
    """Apply the PostgreSQL scripts newer than the ``schema_version`` row, each in one
    transaction, under an advisory lock (several processes may start at once)."""
    scripts = migration_scripts(POSTGRES_MIGRATIONS_PACKAGE)
    known = latest_version()
    if scripts[-1][0] != known:
        raise RuntimeError(f"PostgreSQL scripts end at {scripts[-1][0]}, SQLite's at {known}")
    async with db.pool.connection() as connection:
        await connection.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
        try:
            found = await (
                await connection.execute("SELECT to_regclass('schema_version')")
            ).fetchone()
            current = 0
            if found is not None and found[0] is not None:
                row = await (
                    await connection.execute("SELECT version FROM schema_version")
                ).fetchone()
                current = int(row[0]) if row is not None else 0
            if current > known:
                raise DatabaseTooNew(safe_location(db.url), current, known)
            if 0 < current < scripts[0][0]:
                raise MigrationError(
                    f"PostgreSQL schema version {current} predates {scripts[0][1]}"
                )
            for version, name, sql in scripts:
                if version <= current:
                    continue
                logger.info("applying migration %s", name)
                async with connection.transaction():
                    # No parameters: the script goes to the server as written.
                    await connection.execute(sql.encode())
                    await connection.execute("UPDATE schema_version SET version = %s", (version,))
                current = version
        finally:
            await connection.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))
    return current


async def open_database(path: Path | str) -> UnitConnection:
    """Open (creating folders and schema as needed) the bot's SQLite database.

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
        # Deleted rows (a reader's /forget, purged notifications) are overwritten, not left
        # readable in free pages of the file.
        await db.execute("PRAGMA secure_delete=ON")
        await migrate(db, path=path)
        await db.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        await db.close()
        raise
    return db
