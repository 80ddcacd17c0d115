"""Survey ingest: N readers open a survey link and complete the default survey.

Every reader goes through the real bot (``create_dispatcher``, mocked Bot API session): the
deep link ``/start <payload>``, "start", every question of the default survey by its buttons
(a multiple choice: two ticks and "done"), then "send". The floor is bare aiogram fed the
very same updates in the same run (one handler per update type making one call: the plain
floor, see docs/benchmarks.md). Exactly N completed responses must be stored.

    .venv/bin/python bench/survey_ingest.py                     # 10,000 readers, SQLite
    .venv/bin/python bench/survey_ingest.py --readers 500
    .venv/bin/python bench/survey_ingest.py --database-url postgresql://postgres@127.0.0.1:55432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Dispatcher, F, Router
from aiogram.types import CallbackQuery, Message
from pydantic import SecretStr

from bench.common import (
    Timer,
    drop_postgres,
    fresh_postgres,
    latency_line,
    machine,
    open_target,
    profile_shares,
)
from bot.config import Settings
from bot.console.fake_telegram import FakeTelegram
from bot.db.repositories import Repositories
from bot.db.surveys import SurveyRepository
from bot.domain.questions import Kind
from bot.factory import create_dispatcher, freeze_startup_heap, prepare_session
from bot.i18n import create_i18n
from bot.storage import DatabaseStorage
from bot.survey.models import Survey
from bot.survey.questions import build_questionnaire
from handlers.survey.callbacks import ReaderAction, ReaderCb
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.survey.bot_helpers import first_choices, staff_library, survey_with_link

FIRST_READER = 1_000_000


@dataclass
class Run:
    seconds: float
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def updates(self) -> int:
        return len(self.times)


def bare_dispatcher() -> Dispatcher:
    """aiogram alone: one reply per message, one answer per button press."""
    router = Router()

    @router.message()
    async def reply(message: Message) -> None:
        await message.answer("ok")

    @router.callback_query(F.data)
    async def pressed(callback: CallbackQuery) -> None:
        await callback.answer()

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


async def one_reader(
    chat: ChatUser, survey: Survey, payload: str, number: int, timer: Timer
) -> None:
    """The whole survey by buttons, each update timed on its own."""
    await timer(chat.send(f"/start {payload}"))
    await timer(chat.press_data(ReaderCb(action=ReaderAction.BEGIN, survey_id=survey.id).pack()))
    for question in build_questionnaire(survey.config).questions:
        picks = first_choices(question, number)
        if question.kind is Kind.SINGLE:
            data = ReaderCb(
                action=ReaderAction.PICK,
                survey_id=survey.id,
                question=question.id,
                option=picks[0],
            ).pack()
            await timer(chat.press_data(data))
            continue
        for pick in picks:
            await timer(
                chat.press_data(
                    ReaderCb(
                        action=ReaderAction.TOGGLE,
                        survey_id=survey.id,
                        question=question.id,
                        option=pick,
                    ).pack()
                )
            )
        await timer(
            chat.press_data(
                ReaderCb(
                    action=ReaderAction.DONE, survey_id=survey.id, question=question.id
                ).pack()
            )
        )
    await timer(chat.press_data(ReaderCb(action=ReaderAction.SEND, survey_id=survey.id).pack()))


async def run_readers(
    dispatcher: Dispatcher, survey: Survey, payload: str, readers: int, concurrency: int
) -> Run:
    bot = MockedBot()
    prepare_session(bot.session)  # as create_bot does; the floor gets the same session
    timer = Timer()
    next_reader = iter(range(readers))

    async def worker() -> None:
        for number in next_reader:
            chat = ChatUser(dispatcher, bot, FIRST_READER + number, first_name="Читатель")
            await one_reader(chat, survey, payload, number, timer)
            if concurrency == 1:
                # The mocked session keeps every request and its fake Telegram every message;
                # a long run would measure those.
                bot.session.clear()
                bot.session.telegram = FakeTelegram()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Run(time.perf_counter() - started, timer.times, timer.cpu)


async def ingest(
    target: Path | str, readers: int, concurrency: int, profile: cProfile.Profile | None = None
) -> tuple[Run, Run, Any]:
    db = await open_target(target)
    try:
        repo = Repositories(db)
        settings = Settings(
            _env_file=None,
            bot_token=None,
            database_path=target if isinstance(target, Path) else Path("unused.sqlite3"),
            survey_secret=SecretStr("bench-survey-secret"),
        )
        dispatcher = create_dispatcher(
            repo=repo, storage=DatabaseStorage(db), i18n=create_i18n(), settings=settings
        )
        library = await staff_library(db)
        survey, source = await survey_with_link(db, library)
        # Untimed warm-up: pydantic builds validators and aiogram its types on first use.
        await run_readers(bare_dispatcher(), survey, source.payload, 5, 1)
        await run_readers(dispatcher, survey, source.payload, 0, 1)
        freeze_startup_heap()  # as the running bot does once it has started
        bare = await run_readers(bare_dispatcher(), survey, source.payload, readers, concurrency)
        if profile is not None:
            profile.enable()
        ours = await run_readers(dispatcher, survey, source.payload, readers, concurrency)
        if profile is not None:
            profile.disable()
        started, completed = await SurveyRepository(db).response_counts(survey.id)
        assert (started, completed) == (readers, readers), (started, completed, readers)
        units = {
            label: (db.unit_round_trips[label] / count, db.unit_commits[label] / count)
            for label, count in sorted(getattr(db, "units", {}).items())
            if label
        }
        return bare, ours, units
    finally:
        await db.close()


def report(title: str, bare: Run, ours: Run, units: Any) -> list[str]:
    lines = [
        f"{title}: {ours.updates} updates",
        f"  bare aiogram: {bare.updates / bare.seconds:7.0f} upd/s, {latency_line(bare.times)}",
        f"  the bot:      {ours.updates / ours.seconds:7.0f} upd/s, {latency_line(ours.times)}",
        f"  ratio (bot time / bare time): {ours.seconds / bare.seconds:.1f}x",
        # One reader at a time, the process's CPU time is the update's own: an idle core.
        f"  CPU per update, bare aiogram: {latency_line(bare.cpu)}",
        f"  CPU per update, the bot:      {latency_line(ours.cpu)}",
        f"  ratio of CPU (bot / bare): {sum(ours.cpu) / sum(bare.cpu):.1f}x",
    ]
    for label, (trips, commits) in units.items():
        lines.append(f"  {label:>8}: {trips:4.1f} round trips, {commits:3.1f} commits per update")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=1, help="readers answering at once")
    parser.add_argument("--database-url", help="a PostgreSQL server; a database hb_ingest is made")
    parser.add_argument(
        "--profile", action="store_true", help="where the bot's time goes (slows it down)"
    )
    args = parser.parse_args()
    profile = cProfile.Profile() if args.profile else None
    print(f"machine: {machine()}")
    command = (
        f"python bench/survey_ingest.py --readers {args.readers} --concurrency {args.concurrency}"
    )
    if args.database_url:
        name = "hb_ingest"
        url = fresh_postgres(args.database_url, name)
        print(f"command: {command} --database-url ...")
        try:
            result = asyncio.run(ingest(url, args.readers, args.concurrency, profile))
        finally:
            drop_postgres(args.database_url, name)
        engine = "PostgreSQL"
    else:
        print(f"command: {command}")
        with tempfile.TemporaryDirectory() as folder:
            result = asyncio.run(
                ingest(Path(folder) / "bench.sqlite3", args.readers, args.concurrency, profile)
            )
        engine = "SQLite"
    title = (
        f"survey ingest ({engine}): {args.readers} readers, {args.concurrency} at a time, "
        f"{args.readers} responses stored (checked)"
    )
    print("\n".join(report(title, *result)))
    if profile is not None:
        print("  where the bot's time goes (cProfile, own time by package; timed while profiled):")
        print("\n".join(profile_shares(profile)))


if __name__ == "__main__":
    main()
