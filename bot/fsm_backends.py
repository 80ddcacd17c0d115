"""Where FSM state lives: Redis when REDIS_URL is set, else the bot's database (SQLite or
PostgreSQL).

Both key on every part of the :class:`StorageKey` (bot, chat, user, thread, business
connection, destiny), so scenes and dialogs with their own destiny never collide, and both
come with an event isolation that serialises updates of one user (fast taps, albums).
"""

from __future__ import annotations

import hmac
from typing import Literal

from aiogram.fsm.storage.base import (
    BaseEventIsolation,
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StorageKey,
)
from aiogram.fsm.storage.memory import SimpleEventIsolation

from bot.db.engine import Database
from bot.storage import DatabaseStorage

REDIS_KEY_PREFIX = "fsm"


def redis_key_builder() -> DefaultKeyBuilder:
    return DefaultKeyBuilder(
        prefix=REDIS_KEY_PREFIX,
        with_bot_id=True,
        with_business_connection_id=True,
        with_destiny=True,
    )


class PseudonymousLockKeys(KeyBuilder):
    """Redis lock keys that name no one: a keyed hash of the storage key.

    aiogram takes the per-update lock under the chat and user ids of whoever wrote, readers
    included; keyed with the survey key, every process still finds the same lock, and the
    key in Redis does not give a Telegram id away, even while it lives."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._plain = redis_key_builder()

    def build(self, key: StorageKey, part: Literal["data", "state", "lock"] | None = None) -> str:
        digest = hmac.new(self._secret, self._plain.build(key, part).encode(), "sha256")
        return f"{REDIS_KEY_PREFIX}:lock:{digest.hexdigest()[:32]}"


def create_fsm_backend(
    *, redis_url: str | None, db: Database, lock_secret: bytes | None = None
) -> tuple[BaseStorage, BaseEventIsolation]:
    """(storage, events_isolation) for ``Dispatcher(storage=..., events_isolation=...)``.

    With Redis the isolation is a Redis lock, which also holds across several bot processes;
    without, an in-process lock: enough on SQLite (one process owns the file), and on
    PostgreSQL each update's unit of work also takes an advisory lock on its conversation
    (bot/middlewares.py), which holds across processes.
    """
    if redis_url:
        # Only deployments with Redis pay for importing it.
        from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

        storage = RedisStorage.from_url(redis_url, key_builder=redis_key_builder())
        if lock_secret is None:
            return storage, storage.create_isolation()
        return storage, RedisEventIsolation(
            storage.redis, key_builder=PseudonymousLockKeys(lock_secret)
        )
    return DatabaseStorage(db), SimpleEventIsolation()
