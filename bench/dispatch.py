"""How much the bot adds to aiogram's own dispatch, as ratios measured in one run.

The bot: ``create_dispatcher`` (SQLite or PostgreSQL storage and answers, i18n, user and
unit-of-work middlewares, event isolation), users pressing /start and answering the first
questions of the wizard: the library's name and town typed, the region skipped by a button.

Two floors, both bare aiogram (a ``Dispatcher`` with MemoryStorage, no middlewares) fed the
very same updates in the same process:

- **plain**: one ``sendMessage`` per update, whatever the update;
- **same calls**: every update makes exactly the Telegram calls the bot made for it (the same
  methods with the same texts and keyboards, replayed), so the ratio to it is what the bot's
  own code costs: routing, middlewares, the database, translations and building screens.

All use the same in-process mocked Bot API session, so network time is excluded. Per update
the wall time and the process's CPU time are kept (the database thread's CPU included).

    .venv/bin/python bench/dispatch.py            # default 300 users
    .venv/bin/python bench/dispatch.py --users 1000
    .venv/bin/python bench/dispatch.py --database-url postgresql://postgres@127.0.0.1:55432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot, Dispatcher, Router
from aiogram.methods import TelegramMethod
from aiogram.types import CallbackQuery, Message, Update
from pydantic import SecretStr

from bench.common import Timer, drop_postgres, fresh_postgres, latency_line, machine, open_target
from bot.config import Settings
from bot.db.repositories import Repositories
from bot.factory import create_dispatcher, freeze_startup_heap, prepare_session
from bot.i18n import create_i18n
from bot.storage import DatabaseStorage
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot

# Per user: /start, then name, town, and a skipped region (a button press).
TYPED = ("/start", "Центральная библиотека", "Берёзовка")
PRESSED = "Пропустить"
UPDATES_PER_USER = len(TYPED) + 1

Calls = list[list[TelegramMethod[Any]]]


def plain_floor() -> Dispatcher:
    router = Router()

    @router.message()
    async def reply(message: Message) -> None:
        await message.answer("ok")

    @router.callback_query()
    async def pressed(callback: CallbackQuery) -> None:
        assert callback.message is not None
        await callback.message.answer("ok")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


def same_calls_floor(calls: Calls) -> Dispatcher:
    """Bare aiogram making, for the n-th update, the calls the bot made for its n-th update."""
    planned = iter(calls)
    router = Router()

    async def replay(bot: Bot) -> None:
        for method in next(planned):
            await bot(method)

    @router.message()
    async def reply(message: Message, bot: Bot) -> None:
        await replay(bot)

    @router.callback_query()
    async def pressed(callback: CallbackQuery, bot: Bot) -> None:
        await replay(bot)

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


def walk(chat: ChatUser) -> Iterator[Update]:
    """One user's updates; the press is on the button the last screen really showed."""
    for text in TYPED:
        yield chat.message_update(text)
    message_id, markup = chat.last_keyboard()
    data = next(
        button.callback_data
        for row in markup.inline_keyboard
        for button in row
        if PRESSED in button.text and button.callback_data
    )
    yield chat.callback_update(data, message_id)


async def feed_users(
    dispatcher: Dispatcher,
    bot: MockedBot,
    users: int,
    calls: Calls | None = None,
    fed: list[Update] | None = None,
) -> Timer:
    """Every update timed on its own; ``calls`` collects what each one sent to Telegram and
    ``fed`` the updates themselves, for the floors to be fed the very same."""
    timer = Timer()
    for user_id in range(1, users + 1):
        chat = ChatUser(dispatcher, bot, user_id)
        for update in walk(chat):
            seen = len(bot.session.requests)
            await timer(dispatcher.feed_update(bot, update))
            if calls is not None:
                calls.append(list(bot.session.requests[seen:]))
            if fed is not None:
                fed.append(update)
    return timer


Trips = dict[str, tuple[float, float]]


