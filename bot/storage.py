"""aiogram FSM storage on the bot's SQLite database.

One row per :class:`StorageKey`, keyed by :class:`DefaultKeyBuilder` with every part of the
key (bot, chat, user, thread, business connection, destiny), data as JSON. A restart of the
process loses no state and no place in a conversation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import aiosqlite
from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey

from bot.db.reads import fetch_one


class SQLiteStorage(BaseStorage):
    def __init__(self, db: aiosqlite.Connection, *, owns_connection: bool = False) -> None:
        self._db = db
        # The Dispatcher closes its storage on shutdown before later hooks run; a shared
        # connection is closed by whoever opened it.
        self._owns_connection = owns_connection
        self._keys = DefaultKeyBuilder(
            with_bot_id=True, with_business_connection_id=True, with_destiny=True
        )

    def _key(self, key: StorageKey) -> str:
        return self._keys.build(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._db.execute(
            """INSERT INTO fsm (key, state) VALUES (?, ?)
               ON CONFLICT(key) DO UPDATE SET state = excluded.state,
                   updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')""",
            (self._key(key), value),
        )
        await self._forget_if_empty(key)
        await self._db.commit()

    async def get_state(self, key: StorageKey) -> str | None:
        row = await fetch_one(self._db, "SELECT state FROM fsm WHERE key = ?", (self._key(key),))
        return None if row is None else row[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, Mapping):
            msg = f"Data must be a dict or dict-like object, got {type(data).__name__}"
            raise DataNotDictLikeError(msg)
        await self._db.execute(
            """INSERT INTO fsm (key, data) VALUES (?, ?)
               ON CONFLICT(key) DO UPDATE SET data = excluded.data,
                   updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')""",
            (self._key(key), json.dumps(dict(data), ensure_ascii=False)),
        )
        await self._forget_if_empty(key)
        await self._db.commit()

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await fetch_one(self._db, "SELECT data FROM fsm WHERE key = ?", (self._key(key),))
        if row is None:
            return {}
        data: dict[str, Any] = json.loads(row[0])
        return data

    async def close(self) -> None:
        if self._owns_connection:
            await self._db.close()

    async def _forget_if_empty(self, key: StorageKey) -> None:
        # A cleared key (no state, no data) leaves no row behind, as Redis deletes the key.
        await self._db.execute(
            "DELETE FROM fsm WHERE key = ? AND state IS NULL AND data = '{}'",
            (self._key(key),),
        )
