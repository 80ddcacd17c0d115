"""SQL for users, libraries, memberships, strategies and answers. No aiogram here."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from bot.db.engine import Database, RowLike
from bot.db.plan_repository import PlanRepository
from bot.db.reads import fetch_all, fetch_many, fetch_one
from bot.db.stats import Stats
from bot.db.surveys import SurveyRepository
from bot.db.units import Unit, current_unit

ROLE_STAFF = "staff"
ROLE_READER = "reader"
"""Never stored: readers have no ``users`` row (see :mod:`bot.readers`)."""


@dataclass(frozen=True, slots=True)
class User:
    id: int
    language: str | None
    role: str
    first_name: str
    blocked_bot: bool
    # The library commands act on, for members of several; checked against memberships on use.
    current_library_id: int | None = None
    notifications: bool = True

    @property
    def is_reader(self) -> bool:
        """Not stored: known only for the update in hand."""
        return self.role == ROLE_READER

    @classmethod
    def reader(cls, user_id: int, first_name: str, language: str | None) -> User:
        return cls(user_id, language, ROLE_READER, first_name, blocked_bot=False)


@dataclass(frozen=True, slots=True)
class Library:
    id: int
    name: str
    settlement: str
    region: str
    country: str
    timezone: str
    is_state: bool
    owner_id: int


@dataclass(frozen=True, slots=True)
class Strategy:
    id: int
    library_id: int
    title: str
    status: str
    created_by: int
    created_at: str
    updated_at: str
    completed_at: str | None
    calendar_weeks: int | None = None
    """The calendar length picked in /export; None means the strategy's horizon."""

    @property
    def is_complete(self) -> bool:
        return self.status == "complete"


class Users:
    def __init__(self, db: Database) -> None:
        self._db = db

    _GET = """SELECT id, language, role, first_name, blocked_bot, current_library_id,
                     notifications FROM users WHERE id = ?"""

    def prefetch(self, unit: Unit, user_id: int) -> None:
        """Read the user's row with the unit's BEGIN (no round trip of its own); the next
        :meth:`get` of this user in the unit takes it from there."""
        unit.cache["user-prelude", user_id] = unit.prelude(self._GET, (user_id,))

    async def get(self, user_id: int) -> User | None:
        unit = current_unit(self._db)
        index = None if unit is None else unit.cache.pop(("user-prelude", user_id), None)
        if unit is not None and index is not None and unit.prelude_rows is not None:
            # Read at the unit's start, and taken once: a later write makes it old.
            row = next(iter(unit.prelude_rows[index]), None)
        else:
            row = await fetch_one(self._db, self._GET, (user_id,))
        if row is None:
            return None
        return User(row[0], row[1], row[2], row[3], bool(row[4]), row[5], bool(row[6]))

    async def upsert(self, user_id: int, first_name: str, language: str | None) -> User:
        """Store staff or an admin (never a reader); refresh the name, clear ``blocked_bot``."""
        await self._db.execute(
            """
            INSERT INTO users (id, first_name, language, role) VALUES (?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET first_name = excluded.first_name, blocked_bot = 0,
                role = excluded.role, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            """,
            (user_id, first_name[:200], language, ROLE_STAFF),
        )
        await self._db.commit()
        user = await self.get(user_id)
        assert user is not None
        return user

    async def become_staff(self, user: User) -> User:
        """A reader (not stored) becomes an ordinary user: their row is created now."""
        if not user.is_reader:
            return user
        return await self.upsert(user.id, user.first_name, user.language)

    async def forget_unless_staff(self, user_id: int) -> None:
        """Drop the row of someone who is no longer, or never became, staff.

        Rows that others point at (a library owned, a strategy or survey created, an
        invitation) stay: they are part of a library's history.
        """
        await self._db.execute(
            """DELETE FROM users WHERE id = ?
                 AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = users.id)
                 AND NOT EXISTS (SELECT 1 FROM libraries WHERE owner_id = users.id)
                 AND NOT EXISTS (SELECT 1 FROM strategies WHERE created_by = users.id)
                 AND NOT EXISTS (SELECT 1 FROM surveys WHERE created_by = users.id)
                 AND NOT EXISTS (SELECT 1 FROM invites
                                 WHERE created_by = users.id OR used_by = users.id)""",
            (user_id,),
        )
        await self._db.commit()

    async def set_language(self, user_id: int, language: str) -> None:
        await self._db.execute("UPDATE users SET language = ? WHERE id = ?", (language, user_id))
        await self._db.commit()

    async def set_notifications(self, user_id: int, enabled: bool) -> None:
        await self._db.execute(
            "UPDATE users SET notifications = ? WHERE id = ?", (int(enabled), user_id)
        )
        await self._db.commit()

    async def mark_blocked(self, user_id: int) -> None:
        await self._db.execute("UPDATE users SET blocked_bot = 1 WHERE id = ?", (user_id,))
        await self._db.commit()


