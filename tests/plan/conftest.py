"""A bot whose plan service, outbox and scheduler read one fake clock."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import pytest
from aiogram import Dispatcher
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db.engine import Database
from bot.db.plan_repository import PlanPost
from bot.db.repositories import Library, Repositories, Strategy
from bot.domain.summary import other_key
from bot.factory import create_dispatcher
from bot.i18n import Translator
from bot.outbox.repository import Outbox
from bot.outbox.sender import OutboxSender
from bot.scheduling.plan_jobs import (
    plan_checkin_job,
    plan_network_job,
    plan_tick_job,
    plan_week_job,
)
from bot.scheduling.scheduler import Scheduler
from bot.services.notifier import Notifier
from bot.services.plans import PlanService
from bot.storage import DatabaseStorage
from handlers.plan.callbacks import inline_markup
from handlers.plan.telegram import TelegramChannels
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.ops.fakes import FakeClock, utc

# Monday 5 January 2026, 05:00 UTC = 08:00 in Moscow.
START = utc(2026, 1, 5, 5)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


class PlanWorld:
    """The bot's collaborators around one database and clock, rebuilt as after a restart."""

    def __init__(self, db: Database, i18n: I18n, settings: Settings, clock: FakeClock) -> None:
        self.db = db
        self.i18n = i18n
        self.settings = settings
        self.clock = clock
        self.bot = MockedBot()
        self.repo = Repositories(db)
        self.build()

    def build(self) -> None:
        outbox = Outbox(self.db, now=self.clock.now)
        self.notifier = Notifier(
            outbox,
            self.repo,
            partial(Translator, self.i18n),
            admin_ids=self.settings.admin_ids,
            default_locale="ru",
        )
        self.plans = PlanService(
            self.repo, self.notifier, outbox, markup=inline_markup, now=self.clock.now
        )
        self.dispatcher = create_dispatcher(
            repo=self.repo,
            storage=DatabaseStorage(self.db),
            i18n=self.i18n,
            settings=self.settings,
            notifier=self.notifier,
            plans=self.plans,
        )
        self.scheduler = Scheduler(
            self.db,
            [
                plan_week_job(self.repo, self.plans),
                plan_tick_job(self.plans, TelegramChannels(self.bot)),
                plan_checkin_job(self.repo, self.plans),
                plan_network_job(self.plans, self.notifier, weekday=0, hour=9),
            ],
            now=self.clock.now,
        )
        self.sender = OutboxSender(
            self.bot,
            self.db,
            now=self.clock.now,
            monotonic=self.clock.monotonic,
            sleep=self.clock.sleep,
        )

    def user(self, user_id: int, language: str = "ru", name: str = "Анна") -> ChatUser:
        return ChatUser(
            self.dispatcher, self.bot, user_id, language_code=language, first_name=name
        )

    def t(self, locale: str) -> Translator:
        return Translator(self.i18n, locale)

    async def finished_strategy(
        self, owner: int, answers: dict[str, Any], *, language: str = "ru"
    ) -> tuple[Library, Strategy]:
        """A library whose owner finished a strategy with ``answers`` (stored as the wizard
        stores them), and the plan made from it."""
        await self.repo.users.upsert(owner, "Анна", language)
        library = await self.repo.libraries.create(owner)
        strategy = await self.repo.strategies.create(library.id, owner)
        for question_id, value in answers.items():
            if value is None:
                continue
            # "Other…" texts are kept as the wizard keeps them.
            key = (
                other_key(question_id.removesuffix(".other"))
                if question_id.endswith(".other")
                else question_id
            )
            await self.repo.answers.save(strategy.id, key, value)
        await self.repo.libraries.update_profile(
            library.id,
            name=str(answers.get("lib_name") or ""),
            settlement=str(answers.get("lib_settlement") or ""),
            region=str(answers.get("lib_region") or ""),
            country=str(answers.get("lib_country") or ""),
            timezone=str(answers.get("lib_tz") or "UTC"),
            is_state=answers.get("lib_ownership") in {"state", "municipal"},
        )
        await self.repo.strategies.mark_complete(strategy.id)
        done = await self.repo.strategies.get(strategy.id)
        assert done is not None
        await self.plans.refresh(done, finished_by=owner)
        await self.scheduler.tick()  # the jobs learn their first slots, as at start-up
        stored = await self.repo.libraries.get(library.id)
        assert stored is not None
        return stored, done

    async def posts(self, library_id: int) -> list[PlanPost]:
        return await self.repo.plans.between(library_id, date(2000, 1, 1), date(2100, 1, 1))

    async def run_until(self, moment: Any, step_minutes: int = 1) -> None:
        """Tick the scheduler and deliver the outbox minute by minute up to ``moment``."""
        while self.clock.now() < moment:
            self.clock.advance(minutes=step_minutes)
            await self.scheduler.tick()
            await self.sender.send_due()


@pytest.fixture
def world(db: Database, i18n: I18n, settings: Settings, clock: FakeClock) -> PlanWorld:
    return PlanWorld(db, i18n, settings, clock)


@pytest.fixture
def dispatcher(world: PlanWorld) -> Dispatcher:
    return world.dispatcher


@pytest.fixture
def bot(world: PlanWorld) -> MockedBot:
    return world.bot
