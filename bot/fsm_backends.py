"""Where FSM state lives: Redis when REDIS_URL is set, else the bot's SQLite database.

Both key on every part of the :class:`StorageKey` (bot, chat, user, thread, business
connection, destiny), so scenes and dialogs with their own destiny never collide, and both
come with an event isolation that serialises updates of one user (fast taps, albums).
"""

from __future__ import annotations

from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation

from bot.db.engine import Database
from bot.storage import SQLiteStorage

REDIS_KEY_PREFIX = "fsm"


def redis_key_builder() -> DefaultKeyBuilder:
    return DefaultKeyBuilder(
        prefix=REDIS_KEY_PREFIX,
        with_bot_id=True,
        with_business_connection_id=True,
        with_destiny=True,
    )


def create_fsm_backend(
    *, redis_url: str | None, db: Database
) -> tuple[BaseStorage, BaseEventIsolation]:
    """(storage, events_isolation) for ``Dispatcher(storage=..., events_isolation=...)``.

    With Redis the isolation is a Redis lock, which also holds across several bot processes;
    with SQLite it is an in-process lock (one process owns the database file anyway).
    """
    if redis_url:
        # Only deployments with Redis pay for importing it.
        from aiogram.fsm.storage.redis import RedisStorage

        storage = RedisStorage.from_url(redis_url, key_builder=redis_key_builder())
        return storage, storage.create_isolation()
    return SQLiteStorage(db), SimpleEventIsolation()