_LIBRARY_COLUMNS = "id, name, settlement, region, country, timezone, is_state, owner_id"


def _library(row: RowLike) -> Library:
    return Library(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7])


class Libraries:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, owner_id: int, name: str = "") -> Library:
        # The owner's membership comes with the row (trigger in migration 0005).
        row = await fetch_one(
            self._db,
            f"INSERT INTO libraries (owner_id, name) VALUES (?, ?) RETURNING {_LIBRARY_COLUMNS}",
            (owner_id, name),
        )
        await self._db.commit()
        assert row is not None
        return _library(row)

    async def get(self, library_id: int) -> Library | None:
        row = await fetch_one(
            self._db, f"SELECT {_LIBRARY_COLUMNS} FROM libraries WHERE id = ?", (library_id,)
        )
        return None if row is None else _library(row)

    async def of_user(self, user_id: int) -> list[Library]:
        return [
            _library(row)
            for row in await fetch_all(
                self._db,
                f"""SELECT {", ".join("l." + c for c in _LIBRARY_COLUMNS.split(", "))}
                FROM libraries l JOIN memberships m ON m.library_id = l.id
                WHERE m.user_id = ? ORDER BY l.id""",
                (user_id,),
            )
        ]

    async def current(self, user_id: int) -> Library | None:
        """The library the user's commands act on.

        The one they chose, while they are still its member; otherwise their only library.
        None for members of several who have not chosen (they are asked) and for non-members.
        """
        libraries = await self.of_user(user_id)
        if len(libraries) == 1:
            return libraries[0]
        row = await fetch_one(
            self._db, "SELECT current_library_id FROM users WHERE id = ?", (user_id,)
        )
        chosen = row[0] if row is not None else None
        return next((library for library in libraries if library.id == chosen), None)

    async def choose(self, user_id: int, library_id: int) -> bool:
        """Remember the library the user works in; False unless they are its member."""
        cursor = await self._db.execute(
            """UPDATE users SET current_library_id = ? WHERE id = ? AND EXISTS (
                   SELECT 1 FROM memberships WHERE library_id = ? AND user_id = ?)""",
            (library_id, user_id, library_id, user_id),
        )
        await self._db.commit()
        return cursor.rowcount == 1

    async def hand_over(self, library_id: int, owner_id: int, new_owner_id: int) -> bool:
        """Make an editor the owner, the owner an editor (one statement; trigger in 0009)."""
        cursor = await self._db.execute(
            """UPDATE libraries SET owner_id = ?
               WHERE id = ? AND owner_id = ? AND EXISTS (
                   SELECT 1 FROM memberships
                   WHERE library_id = ? AND user_id = ? AND role = 'editor')""",
            (new_owner_id, library_id, owner_id, library_id, new_owner_id),
        )
        await self._db.commit()
        return cursor.rowcount == 1

    async def delete(self, library_id: int) -> None:
        """The library with everything in it: team, invites, strategies, surveys, answers."""
        await self._db.execute("DELETE FROM libraries WHERE id = ?", (library_id,))
        await self._db.commit()

    async def all(self) -> list[Library]:
        return [
            _library(row)
            for row in await fetch_all(
                self._db, f"SELECT {_LIBRARY_COLUMNS} FROM libraries ORDER BY id"
            )
        ]

    async def update_profile(
        self,
        library_id: int,
        *,
        name: str,
        settlement: str,
        region: str,
        country: str,
        timezone: str,
        is_state: bool,
    ) -> None:
        await self._db.execute(
            """UPDATE libraries SET name = ?, settlement = ?, region = ?, country = ?,
                   timezone = ?, is_state = ? WHERE id = ?""",
            (name, settlement, region, country, timezone, int(is_state), library_id),
        )
        await self._db.commit()

    async def fill_profile(
        self,
        library_id: int,
        *,
        name: str,
        settlement: str,
        region: str,
        country: str,
        timezone: str,
        is_state: bool,
    ) -> None:
        """Like :meth:`update_profile`, but an empty name, settlement, country or time zone
        keeps the stored one (one statement: no read first). Inside a unit of work it is sent
        with the COMMIT (the wizard, which calls it after a library answer, reads the answers,
        not this row, for the rest of the update)."""
        statement = (
            """UPDATE libraries SET name = coalesce(nullif(?, ''), name),
                   settlement = coalesce(nullif(?, ''), settlement), region = ?,
                   country = coalesce(nullif(?, ''), country),
                   timezone = coalesce(nullif(?, ''), timezone), is_state = ?
               WHERE id = ?""",
            (name, settlement, region, country, timezone, int(is_state), library_id),
        )
        unit = current_unit(self._db)
        if unit is None:
            await self._db.execute(*statement)
            await self._db.commit()
            return
        unit.deferred.pop(("library-profile", library_id), None)
        unit.defer(("library-profile", library_id), *statement)

    async def member_role(self, library_id: int, user_id: int) -> str | None:
        row = await fetch_one(
            self._db,
            "SELECT role FROM memberships WHERE library_id = ? AND user_id = ?",
            (library_id, user_id),
        )
        return None if row is None else str(row[0])

    async def add_member(self, library_id: int, user_id: int, role: str = "editor") -> None:
        await self._db.execute(
            """INSERT INTO memberships (library_id, user_id, role) VALUES (?, ?, ?)
               ON CONFLICT(library_id, user_id) DO NOTHING""",
            (library_id, user_id, role),
        )
        await self._db.commit()

    async def remove_member(self, library_id: int, user_id: int) -> bool:
        """A colleague leaves the team (the owner stays: the library is theirs)."""
        cursor = await self._db.execute(
            """DELETE FROM memberships
               WHERE library_id = ? AND user_id = ? AND role <> 'owner'""",
            (library_id, user_id),
        )
        await self._db.commit()
        return cursor.rowcount == 1

    async def members(self, library_id: int) -> list[tuple[int, str]]:
        return [
            (int(row[0]), str(row[1]))
            for row in await fetch_all(
                self._db,
                "SELECT user_id, role FROM memberships WHERE library_id = ? ORDER BY created_at",
                (library_id,),
            )
        ]


