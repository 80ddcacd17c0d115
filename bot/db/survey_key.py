"""The key that turns a reader's Telegram id into their pseudonym, kept out of the database.

Whoever holds the database and this key can test a guessed Telegram id against the survey
tables; whoever holds only the database cannot. So the key is ``SURVEY_SECRET`` or a file
beside the database (``<database>.survey-key``, mode 0600), created on first start, and
backed up apart from the database.

Earlier versions generated the key into the ``settings`` table. It is moved to the file on
start (so existing responses still match their readers) and deleted from the table.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat
from pathlib import Path

from pydantic import SecretStr

from bot.db.engine import Database
from bot.db.reads import fetch_one

logger = logging.getLogger(__name__)

KEY_FILE_SUFFIX = ".survey-key"
KEY_BYTES = 32
KEY_FILE_MODE = 0o600
LEGACY_SETTING = "survey_secret"
"""Where versions before the key file kept the generated key (table ``settings``)."""


class SurveyKeyError(RuntimeError):
    """The key file and the key left in the database disagree; a person must decide."""


def key_path(database_path: Path | str) -> Path | None:
    """The key file of this database; None for an in-memory database."""
    if str(database_path) == ":memory:":
        return None
    path = Path(database_path)
    return path.with_name(path.name + KEY_FILE_SUFFIX)


def _read(path: Path) -> bytes:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        logger.warning("survey key file was readable by others; mode set to 0600")
        path.chmod(KEY_FILE_MODE)
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise SurveyKeyError(f"{path} does not hold a hex key") from None
    if len(key) < 16:
        raise SurveyKeyError(f"{path} holds a key shorter than 16 bytes")
    return key


def _write_new(path: Path, key: bytes) -> bytes:
    """Create the file with ``key`` unless another process created it first; the file wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key.hex() + "\n")
            file.flush()
            os.fsync(file.fileno())
        # link() fails if the name exists: two workers starting at once agree on one key.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return _read(path)


async def load_survey_key(
    db: Database, database_path: Path | str, configured: SecretStr | None = None
) -> bytes:
    """``SURVEY_SECRET`` if set, else the key file (created now if missing).

    A key still in the ``settings`` table is written to the file first (when there is no
    file yet) and then deleted from the table.
    """
    row = await fetch_one(db, "SELECT value FROM settings WHERE key = ?", (LEGACY_SETTING,))
    legacy = bytes.fromhex(str(row[0])) if row is not None else None
    path = key_path(database_path)
    key: bytes | None = None
    if configured is not None and configured.get_secret_value():
        key = configured.get_secret_value().encode("utf-8")
        if legacy is not None and path is not None and not path.exists():
            # Unused while SURVEY_SECRET is set, but it is what older responses were made with.
            _write_new(path, legacy)
    elif path is None:
        key = legacy or secrets.token_bytes(KEY_BYTES)
    elif path.exists():
        key = _read(path)
        if legacy is not None and legacy != key:
            raise SurveyKeyError(
                f"the database holds a survey key that differs from {path}; "
                "keep the one the responses were made with and remove the other"
            )
    else:
        key = _write_new(path, legacy or secrets.token_bytes(KEY_BYTES))
        logger.info("survey key file created", extra={"moved_from_database": legacy is not None})
    if legacy is not None:
        await db.execute("DELETE FROM settings WHERE key = ?", (LEGACY_SETTING,))
        await db.commit()
    return key
