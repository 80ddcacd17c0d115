"""Readers: who counts as one, and where their conversation state lives.

A reader is someone Telegram shows us who is not a member of any library and not a bot
admin: usually a person who came through a survey link. Readers get no ``users`` row;
their id and name exist only in memory while their update is handled. Their FSM state
(typing an "Other…" text, a chosen language, the question last shown) is stored under
their pseudonym, the same keyed hash the survey tables use, with chat and user ids zeroed:
the bot never needs a reader's id later, because it only ever answers the update in hand
(whose chat it knows).
A reader becomes an ordinary user when they become staff: create a library (the wizard)
or accept an invitation.
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage, StorageKey

READER_DESTINY = "survey_reader"
LANGUAGE_KEY = "lang"
"""The reader's chosen language in their FSM data; kept when a conversation step ends."""
ASKING_KEY = "asking"
"""``[survey id, question id]`` of the question last shown to the reader (``""``: the review),
so that a button of an older question shows this one again; kept when a step ends."""
KEPT_KEYS = frozenset({LANGUAGE_KEY, ASKING_KEY})


def reader_key(key: StorageKey, pseudonym: str) -> StorageKey:
    """``key`` with the Telegram ids replaced by the reader's pseudonym."""
    return StorageKey(
        bot_id=key.bot_id, chat_id=0, user_id=0, destiny=f"{READER_DESTINY}:{pseudonym}"
    )


def reader_context(storage: BaseStorage, key: StorageKey, pseudonym: str) -> FSMContext:
    return FSMContext(storage=storage, key=reader_key(key, pseudonym))


async def end_reader_step(reader: FSMContext) -> None:
    """Leave the reader's current step; their chosen language and place stay."""
    data = await reader.get_data()
    await reader.set_state(None)
    await reader.set_data({k: v for k, v in data.items() if k in KEPT_KEYS})