_STRATEGY_COLUMNS = (
    "id, library_id, title, status, created_by, created_at, updated_at, completed_at,"
    " calendar_weeks"
)


def _strategy(row: RowLike) -> Strategy:
    return Strategy(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8])


class Strategies:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, library_id: int, created_by: int, title: str = "") -> Strategy:
        row = await fetch_one(
            self._db,
            "INSERT INTO strategies (library_id, created_by, title) VALUES (?, ?, ?) RETURNING id",
            (library_id, created_by, title),
        )
        await self._db.commit()
        assert row is not None
        strategy = await self.get(int(row[0]))
        assert strategy is not None
        return strategy

    async def get(self, strategy_id: int) -> Strategy | None:
        row = await fetch_one(
            self._db, f"SELECT {_STRATEGY_COLUMNS} FROM strategies WHERE id = ?", (strategy_id,)
        )
        return None if row is None else _strategy(row)

    async def get_for_user(self, strategy_id: int, user_id: int) -> Strategy | None:
        """The strategy, if ``user_id`` is a member of its library; otherwise None.

        Inside a unit of work its answers come in the same round trip (the wizard reads
        them next, every time) and are kept on the unit for :class:`StrategyAnswers`.
        """
        sql = f"""SELECT {", ".join("s." + c for c in _STRATEGY_COLUMNS.split(", "))}
                FROM strategies s JOIN memberships m ON m.library_id = s.library_id
                WHERE s.id = ? AND m.user_id = ?"""
        unit = current_unit(self._db)
        if unit is None or ("answers", strategy_id) in unit.cache:
            row = await fetch_one(self._db, sql, (strategy_id, user_id))
            return None if row is None else _strategy(row)
        found, answers = await fetch_many(
            self._db,
            [
                (sql, (strategy_id, user_id)),
                ("SELECT question_id, value FROM answers WHERE strategy_id = ?", (strategy_id,)),
            ],
        )
        if not found:
            return None
        unit.cache["answers", strategy_id] = {row[0]: json.loads(row[1]) for row in answers}
        return _strategy(found[0])

    async def of_user(self, user_id: int) -> list[Strategy]:
        return [
            _strategy(row)
            for row in await fetch_all(
                self._db,
                f"""SELECT {", ".join("s." + c for c in _STRATEGY_COLUMNS.split(", "))}
                FROM strategies s JOIN memberships m ON m.library_id = s.library_id
                WHERE m.user_id = ? ORDER BY s.updated_at DESC, s.id DESC""",
                (user_id,),
            )
        ]

    async def of_library(self, library_id: int) -> list[Strategy]:
        return [
            _strategy(row)
            for row in await fetch_all(
                self._db,
                f"SELECT {_STRATEGY_COLUMNS} FROM strategies WHERE library_id = ? ORDER BY id",
                (library_id,),
            )
        ]

    async def set_title(self, strategy_id: int, title: str) -> None:
        await self._db.execute(
            "UPDATE strategies SET title = ? WHERE id = ?", (title, strategy_id)
        )
        await self._db.commit()

    async def set_calendar_weeks(self, strategy_id: int, weeks: int) -> None:
        await self._db.execute(
            "UPDATE strategies SET calendar_weeks = ? WHERE id = ?", (weeks, strategy_id)
        )
        await self._db.commit()

    async def mark_complete(self, strategy_id: int) -> bool:
        """Mark complete; True only for the call that changed it (double taps send once)."""
        cursor = await self._db.execute(
            """UPDATE strategies SET status = 'complete',
                   completed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                   updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
               WHERE id = ? AND status = 'draft'""",
            (strategy_id,),
        )
        await self._db.commit()
        return cursor.rowcount == 1

    async def reopen(self, strategy_id: int) -> None:
        await self._db.execute(
            "UPDATE strategies SET status = 'draft' WHERE id = ?", (strategy_id,)
        )
        await self._db.commit()

    async def duplicate(self, strategy_id: int, created_by: int, title: str) -> Strategy:
        source = await self.get(strategy_id)
        if source is None:
            raise LookupError(strategy_id)
        copy = await self.create(source.library_id, created_by, title)
        await self._db.execute(
            """INSERT INTO answers (strategy_id, question_id, value)
               SELECT ?, question_id, value FROM answers WHERE strategy_id = ?""",
            (copy.id, strategy_id),
        )
        await self._db.commit()
        unit = current_unit(self._db)
        if unit is not None:
            unit.cache.pop(("answers", copy.id), None)
        return copy

    async def delete(self, strategy_id: int) -> None:
        await self._db.execute("DELETE FROM strategies WHERE id = ?", (strategy_id,))
        await self._db.commit()


