"""Survey ingest and memory: readers completing the default survey, staff mid-wizard.

- **ingest**: N readers (default 10,000) each open the survey link and answer the default
  survey by buttons, then send it, through the real Dispatcher (``create_dispatcher``, SQLite
  file, mocked Bot API session). Checks that exactly N responses were stored; prints
  updates/s, p50/p99 per update and the ratio to bare aiogram dispatch of as many updates in
  the same run (a Dispatcher with one handler making one call, as bench/dispatch.py).
- **memory**: M librarians (default 10,000) press /start and answer the first question, so
  that all of them are mid-wizard at once; prints the process's RSS before and after.

    .venv/bin/python bench/ingest.py --readers 10000 --staff 10000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Dispatcher, Router
from aiogram.types import Message, Update

from bot.config import Settings
from bot.db.connection import open_database
from bot.db.repositories import Repositories
from bot.db.surveys import SurveyRepository
from bot.factory import create_dispatcher
from bot.i18n import create_i18n
from bot.storage import SQLiteStorage
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.survey.bot_helpers import answer_survey, staff_library, survey_with_link

Row = tuple[str, str, str]


def rss_mb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status)[1]) // 1024  # type: ignore[index]


class TimedChat(ChatUser):
    """Keeps the wall time of every update it feeds."""

    durations: list[float]

    async def feed(
        self, update: Update, *, expect_error: bool = False, expect_refused: bool = False
    ) -> list[Any]:
        started = time.perf_counter()
        try:
            return await super().feed(
                update, expect_error=expect_error, expect_refused=expect_refused
            )
        finally:
            self.durations.append(time.perf_counter() - started)


def bare_dispatcher() -> Dispatcher:
    router = Router()

    @router.message()
    async def reply(message: Message) -> None:
        await message.answer("ok")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


async def bare_rate(updates: int) -> float:
    dispatcher, bot = bare_dispatcher(), MockedBot()
    chat = ChatUser(dispatcher, bot, 1)
    started = time.perf_counter()
    for n in range(updates):
        await chat.send(f"ответ {n}")
    return updates / (time.perf_counter() - started)


def bot_dispatcher(db: Any, path: Path) -> Dispatcher:
    settings = Settings(_env_file=None, bot_token=None, database_path=path)
    return create_dispatcher(
        repo=Repositories(db), storage=SQLiteStorage(db), i18n=create_i18n(), settings=settings
    )


async def ingest(readers: int, folder: Path) -> list[Row]:
    path = folder / "ingest.sqlite3"
    db = await open_database(path)
    dispatcher = bot_dispatcher(db, path)
    await dispatcher["surveys"].load_key()  # as the running bot does at start-up
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    bot = MockedBot()
    durations: list[float] = []
    started = time.perf_counter()
    for number in range(readers):
        chat = TimedChat(
            dispatcher, bot, 1_000_000 + number, language_code="ru", first_name="Читатель"
        )
        chat.durations = durations
        await answer_survey(chat, survey, source.payload, number=number)
        # The mocked session keeps every request otherwise: memory, and slower lookups.
        bot.session.requests.clear()
        bot.session.results.clear()
    elapsed = time.perf_counter() - started
    completed = (await SurveyRepository(db).response_counts(survey.id))[1]
    assert completed == readers, f"{completed} responses for {readers} readers"
    rate = len(durations) / elapsed
    bare = await bare_rate(min(len(durations), 20_000))
    p50, p99 = (statistics.quantiles(durations, n=100)[i] * 1000 for i in (49, 98))
    trips = ", ".join(
        f"{label} {db.unit_round_trips[label] / count:.1f}"
        for label, count in sorted(db.units.items())
        if label and count
    )
    await db.close()
    return [
        (f"ingest: {readers:,} readers", f"{completed:,} responses", "exactly one each"),
        ("ingest: updates", f"{len(durations):,}", f"{len(durations) / readers:.1f} per reader"),
        ("ingest: bot", f"{rate:.0f} updates/s", f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"),
        ("ingest: bare aiogram", f"{bare:.0f} updates/s", f"ratio {bare / rate:.1f}x"),
        ("ingest: round trips per update", trips, "by kind of update"),
    ]


async def memory(staff: int, folder: Path) -> list[Row]:
    path = folder / "memory.sqlite3"
    db = await open_database(path)
    dispatcher = bot_dispatcher(db, path)
    bot = MockedBot()
    before = rss_mb()
    for user_id in range(1, staff + 1):
        chat = ChatUser(dispatcher, bot, user_id)
        await chat.send("/start")
        await chat.send("Центральная библиотека")
        bot.session.requests.clear()
        bot.session.results.clear()
    after = rss_mb()
    (waiting,) = next(iter(await db.execute_fetchall("SELECT count(*) FROM fsm")))
    await db.close()
    return [
        (f"memory: {staff:,} librarians mid-wizard", f"{after} MB RSS", f"{waiting:,} FSM rows"),
        ("memory: before them", f"{before} MB RSS", f"+{after - before} MB for them"),
    ]


async def main(readers: int, staff: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        rows = await ingest(readers, Path(folder)) if readers else []
        if staff:
            rows += await memory(staff, Path(folder))
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--staff", type=int, default=10_000)
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"command: python bench/ingest.py --readers {args.readers} --staff {args.staff}")
    for figure, value, note in asyncio.run(main(args.readers, args.staff)):
        print(f"| {figure} | {value} | {note} |")
