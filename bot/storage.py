"""aiogram FSM storage on the bot's own database (SQLite or PostgreSQL, the same ``fsm`` table).

One row per :class:`StorageKey`, keyed by :class:`DefaultKeyBuilder` with every part of the
key (bot, chat, user, thread, business connection, destiny), data as JSON. A restart of the
process loses no state and no place in a conversation.

Inside a unit of work (bot/db/units.py) the row is read once per update and written once,
with the update's COMMIT: the state filter, the handler's ``get_data`` and ``update_data``
all share what was read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey

from bot.db.engine import Database
from bot.db.reads import fetch_all, fetch_one
from bot.db.units import Unit, current_unit


class DatabaseStorage(BaseStorage):
    """FSM rows in the ``fsm`` table of whichever engine ``db`` is (bot/db/engine.py)."""

    def __init__(self, db: Database, *, owns_connection: bool = False) -> None:
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
        row = await self._row(key)
        row[0] = value
        await self._write(self._key(key), row)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._row(key))[0]  # type: ignore[no-any-return]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, Mapping):
            msg = f"Data must be a dict or dict-like object, got {type(data).__name__}"
            raise DataNotDictLikeError(msg)
        row = await self._row(key)
        # A copy through JSON: what the caller mutates later is not what gets stored.
        row[1] = json.loads(json.dumps(dict(data), ensure_ascii=False))
        await self._write(self._key(key), row)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(json.dumps((await self._row(key))[1]))
        return data

    def _range(self, key: StorageKey) -> tuple[str, tuple[str, ...]]:
        """The read that loads ``key``: every destiny of its chat and user at once (the
        reader survey and the survey editor keep their own, filters ask for several); a
        reader's key (chat and user 0, one per pseudonym) alone."""
        full = self._key(key)
        if key.chat_id == 0 and key.user_id == 0:
            return "SELECT key, state, data FROM fsm WHERE key = ?", (full,)
        base = full.removesuffix(f":{key.destiny}")
        # Every key "<base>:<destiny>" sorts between "<base>:" and "<base>;".
        return "SELECT key, state, data FROM fsm WHERE key > ? AND key < ?", (
            base + ":",
            base + ";",
        )

    def prefetch(self, unit: Unit, key: StorageKey) -> None:
        """Read ``key``'s rows with the unit's BEGIN, in its first round trip."""
        sql, parameters = self._range(key)
        if ("fsm-read", parameters) not in unit.cache:
            unit.cache["fsm-read", parameters] = unit.prelude(sql, parameters)

    async def _row(self, key: StorageKey) -> list[Any]:
        """[state, data] of ``key``; inside a unit of work read once and kept on the unit."""
        full = self._key(key)
        unit = current_unit(self._db)
        if unit is None:
            found = await fetch_one(self._db, "SELECT state, data FROM fsm WHERE key = ?", (full,))
            return [None, {}] if found is None else [found[0], json.loads(found[1])]
        if ("fsm", full) not in unit.cache:
            sql, parameters = self._range(key)
            read = unit.cache.get(("fsm-read", parameters))
            if read is True:
                unit.cache["fsm", full] = [None, {}]  # read already: there is no row
            else:
                if isinstance(read, int):
                    if unit.prelude_rows is None:
                        await fetch_one(self._db, "SELECT 1")  # begins: the preludes run
                    assert unit.prelude_rows is not None
                    rows = unit.prelude_rows[read]
                else:
                    rows = await fetch_all(self._db, sql, parameters)
                unit.cache["fsm-read", parameters] = True
                for found in rows:
                    unit.cache["fsm", found[0]] = [found[1], json.loads(found[2])]
                unit.cache.setdefault(("fsm", full), [None, {}])
        row: list[Any] = unit.cache["fsm", full]
        return row

    async def _write(self, key: str, row: list[Any]) -> None:
        state, data = row
        if state is None and not data:
            # A cleared key (no state, no data) leaves no row behind, as Redis deletes the key.
            statement: tuple[str, tuple[Any, ...]] = ("DELETE FROM fsm WHERE key = ?", (key,))
        else:
            statement = (
                """INSERT INTO fsm (key, state, data) VALUES (?, ?, ?)
                   ON CONFLICT(key) DO UPDATE SET state = excluded.state, data = excluded.data,
                       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')""",
                (key, state, json.dumps(data, ensure_ascii=False)),
            )
        unit = current_unit(self._db)
        if unit is None:
            await self._db.execute(*statement)
            await self._db.commit()
        else:
            # Written once, with the unit's COMMIT, whatever the update changed in between.
            unit.defer(("fsm", key), *statement)

    async def close(self) -> None:
        if self._owns_connection:
            await self._db.close()