class StrategyAnswers:
    """Answers, one row per question.

    Inside a unit of work the first ``all`` of a strategy is kept on the unit and this class
    keeps it in step with its own writes, so the wizard reads the answers once per update.
    (Every statement on the ``answers`` table lives in this module.)
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def _cached(self, strategy_id: int) -> dict[str, Any] | None:
        unit = current_unit(self._db)
        if unit is None:
            return None
        cached: dict[str, Any] | None = unit.cache.get(("answers", strategy_id))
        return cached

    async def save(self, strategy_id: int, question_id: str, value: Any) -> None:
        """Write one answer; the strategy's ``updated_at`` moves with it (a trigger).

        Inside a unit that has read the strategy's answers, the write is sent with the
        unit's COMMIT (no round trip of its own): everything the update reads afterwards
        comes from the unit's copy, which changes now.
        """
        text = json.dumps(value, ensure_ascii=False)
        statement = (
            """INSERT INTO answers (strategy_id, question_id, value) VALUES (?, ?, ?)
               ON CONFLICT(strategy_id, question_id) DO UPDATE SET value = excluded.value,
                   updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')""",
            (strategy_id, question_id, text),
        )
        cached = self._cached(strategy_id)
        if cached is None:
            await self._db.execute(*statement)
            await self._db.commit()
            return
        cached[question_id] = json.loads(text)
        self._defer(("answer", strategy_id, question_id), statement)

    async def delete(self, strategy_id: int, question_id: str) -> None:
        statement = (
            "DELETE FROM answers WHERE strategy_id = ? AND question_id = ?",
            (strategy_id, question_id),
        )
        cached = self._cached(strategy_id)
        if cached is None:
            await self._db.execute(*statement)
            await self._db.commit()
            return
        if question_id in cached:
            cached.pop(question_id)
            self._defer(("answer", strategy_id, question_id), statement)

    def _defer(self, key: tuple[Any, ...], statement: tuple[str, tuple[Any, ...]]) -> None:
        unit = current_unit(self._db)
        assert unit is not None  # the cache lives on it
        # A later write of the same answer replaces the earlier one: last one wins.
        unit.deferred.pop(key, None)
        unit.defer(key, *statement)

    async def all(self, strategy_id: int) -> dict[str, Any]:
        cached = self._cached(strategy_id)
        if cached is None:
            cached = {
                row[0]: json.loads(row[1])
                for row in await fetch_all(
                    self._db,
                    "SELECT question_id, value FROM answers WHERE strategy_id = ?",
                    (strategy_id,),
                )
            }
            unit = current_unit(self._db)
            if unit is not None:
                unit.cache["answers", strategy_id] = cached
        # A copy through JSON: callers may change what they get.
        answers: dict[str, Any] = json.loads(json.dumps(cached, ensure_ascii=False))
        return answers


