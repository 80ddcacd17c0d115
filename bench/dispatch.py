"""How much the bot adds to aiogram's own dispatch, as a ratio measured in one run.

Baseline: a bare ``Dispatcher`` with one message handler that replies (MemoryStorage).
Measured: the real bot (``create_dispatcher``: SQLite storage and answers, i18n, user
middleware, event isolation) handling the same number of updates: users pressing /start
and answering the first questions of the wizard. Both use the same in-process mocked
Bot API session, so network time is excluded and the ratio is the bot's own cost.

    .venv/bin/python bench/dispatch.py            # default 300 users
    .venv/bin/python bench/dispatch.py --users 1000
    .venv/bin/python bench/dispatch.py --database-url postgresql://postgres@127.0.0.1:55432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Dispatcher, Router
from aiogram.types import Message
from pydantic import SecretStr

from bench.common import drop_postgres, fresh_postgres, open_target
from bot.config import Settings
from bot.db.repositories import Repositories
from bot.factory import create_dispatcher
from bot.i18n import create_i18n
from bot.storage import DatabaseStorage
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot

# Per user: /start, then name, town, and a skipped region (a button press).
UPDATES_PER_USER = 4


def bare_dispatcher() -> Dispatcher:
    router = Router()

    @router.message()
    async def reply(message: Message) -> None:
        await message.answer("ok")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


async def run_bare(users: int) -> float:
    dispatcher, bot = bare_dispatcher(), MockedBot()
    started = time.perf_counter()
    for user_id in range(1, users + 1):
        chat = ChatUser(dispatcher, bot, user_id)
        for text in ("/start", "Библиотека", "Город", "Регион"):
            await chat.send(text)
    return time.perf_counter() - started


Trips = dict[str, tuple[float, float]]


async def run_bot(
    users: int, folder: Path, trips: Trips | None = None, database_url: str | None = None
) -> float:
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
    started = time.perf_counter()
    for user_id in range(1, users + 1):
        chat = ChatUser(dispatcher, bot, user_id)
        await chat.send("/start")
        await chat.send("Центральная библиотека")
        await chat.send("Берёзовка")
        await chat.press("Пропустить")
    elapsed = time.perf_counter() - started
    if trips is not None:
        # Round trips to the database thread and commits, per update, by kind of update.
        for label, count in sorted(db.units.items()):
            if label:
                trips[label] = (db.unit_round_trips[label] / count, db.unit_commits[label] / count)
    await db.close()
    if database_url:
        drop_postgres(database_url, "hb_dispatch")
    return elapsed


async def main(users: int, rounds: int, database_url: str | None = None) -> None:
    # One untimed round each first: pydantic builds its validators on first use of a type,
    # a one-off cost of the process, not of handling updates.
    await run_bare(20)
    with tempfile.TemporaryDirectory() as folder:
        await run_bot(20, Path(folder), database_url=database_url)
    bare, ours = [], []
    trips: Trips = {}
    for _ in range(rounds):
        bare.append(await run_bare(users))
        with tempfile.TemporaryDirectory() as folder:
            ours.append(await run_bot(users, Path(folder), trips, database_url))
    updates = users * UPDATES_PER_USER
    bare_s, ours_s = statistics.median(bare), statistics.median(ours)
    machine = f"{platform.platform()}, {os.cpu_count()} cores"
    print(f"machine: {machine}, Python {platform.python_version()}")
    engine = "PostgreSQL" if database_url else "SQLite"
    url_flag = " --database-url ..." if database_url else ""
    print(f"command: python bench/dispatch.py --users {users} --rounds {rounds}{url_flag}")
    print(f"updates per run: {updates}; median of {rounds} runs")
    print(f"bare aiogram dispatch: {updates / bare_s:8.0f} updates/s")
    print(f"library bot ({engine}): {updates / ours_s:8.0f} updates/s")
    print(f"ratio (bot time / bare time): {ours_s / bare_s:.1f}x")
    for label, (per_update, commits) in trips.items():
        print(f"{label:>8}: {per_update:4.1f} round trips, {commits:3.1f} commits per update")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", help="PostgreSQL server; a database hb_dispatch is made")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.rounds, args.database_url))
