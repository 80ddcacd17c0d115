"""Consistent copies of the SQLite database, taken while the bot keeps writing.

SQLite's online backup API copies pages under a read lock and restarts when a writer
changes a page it already copied, so the copy is one committed state even in WAL mode; a
plain file copy could catch half a checkpoint. Runs in a thread: it is blocking I/O.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

BACKUP_SUFFIX = ".sqlite3"


class DatabaseInUse(RuntimeError):
    """Another process (a running bot) has the database open."""


def backup_file(source: Path, target: Path) -> Path:
    """Copy ``source`` into ``target`` (replaced if it exists) and check the copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            # A copy is a single file: no WAL left next to it.
            dst.execute("PRAGMA journal_mode=DELETE")
            check_integrity(dst)
        finally:
            dst.close()
    finally:
        src.close()
    # Renamed only once complete, so a crash never leaves a half copy under the real name.
    partial.replace(target)
    return target


def check_integrity(db: sqlite3.Connection) -> None:
    rows = db.execute("PRAGMA integrity_check").fetchall()
    if rows != [("ok",)]:
        raise sqlite3.DatabaseError(f"integrity_check failed: {rows[:5]}")


def stamped_name(stem: str, now: datetime | None = None) -> str:
    """``bot-20260105T060000Z.sqlite3``: names sort by time."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{stem}-{moment:%Y%m%dT%H%M%S%fZ}{BACKUP_SUFFIX}"


def backup_into_dir(
    source: Path, directory: Path, *, keep: int, now: datetime | None = None
) -> Path:
    """A new stamped copy in ``directory``; only the newest ``keep`` copies stay."""
    target = backup_file(source, directory / stamped_name(source.stem, now))
    prune(directory, source.stem, keep=keep)
    return target


def prune(directory: Path, stem: str, *, keep: int) -> list[Path]:
    # Only stamped copies (digits after the dash), never pre-upgrade or pre-restore copies.
    copies = sorted(directory.glob(f"{stem}-[0-9]*{BACKUP_SUFFIX}"))
    doomed = copies[:-keep] if keep > 0 else copies
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextlib.contextmanager
def database_in_use(database: Path) -> Iterator[None]:
    """Held (shared) by every bot process for as long as it has the database open.

    An OS lock, so a killed process releases it; ``restore`` takes it exclusively.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(database), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def restore_file(backup: Path, database: Path, *, known_version: int) -> Path | None:
    """Replace ``database`` with ``backup``; return where the replaced database was kept.

    Refuses (:class:`DatabaseInUse`) while any bot process holds the database, and refuses
    a backup that fails ``integrity_check`` or is newer than this code's schema.
    """
    check = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        check_integrity(check)
        version = int(check.execute("PRAGMA user_version").fetchone()[0])
    finally:
        check.close()
    if version > known_version:
        raise sqlite3.DatabaseError(
            f"{backup} has schema version {version}; this code knows up to {known_version}"
        )
    database.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(database), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseInUse(str(database)) from None
        kept = None
        if database.exists():
            kept_name = stamped_name(database.stem + "-before-restore")
            kept = backup_file(database, database.with_name(kept_name))
        src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(database)
            try:
                # Through the backup API, so an old -wal file cannot be replayed over the copy.
                src.backup(dst)
                check_integrity(dst)
            finally:
                dst.close()
        finally:
            src.close()
        return kept
    finally:
        os.close(fd)
