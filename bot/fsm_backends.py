"""Where FSM state lives: Redis when REDIS_URL is set, else the bot's database (SQLite or
PostgreSQL).

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
    without, an in-process lock: enough on SQLite (one process owns the file), and on
    PostgreSQL each update's unit of work also takes an advisory lock on its conversation
    (bot/middlewares.py), which holds across processes.
    """
    if redis_url:
        # Only deployments with Redis pay for importing it.
        from aiogram.fsm.storage.redis import RedisStorage

        storage = RedisStorage.from_url(redis_url, key_builder=redis_key_builder())
        return storage, storage.create_isolation()
    return SQLiteStorage(db), SimpleEventIsolation()
