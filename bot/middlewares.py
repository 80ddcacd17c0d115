"""Per-update context: the user (stored only if staff or admin), the reader's state, the locale."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.types import TelegramObject, Update
from aiogram.types import User as TelegramUser
from aiogram.utils.i18n import I18nMiddleware

from bot.db.reads import fetch_one
from bot.db.repositories import Repositories, User
from bot.db.units import Unit, current_unit, unit_of_work
from bot.i18n import SUPPORTED_LOCALES, Translator, pick_locale
from bot.readers import LANGUAGE_KEY, reader_context, reader_key

logger = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UnitOfWorkMiddleware(BaseMiddleware):
    """One transaction per update (bot/db/units.py): committed after the handler returns,
    rolled back if it raises (the error handler then tells the user; nothing half-written
    stays). Register on ``dispatcher.update`` before every middleware that reads the
    database.

    With ``remember_updates`` the update's id is stored in the same transaction (sent with
    its BEGIN, no extra round trip), and :class:`ReplayedUpdateFilter` drops an update whose
    id is already there: Telegram's second delivery of an update that committed changes
    nothing. The console and tests number updates themselves, so they leave it off.
    """

    def __init__(
        self, *, remember_updates: bool = False, fsm: FSMContextMiddleware | None = None
    ) -> None:
        self._remember = remember_updates
        self._fsm = fsm

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        repo: Repositories = data["repo"]
        async with unit_of_work(repo.db, update_label(event)) as unit:
            if getattr(repo.db, "dialect", "sqlite") == "postgresql":
                # Bot processes on other machines may hold an update of the same chat and
                # user: theirs commits before this one reads (sent with BEGIN, no extra trip).
                key = _conversation_key(data)
                if key is not None:
                    unit.prelude("SELECT pg_advisory_xact_lock(?)", (key,))
            if self._remember and isinstance(event, Update):
                bot = data["bot"]
                data["update_seen_at"] = unit.prelude(
                    """INSERT INTO processed_updates (bot_id, update_id) VALUES (?, ?)
                       ON CONFLICT (bot_id, update_id) DO NOTHING RETURNING update_id""",
                    (bot.id, event.update_id),
                )
            if not unit.begun:
                self._prefetch(unit, repo, data)
            return await handler(event, data)

    def _prefetch(self, unit: Unit, repo: Repositories, data: dict[str, Any]) -> None:
        """What every update reads first (its FSM rows, the user's row) goes with BEGIN,
        in the unit's first round trip; both keys are known from the update alone."""
        tg_user: TelegramUser | None = data.get("event_from_user")
        if tg_user is not None and not tg_user.is_bot:
            repo.users.prefetch(unit, tg_user.id)
        storage = self._fsm.storage if self._fsm is not None else None
        prefetch = getattr(storage, "prefetch", None)
        if prefetch is not None and self._fsm is not None:
            context = self._fsm.resolve_event_context(data["bot"], data)
            if context is not None:
                prefetch(unit, context.key)
                # The reader's own state (under their pseudonym): every message meets the
                # reader-state filters.
                surveys = data.get("surveys")
                pseudonym = surveys.loaded_reader_hash(tg_user.id) if surveys and tg_user else None
                if pseudonym is not None:
                    prefetch(unit, reader_key(context.key, pseudonym))


class ReplayedUpdateFilter(BaseMiddleware):
    """Inner ``update`` middleware: an update handled (and committed) before is not handled
    again. Works with :class:`UnitOfWorkMiddleware` (``remember_updates=True``)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        index: int | None = data.get("update_seen_at")
        repo: Repositories = data["repo"]
        unit = current_unit(repo.db)
        if index is None or unit is None:
            return await handler(event, data)
        if unit.prelude_rows is None:
            # Nothing has touched the database yet (FSM on Redis): begin now, with the id.
            await fetch_one(repo.db, "SELECT 1")
        assert unit.prelude_rows is not None
        if not unit.prelude_rows[index]:
            logger.info(
                "update already handled",
                extra={"update_id": getattr(event, "update_id", None)},
            )
            return None
        return await handler(event, data)


def _conversation_key(data: dict[str, Any]) -> int | None:
    """A signed 64-bit lock id for the update's chat and user (the FSM's own key)."""
    user: TelegramUser | None = data.get("event_from_user")
    if user is None:
        return None
    chat = data.get("event_chat")
    digest = hashlib.blake2b(
        f"{chat.id if chat is not None else user.id}:{user.id}".encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


def update_label(event: TelegramObject) -> str:
    """What kind of update this is, for the round-trip counters: command, text, press…"""
    if isinstance(event, Update):
        if event.message is not None:
            text = event.message.text or ""
            return "command" if text.startswith("/") else "text"
        if event.callback_query is not None:
            return "press"
        return event.event_type
    return type(event).__name__


class UserMiddleware(BaseMiddleware):
    """Puts the user in ``data["user"]`` and their reader state in ``data["reader_state"]``.

    Staff and admins are loaded (admins created on first contact). Everyone else is a
    reader: a :meth:`User.reader` built from the update and never written anywhere, so a
    reader's id and name leave no trace (see :mod:`bot.readers`).
    """

    def __init__(self, default_locale: str) -> None:
        self._default_locale = default_locale

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        tg_user: TelegramUser | None = data.get("event_from_user")
        if tg_user is None or tg_user.is_bot:
            return await handler(event, data)
        repo: Repositories = data["repo"]
        user = await repo.users.get(tg_user.id)
        language = pick_locale(tg_user.language_code, self._default_locale)
        if user is None and tg_user.id in data.get("admin_ids", frozenset()):
            user = await repo.users.upsert(tg_user.id, tg_user.first_name, language)
        elif user is not None and (user.blocked_bot or user.first_name != tg_user.first_name):
            # The language is taken from Telegram only on first contact; /language changes it.
            user = await repo.users.upsert(tg_user.id, tg_user.first_name, user.language)
        state: FSMContext | None = data.get("state")
        reader_state = None
        if state is not None and "surveys" in data:
            pseudonym = await data["surveys"].reader_hash(tg_user.id)
            reader_state = reader_context(state.storage, state.key, pseudonym)
        data["reader_state"] = reader_state
        if user is None:
            chosen = (await reader_state.get_data()).get(LANGUAGE_KEY) if reader_state else None
            if chosen in SUPPORTED_LOCALES:
                language = chosen
            user = User.reader(tg_user.id, tg_user.first_name, language)
        data["user"] = user
        return await handler(event, data)


class UserLocaleMiddleware(I18nMiddleware):
    """The user's stored language (see #1590: never FSM data), with ``t`` for handlers."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        user = data.get("user")
        if user is not None and user.language:
            return str(user.language)
        tg_user: TelegramUser | None = data.get("event_from_user")
        return pick_locale(tg_user.language_code if tg_user else None, self.i18n.default_locale)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        locale = await self.get_locale(event, data)
        data["t"] = Translator(self.i18n, locale)
        return await super().__call__(handler, event, data)
