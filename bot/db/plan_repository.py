"""SQL of the plan: a library's plan, its posts, who wants reminders, the linked channel.

Each change that carries a rule is one conditional statement (a post is marked posted only
while it is planned, approved only while it has not gone out), so a double tap or a job
running meanwhile cannot break the rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.db.engine import Database, RowLike
from bot.db.reads import fetch_all, fetch_one

NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


@dataclass(frozen=True, slots=True)
class Plan:
    library_id: int
    strategy_id: int
    started_on: date
    ends_on: date
    week_weekday: int
    week_hour: int
    reviewed_on: date | None = None
    """The end of the period whose review owners were invited to."""


@dataclass(frozen=True, slots=True)
class PlanPost:
    id: int
    library_id: int
    strategy_id: int
    slot_key: str
    day: date
    time: str
    network: str
    rubric: str
    draft: str
    text: str | None
    photo: str | None
    status: str
    edited: bool
    snooze_until: str | None
    """UTC in the database's text form (bot's clock module reads it)."""
    reminded: str | None
    publish: str
    outbox_id: int | None
    message_id: int | None
    publish_error: str | None

    @property
    def is_open(self) -> bool:
        return self.status == "planned"


@dataclass(frozen=True, slots=True)
class NewPost:
    slot_key: str
    day: date
    time: str
    network: str
    rubric: str
    draft: str


@dataclass(frozen=True, slots=True)
class Metric:
    network: str
    month: str
    """'YYYY-MM': the month the numbers describe."""
    followers: int
    reach: int | None
    """A post's average reach that month, where the check-in gave it."""
    interactions: int | None = None
    """A post's average likes, comments and reposts that month (engagement)."""


@dataclass(frozen=True, slots=True)
class MonthNumbers:
    """The library's own numbers for a month, each None where the check-in skipped it."""

    month: str
    clicks: int | None
    """Visits from the strategy's tagged (UTM) links."""
    attendees: int | None
    """People at the month's events."""
    attendees_social: int | None
    """Of them, those who came through social networks."""


@dataclass(frozen=True, slots=True)
class Channel:
    library_id: int
    chat_id: int
    title: str
    username: str
    linked_by: int


_PLAN = "library_id, strategy_id, started_on, ends_on, week_weekday, week_hour, reviewed_on"
_POST = (
    "id, library_id, strategy_id, slot_key, day, time, network, rubric, draft, text, photo, "
    "status, edited, snooze_until, reminded, publish, outbox_id, message_id, publish_error"
)


EXPORTED: dict[str, tuple[str, str]] = {
    "plans": (
        "library_id, strategy_id, started_on, ends_on, week_weekday, week_hour, reviewed_on, "
        "updated_at",
        "library_id",
    ),
    "plan_posts": (f"{_POST}, done_at, created_at", "day, time, id"),
    # Who wants reminders: the people themselves (Telegram ids) stay out of an export.
    "plan_subscribers": ("library_id", "user_id"),
    "plan_channels": ("library_id, chat_id, title, username, linked_at", "library_id"),
    "plan_metrics": (
        "library_id, network, month, followers, reach, interactions, recorded_at",
        "month, network",
    ),
    "plan_month_numbers": (
        "library_id, month, clicks, attendees, attendees_social, recorded_at",
        "month",
    ),
}
"""Every plan table with the columns an export of one library carries, and their order.
Left out: ``plan_subscribers.user_id`` and ``plan_channels.linked_by`` (people's ids)."""
PERSON_COLUMNS = {"plan_subscribers": ("user_id",), "plan_channels": ("linked_by",)}


def _plan(row: RowLike) -> Plan:
    return Plan(
        int(row[0]),
        int(row[1]),
        date.fromisoformat(row[2]),
        date.fromisoformat(row[3]),
        int(row[4]),
        int(row[5]),
        None if row[6] is None else date.fromisoformat(row[6]),
    )


def _post(row: RowLike) -> PlanPost:
    return PlanPost(
        id=int(row[0]),
        library_id=int(row[1]),
        strategy_id=int(row[2]),
        slot_key=row[3],
        day=date.fromisoformat(row[4]),
        time=row[5],
        network=row[6],
        rubric=row[7],
        draft=row[8],
        text=row[9],
        photo=row[10],
        status=row[11],
        edited=bool(row[12]),
        snooze_until=row[13],
        reminded=row[14],
        publish=row[15],
        outbox_id=row[16],
        message_id=row[17],
        publish_error=row[18],
    )


class PlanRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- the plan ---------------------------------------------------------------------

    async def get(self, library_id: int) -> Plan | None:
        row = await fetch_one(
            self._db, f"SELECT {_PLAN} FROM plans WHERE library_id = ?", (library_id,)
        )
        return None if row is None else _plan(row)

    async def all(self) -> list[Plan]:
        return [
            _plan(row)
            for row in await fetch_all(self._db, f"SELECT {_PLAN} FROM plans ORDER BY library_id")
        ]

    async def save(
        self, library_id: int, strategy_id: int, started_on: date, ends_on: date
    ) -> Plan:
        """Create the plan or point it at ``strategy_id``; the weekly time stays as set."""
        row = await fetch_one(
            self._db,
            f"""INSERT INTO plans (library_id, strategy_id, started_on, ends_on)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (library_id) DO UPDATE SET strategy_id = excluded.strategy_id,
                    started_on = excluded.started_on, ends_on = excluded.ends_on,
                    updated_at = {NOW_SQL}
                RETURNING {_PLAN}""",
            (library_id, strategy_id, started_on.isoformat(), ends_on.isoformat()),
        )
        await self._db.commit()
        assert row is not None
        return _plan(row)

    async def mark_reviewed(self, library_id: int, ends_on: date) -> bool:
        """Once per period: True only for the call that recorded it."""
        return await self._change(
            """UPDATE plans SET reviewed_on = ?
               WHERE library_id = ? AND ends_on = ?
                 AND (reviewed_on IS NULL OR reviewed_on <> ?)""",
            (ends_on.isoformat(), library_id, ends_on.isoformat(), ends_on.isoformat()),
        )

    async def set_week_time(self, library_id: int, weekday: int, hour: int) -> None:
        await self._db.execute(
            "UPDATE plans SET week_weekday = ?, week_hour = ? WHERE library_id = ?",
            (weekday, hour, library_id),
        )
        await self._db.commit()

    # --- posts ------------------------------------------------------------------------

    async def add_posts(self, library_id: int, strategy_id: int, posts: Iterable[NewPost]) -> int:
        """Insert the posts whose slot the plan does not hold yet; return how many."""
        added = 0
        for post in posts:
            cursor = await self._db.execute(
                """INSERT INTO plan_posts
                       (library_id, strategy_id, slot_key, day, time, network, rubric, draft)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (library_id, slot_key) DO NOTHING""",
                (
                    library_id,
                    strategy_id,
                    post.slot_key,
                    post.day.isoformat(),
                    post.time,
                    post.network,
                    post.rubric,
                    post.draft,
                ),
            )
            added += cursor.rowcount
        await self._db.commit()
        return added

    async def drop_untouched(self, library_id: int, from_day: date) -> int:
        """Forget future posts nobody has touched (edited, done, approved): they are
        regenerated from the changed strategy."""
        cursor = await self._db.execute(
            """DELETE FROM plan_posts
               WHERE library_id = ? AND day >= ? AND status = 'planned' AND edited = 0
                 AND publish = 'off'""",
            (library_id, from_day.isoformat()),
        )
        await self._db.commit()
        return cursor.rowcount

    async def between(self, library_id: int, start: date, end: date) -> list[PlanPost]:
        return [
            _post(row)
            for row in await fetch_all(
                self._db,
                f"""SELECT {_POST} FROM plan_posts
                    WHERE library_id = ? AND day >= ? AND day <= ?
                    ORDER BY day, time, network, id""",
                (library_id, start.isoformat(), end.isoformat()),
            )
        ]

    async def open_between(self, start: date, end: date) -> list[PlanPost]:
        """Planned posts of every library in the window (for the reminder job)."""
        return [
            _post(row)
            for row in await fetch_all(
                self._db,
                f"""SELECT {_POST} FROM plan_posts
                    WHERE status = 'planned' AND day >= ? AND day <= ?
                    ORDER BY day, time, id""",
                (start.isoformat(), end.isoformat()),
            )
        ]

    async def post(self, post_id: int) -> PlanPost | None:
        row = await fetch_one(self._db, f"SELECT {_POST} FROM plan_posts WHERE id = ?", (post_id,))
        return None if row is None else _post(row)

    async def post_for_user(self, post_id: int, user_id: int) -> PlanPost | None:
        """The post, if ``user_id`` is on its library's team; otherwise None."""
        columns = ", ".join("p." + c for c in _POST.split(", "))
        row = await fetch_one(
            self._db,
            f"""SELECT {columns} FROM plan_posts p
                JOIN memberships m ON m.library_id = p.library_id
                WHERE p.id = ? AND m.user_id = ?""",
            (post_id, user_id),
        )
        return None if row is None else _post(row)

    async def _change(self, sql: str, parameters: Sequence[object]) -> bool:
        cursor = await self._db.execute(sql, parameters)
        await self._db.commit()
        return cursor.rowcount == 1

    async def set_text(self, post_id: int, text: str) -> bool:
        return await self._change(
            "UPDATE plan_posts SET text = ?, edited = 1 WHERE id = ? AND status = 'planned'",
            (text, post_id),
        )

    async def set_photo(self, post_id: int, file_id: str | None) -> bool:
        return await self._change(
            "UPDATE plan_posts SET photo = ?, edited = 1 WHERE id = ? AND status = 'planned'",
            (file_id, post_id),
        )

    async def move(self, post_id: int, day: date) -> bool:
        """Another day, same time; "Later" is forgotten, so the new day is reminded."""
        return await self._change(
            """UPDATE plan_posts SET day = ?, edited = 1, snooze_until = NULL
               WHERE id = ? AND status = 'planned'""",
            (day.isoformat(), post_id),
        )

    async def finish(self, post_id: int, status: str) -> bool:
        """Posted or skipped, once; a skipped post's approval for the channel goes too."""
        if status not in {"posted", "skipped"}:
            raise ValueError(status)
        return await self._change(
            f"""UPDATE plan_posts SET status = ?, done_at = {NOW_SQL},
                   publish = CASE WHEN publish = 'approved' THEN 'off' ELSE publish END
               WHERE id = ? AND status = 'planned' AND publish NOT IN ('queued')""",
            (status, post_id),
        )

    async def snooze(self, post_id: int, until: str) -> bool:
        """``until``: UTC in the database's text form."""
        return await self._change(
            "UPDATE plan_posts SET snooze_until = ? WHERE id = ? AND status = 'planned'",
            (until, post_id),
        )

    async def mark_reminded(self, post_id: int, identity: str) -> None:
        await self._db.execute(
            "UPDATE plan_posts SET reminded = ? WHERE id = ?", (identity, post_id)
        )
        await self._db.commit()

    # --- publishing to the channel ----------------------------------------------------

    async def approve(self, post_id: int) -> bool:
        return await self._change(
            """UPDATE plan_posts SET publish = 'approved', publish_error = NULL
               WHERE id = ? AND status = 'planned' AND network = 'telegram'
                 AND publish IN ('off', 'failed')""",
            (post_id,),
        )

    async def withdraw(self, post_id: int) -> bool:
        return await self._change(
            "UPDATE plan_posts SET publish = 'off' WHERE id = ? AND publish = 'approved'",
            (post_id,),
        )

    async def with_publish(self, state: str) -> list[PlanPost]:
        return [
            _post(row)
            for row in await fetch_all(
                self._db,
                f"SELECT {_POST} FROM plan_posts WHERE publish = ? ORDER BY day, time, id",
                (state,),
            )
        ]

    async def mark_queued(self, post_id: int, outbox_id: int) -> bool:
        return await self._change(
            """UPDATE plan_posts SET publish = 'queued', outbox_id = ?
               WHERE id = ? AND publish = 'approved' AND status = 'planned'""",
            (outbox_id, post_id),
        )

    async def unqueue(self, post_id: int) -> bool:
        """Back from the outbox before it went out (the outbox row was cancelled)."""
        return await self._change(
            """UPDATE plan_posts SET publish = 'off', outbox_id = NULL
               WHERE id = ? AND publish = 'queued'""",
            (post_id,),
        )

    async def mark_published(self, post_id: int, message_id: int | None) -> bool:
        return await self._change(
            f"""UPDATE plan_posts SET publish = 'published', message_id = ?, status = 'posted',
                   done_at = {NOW_SQL}
               WHERE id = ? AND publish = 'queued'""",
            (message_id, post_id),
        )

    async def mark_publish_failed(self, post_id: int, error: str, *, from_state: str) -> bool:
        return await self._change(
            """UPDATE plan_posts SET publish = 'failed', publish_error = ?
               WHERE id = ? AND publish = ?""",
            (error[:500], post_id, from_state),
        )

    # --- who is reminded --------------------------------------------------------------

    async def subscribe(self, library_id: int, user_id: int, on: bool = True) -> None:
        if on:
            await self._db.execute(
                """INSERT INTO plan_subscribers (library_id, user_id) VALUES (?, ?)
                   ON CONFLICT (library_id, user_id) DO NOTHING""",
                (library_id, user_id),
            )
        else:
            await self._db.execute(
                "DELETE FROM plan_subscribers WHERE library_id = ? AND user_id = ?",
                (library_id, user_id),
            )
        await self._db.commit()

    async def is_subscribed(self, library_id: int, user_id: int) -> bool:
        row = await fetch_one(
            self._db,
            "SELECT 1 FROM plan_subscribers WHERE library_id = ? AND user_id = ?",
            (library_id, user_id),
        )
        return row is not None

    async def subscribers(self, library_id: int) -> list[int]:
        """Who opted in, is still on the team, and has not blocked the bot."""
        return [
            int(row[0])
            for row in await fetch_all(
                self._db,
                """SELECT s.user_id FROM plan_subscribers s
                   JOIN memberships m ON m.library_id = s.library_id AND m.user_id = s.user_id
                   JOIN users u ON u.id = s.user_id
                   WHERE s.library_id = ? AND u.blocked_bot = 0
                   ORDER BY m.created_at, s.user_id""",
                (library_id,),
            )
        ]

    # --- the library's channel --------------------------------------------------------

    async def link_channel(
        self, library_id: int, chat_id: int, title: str, username: str, linked_by: int
    ) -> None:
        await self._db.execute(
            f"""INSERT INTO plan_channels (library_id, chat_id, title, username, linked_by)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (library_id) DO UPDATE SET chat_id = excluded.chat_id,
                    title = excluded.title, username = excluded.username,
                    linked_by = excluded.linked_by, linked_at = {NOW_SQL}""",
            (library_id, chat_id, title[:200], username[:64], linked_by),
        )
        await self._db.commit()

    async def channel(self, library_id: int) -> Channel | None:
        row = await fetch_one(
            self._db,
            """SELECT library_id, chat_id, title, username, linked_by FROM plan_channels
               WHERE library_id = ?""",
            (library_id,),
        )
        return None if row is None else Channel(row[0], row[1], row[2], row[3], row[4])

    async def unlink_channel(self, library_id: int) -> bool:
        return await self._change("DELETE FROM plan_channels WHERE library_id = ?", (library_id,))

    # --- monthly check-ins --------------------------------------------------------------

    async def record_metric(
        self,
        library_id: int,
        network: str,
        month: str,
        followers: int,
        *,
        reach: int | None = None,
        interactions: int | None = None,
    ) -> None:
        """One network's numbers for a month; a second check-in that month replaces them."""
        await self._db.execute(
            f"""INSERT INTO plan_metrics
                    (library_id, network, month, followers, reach, interactions)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (library_id, network, month) DO UPDATE SET
                    followers = excluded.followers, reach = excluded.reach,
                    interactions = excluded.interactions, recorded_at = {NOW_SQL}""",
            (library_id, network, month, followers, reach, interactions),
        )
        await self._db.commit()

    async def metrics(self, library_id: int) -> list[Metric]:
        def number(value: object) -> int | None:
            return None if value is None else int(str(value))

        return [
            Metric(row[0], row[1], int(row[2]), number(row[3]), number(row[4]))
            for row in await fetch_all(
                self._db,
                """SELECT network, month, followers, reach, interactions FROM plan_metrics
                   WHERE library_id = ? ORDER BY month, network""",
                (library_id,),
            )
        ]

    async def record_month(self, library_id: int, numbers: MonthNumbers, at: str) -> None:
        """The library's own numbers for a month (``at``: now, in the database's time form);
        a second check-in that month replaces them."""
        await self._db.execute(
            """INSERT INTO plan_month_numbers
                   (library_id, month, clicks, attendees, attendees_social, recorded_at)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (library_id, month) DO UPDATE SET
                   clicks = excluded.clicks, attendees = excluded.attendees,
                   attendees_social = excluded.attendees_social,
                   recorded_at = excluded.recorded_at""",
            (
                library_id,
                numbers.month,
                numbers.clicks,
                numbers.attendees,
                numbers.attendees_social,
                at,
            ),
        )
        await self._db.commit()

    async def month_numbers(self, library_id: int) -> list[MonthNumbers]:
        def number(value: object) -> int | None:
            return None if value is None else int(str(value))

        return [
            MonthNumbers(str(row[0]), number(row[1]), number(row[2]), number(row[3]))
            for row in await fetch_all(
                self._db,
                """SELECT month, clicks, attendees, attendees_social FROM plan_month_numbers
                   WHERE library_id = ? ORDER BY month""",
                (library_id,),
            )
        ]

    async def export(self, library_id: int) -> dict[str, tuple[list[str], list[list[object]]]]:
        """Everything the plan tables hold for one library (``EXPORTED``): per table its
        column names and rows."""
        tables: dict[str, tuple[list[str], list[list[object]]]] = {}
        for table, (columns, order) in EXPORTED.items():
            rows = await fetch_all(
                self._db,
                f"SELECT {columns} FROM {table} WHERE library_id = ? ORDER BY {order}",
                (library_id,),
            )
            names = [name.strip() for name in columns.split(",")]
            tables[table] = (names, [[row[i] for i in range(len(names))] for row in rows])
        return tables

    async def owners(self, library_id: int) -> list[int]:
        """The library's owners who have not blocked the bot."""
        return [
            int(row[0])
            for row in await fetch_all(
                self._db,
                """SELECT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id
                   WHERE m.library_id = ? AND m.role = 'owner' AND u.blocked_bot = 0
                   ORDER BY m.created_at, m.user_id""",
                (library_id,),
            )
        ]