async def run_bot(
    users: int,
    folder: Path,
    *,
    trips: Trips | None = None,
    database_url: str | None = None,
    calls: Calls | None = None,
    fed: list[Update] | None = None,
) -> Timer:
    path = folder / "bench.sqlite3"
    # PostgreSQL: a fresh database on that server for every run, dropped afterwards.
    target = fresh_postgres(database_url, "hb_dispatch") if database_url else path
    db = await open_target(target)
    settings = Settings(
        _env_file=None, bot_token=None, database_path=path, survey_secret=SecretStr("bench")
    )
    dispatcher = create_dispatcher(
        repo=Repositories(db), storage=DatabaseStorage(db), i18n=create_i18n(), settings=settings
    )
    bot = MockedBot()
    prepare_session(bot.session)  # as create_bot does for production's session
    timer = await feed_users(dispatcher, bot, users, calls, fed)
    if trips is not None:
        # Round trips to the database and commits, per update, by kind of update.
        for label, count in sorted(db.units.items()):
            if label:
                trips[label] = (db.unit_round_trips[label] / count, db.unit_commits[label] / count)
    await db.close()
    if database_url:
        drop_postgres(database_url, "hb_dispatch")
    return timer


async def run_floor(dispatcher: Dispatcher, updates: list[Update]) -> Timer:
    bot = MockedBot()
    prepare_session(bot.session)  # the same session as the bot's: only the dispatch differs
    timer = Timer()
    for update in updates:
        await timer(dispatcher.feed_update(bot, update))
    return timer


def _median_run(runs: list[Timer]) -> Timer:
    return sorted(runs, key=lambda run: run.total)[len(runs) // 2]


async def main(users: int, rounds: int, database_url: str | None = None) -> None:
    # One untimed round each first: pydantic builds its validators on first use of a type,
    # a one-off cost of the process, not of handling updates.
    warm_calls: Calls = []
    warm_updates: list[Update] = []
    with tempfile.TemporaryDirectory() as folder:
        await run_bot(
            20, Path(folder), database_url=database_url, calls=warm_calls, fed=warm_updates
        )
    await run_floor(plain_floor(), warm_updates)
    await run_floor(same_calls_floor(warm_calls), warm_updates)
    freeze_startup_heap()  # as the running bot does once it has started
    plain: list[Timer] = []
    same: list[Timer] = []
    ours: list[Timer] = []
    trips: Trips = {}
    for _ in range(rounds):
        calls: Calls = []
        fed: list[Update] = []
        with tempfile.TemporaryDirectory() as folder:
            ours.append(
                await run_bot(
                    users,
                    Path(folder),
                    trips=trips,
                    database_url=database_url,
                    calls=calls,
                    fed=fed,
                )
            )
        plain.append(await run_floor(plain_floor(), fed))
        same.append(await run_floor(same_calls_floor(calls), fed))
    updates = users * UPDATES_PER_USER
    requests = sum(len(made) for made in calls)
    engine = "PostgreSQL" if database_url else "SQLite"
    url_flag = " --database-url ..." if database_url else ""
    print(f"machine: {machine()}")
    print(f"command: python bench/dispatch.py --users {users} --rounds {rounds}{url_flag}")
    print(
        f"updates per run: {updates} ({requests / updates:.2f} Telegram calls per update by "
        f"the bot); the run of median time of {rounds}"
    )
    rows = [
        ("floor, plain", _median_run(plain)),
        ("floor, same calls", _median_run(same)),
        (f"the bot ({engine})", _median_run(ours)),
    ]
    for name, run in rows:
        print(f"{name:>20}: {updates / run.total:6.0f} upd/s, wall {latency_line(run.times)}")
        print(f"{'':>20}  CPU {latency_line(run.cpu)}")
    bot_run = rows[2][1]
    for name, floor in rows[:2]:
        # CPU is the fairer ratio on a shared machine: wall time also counts waiting for a core.
        print(
            f"ratio to the {name.removeprefix('floor, ')} floor: wall "
            f"{bot_run.total / floor.total:.1f}x, CPU {sum(bot_run.cpu) / sum(floor.cpu):.1f}x"
        )
    for label, (per_update, commits) in trips.items():
        print(f"{label:>8}: {per_update:4.1f} round trips, {commits:3.1f} commits per update")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", help="PostgreSQL server; a database hb_dispatch is made")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.rounds, args.database_url))