@dataclass(frozen=True, slots=True)
class Repositories:
    """Every repository around one connection; handlers receive this as ``repo``."""

    db: Database

    @property
    def users(self) -> Users:
        return Users(self.db)

    @property
    def libraries(self) -> Libraries:
        return Libraries(self.db)

    @property
    def strategies(self) -> Strategies:
        return Strategies(self.db)

    @property
    def answers(self) -> StrategyAnswers:
        return StrategyAnswers(self.db)

    @property
    def invites(self) -> Invites:
        return Invites(self.db)

    @property
    def surveys(self) -> SurveyRepository:
        return SurveyRepository(self.db)

    @property
    def stats(self) -> Stats:
        return Stats(self.db)

    @property
    def plans(self) -> PlanRepository:
        return PlanRepository(self.db)


class Invites:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, library_id: int, created_by: int) -> str:
        token = secrets.token_urlsafe(16)
        await self._db.execute(
            "INSERT INTO invites (token, library_id, created_by) VALUES (?, ?, ?)",
            (token, library_id, created_by),
        )
        await self._db.commit()
        return token

    async def library_of(self, token: str) -> int | None:
        """The library an unused invite leads to, without using it up."""
        row = await fetch_one(
            self._db,
            "SELECT library_id FROM invites WHERE token = ? AND used_by IS NULL",
            (token,),
        )
        return None if row is None else int(row[0])

    async def redeem(self, token: str, user_id: int) -> int | None:
        """The library the invite leads to, once; None if unknown or already used."""
        row = await fetch_one(
            self._db,
            """UPDATE invites SET used_by = ?, used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
               WHERE token = ? AND used_by IS NULL RETURNING library_id""",
            (user_id, token),
        )
        await self._db.commit()
        return None if row is None else int(row[0])
