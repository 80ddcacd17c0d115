"""The running bot: polling, webhook and console wiring around :func:`create_dispatcher`.

Polling and webhook share one :class:`Runtime`: the domain database, the FSM backend
(Redis when ``REDIS_URL`` is set), the outbox sender on its own connection, the scheduler
with the weekly digest, and one stop event set by SIGTERM/SIGINT. Stopping goes through
:func:`bot.shutdown.graceful_shutdown`; the FSM storage closes only after the updates in
flight are done (aiogram would close it as soon as polling stops).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.utils.i18n import I18n
from aiohttp import web

from bot.antiflood import AntiFlood
from bot.config import Settings
from bot.db.backup import database_in_use
from bot.db.connection import connect, open_database
from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.db.survey_key import load_survey_key
from bot.factory import (
    channel_access,
    create_bot,
    create_dispatcher,
    create_plan_service,
    freeze_startup_heap,
)
from bot.fsm_backends import create_fsm_backend
from bot.health import HealthSources, Metrics, create_health_app
from bot.i18n import Translator, create_i18n, pick_locale
from bot.outbox.repository import Outbox
from bot.outbox.sender import OutboxSender
from bot.polling import ConfirmingPoller
from bot.scheduling.digest import WeeklyDigest, weekly_digest_job
from bot.scheduling.digest_sections import digest_sections
from bot.scheduling.jobs import (
    backup_job,
    outbox_purge_job,
    processed_updates_purge_job,
    survey_closing_job,
)
from bot.scheduling.plan_jobs import (
    plan_checkin_job,
    plan_digest_section,
    plan_network_job,
    plan_tick_job,
    plan_week_job,
)
from bot.scheduling.scheduler import Job, Scheduler
from bot.services.notifier import Notifier
from bot.services.surveys import audience_for_strategy
from bot.shutdown import UpdatesInFlight, graceful_shutdown, install_signal_handlers
from bot.storage import DatabaseStorage
from bot.webhook import create_webhook_app, set_webhook

logger = logging.getLogger(__name__)

CONSOLE_DATABASE = "console.sqlite3"
CONSOLE_LOG = "console.log"
# Below compose's stop_grace_period (45 s): updates, loops and the outbox flush fit in it.
WEBHOOK_SHUTDOWN_TIMEOUT = 20.0


@dataclass
class Runtime:
    settings: Settings
    bot: Bot
    db: Database
    sender_db: Database
    i18n: I18n
    dispatcher: Dispatcher
    sender: OutboxSender
    scheduler: Scheduler
    in_flight: UpdatesInFlight
    health: HealthSources
    stop_event: asyncio.Event = field(default_factory=asyncio.Event)
    background: list[asyncio.Task[None]] = field(default_factory=list)
    held: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    """What is released last: the "database in use" lock that ``restore`` respects."""

    def start_background(self) -> None:
        """The outbox sender and the scheduler, until ``stop_event`` is set."""
        self.background = [
            asyncio.create_task(self.sender.run_forever(self.stop_event), name="outbox"),
            asyncio.create_task(self.scheduler.run_forever(self.stop_event), name="scheduler"),
        ]

    async def shutdown(self, runner: web.BaseRunner | None = None) -> None:
        """Stop taking updates, finish those in flight, flush the outbox, close everything."""
        try:
            await graceful_shutdown(
                stop_event=self.stop_event,
                runner=runner,
                in_flight=self.in_flight,
                background=self.background,
                sender=self.sender,
                bot=self.bot,
            )
        finally:
            try:
                await self.dispatcher.fsm.close()
            finally:
                try:
                    await self.sender_db.close()
                    await self.db.close()
                finally:
                    self.held.close()
        logger.info("stopped")


def backup_jobs(settings: Settings) -> list[Job]:
    if settings.backup_dir is None:
        return []
    if settings.database_url:
        # PostgreSQL is backed up by its own tools (README, "Backups"): pg_dump on a timer.
        logger.warning("BACKUP_DIR is ignored with DATABASE_URL: back PostgreSQL up with pg_dump")
        return []
    return [backup_job(settings.database_path, settings.backup_dir, keep=settings.backup_keep)]


async def build_runtime(settings: Settings, bot: Bot) -> Runtime:
    held = contextlib.ExitStack()
    if not settings.database_url:
        # One process per SQLite file; PostgreSQL is shared by design.
        held.enter_context(database_in_use(settings.database_path))
    try:
        return await _build_runtime(settings, bot, held)
    except BaseException:
        held.close()
        raise


async def _build_runtime(settings: Settings, bot: Bot, held: contextlib.ExitStack) -> Runtime:
    db = await connect(settings.database, pool_size=settings.database_pool_size)
    try:
        # The sender's own: its sends never wait behind updates for a connection.
        sender_db = await connect(settings.database, pool_size=2)
    except BaseException:
        await db.close()
        raise
    i18n = create_i18n(settings.default_locale)
    repo = Repositories(db)
    # Redis lock keys are hashed with the readers' key, so they name no one (fsm_backends).
    lock_secret = (
        await load_survey_key(db, settings.database_path, settings.survey_secret)
        if settings.redis_url
        else None
    )
    storage, isolation = create_fsm_backend(
        redis_url=settings.redis_url, db=db, lock_secret=lock_secret
    )
    sender = OutboxSender(bot, sender_db)
    outbox = Outbox(db)
    notifier = Notifier(
        outbox,
        repo,
        partial(Translator, i18n),
        admin_ids=settings.admin_ids,
        default_locale=settings.default_locale,
        wake=sender.wake,
    )
    plans = create_plan_service(
        repo, notifier, outbox, audience_source=partial(audience_for_strategy, repo)
    )
    dispatcher = create_dispatcher(
        repo=repo,
        storage=storage,
        i18n=i18n,
        settings=settings,
        events_isolation=isolation,
        notifier=notifier,
        antiflood=AntiFlood(),
        # Telegram's update ids: a redelivered update is recognised and changes nothing.
        remember_updates=True,
        plans=plans,
    )
    # Closed by Runtime.shutdown once updates in flight are done, not when polling stops.
    dispatcher.shutdown.handlers[:] = [
        handler
        for handler in dispatcher.shutdown.handlers
        if handler.callback != dispatcher.fsm.close
    ]
    in_flight = UpdatesInFlight()
    dispatcher.update.outer_middleware(in_flight)
    # Counted only where prometheus-client is installed (the '.[metrics]' extra, the image).
    metrics = Metrics() if Metrics.available() else None
    if metrics is not None:
        dispatcher.update.outer_middleware(metrics.middleware())
    redis = getattr(storage, "redis", None)
    health = HealthSources(
        db, redis_ping=redis.ping if redis is not None else None, metrics=metrics
    )
    digest = WeeklyDigest(
        db,
        outbox,
        lambda locale: Translator(i18n, locale),
        default_locale=settings.default_locale,
        sections=[*digest_sections(db), plan_digest_section(plans)],
    )
    scheduler = Scheduler(
        db,
        [
            weekly_digest_job(
                db, weekday=settings.digest_weekday, hour=settings.digest_hour, deliver=digest
            ),
            survey_closing_job(repo, notifier, min_results=settings.survey_min_results),
            outbox_purge_job(outbox),
            processed_updates_purge_job(db),
            *backup_jobs(settings),
            plan_week_job(repo, plans),
            plan_tick_job(plans, channel_access(bot)),
            plan_checkin_job(repo, plans),
            plan_network_job(
                plans, notifier, weekday=settings.digest_weekday, hour=settings.digest_hour
            ),
        ],
    )
    freeze_startup_heap()
    return Runtime(
        settings,
        bot,
        db,
        sender_db,
        i18n,
        dispatcher,
        sender,
        scheduler,
        in_flight,
        health,
        held=held,
    )


async def run_polling(
    settings: Settings, *, bot: Bot | None = None, stop_event: asyncio.Event | None = None
) -> None:
    """Long polling until SIGTERM/SIGINT (or ``stop_event``, for tests)."""
    if bot is None:
        assert settings.bot_token is not None
        bot = create_bot(settings.bot_token.get_secret_value(), api_url=settings.telegram_api_url)
    runtime = await build_runtime(settings, bot)
    if stop_event is not None:
        runtime.stop_event = stop_event
    install_signal_handlers(runtime.stop_event)
    dispatcher = runtime.dispatcher
    polling: asyncio.Task[None] | None = None
    failure: BaseException | None = None
    health_runner: web.AppRunner | None = None
    try:
        if settings.health_port is not None:
            health_runner = web.AppRunner(create_health_app(runtime.health))
            await health_runner.setup()
            await web.TCPSite(health_runner, settings.health_host, settings.health_port).start()
            logger.info(
                "health server started",
                extra={"host": settings.health_host, "port": settings.health_port},
            )
        await bot.delete_webhook(drop_pending_updates=False)
        runtime.start_background()
        await bot.me()  # as aiogram's polling does: a refused token fails here, at start
        poller = ConfirmingPoller(
            dispatcher, bot, allowed_updates=dispatcher.resolve_used_update_types()
        )
        await dispatcher.emit_startup(bot=bot, dispatcher=dispatcher, **dispatcher.workflow_data)
        polling = asyncio.create_task(poller.run(runtime.stop_event), name="polling")
        stopping = asyncio.create_task(runtime.stop_event.wait())
        await asyncio.wait({polling, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        logger.info("stopping")
    finally:
        runtime.stop_event.set()
        if polling is not None:
            # The poller finishes the updates in flight, then confirms them to Telegram.
            [failure] = await asyncio.gather(polling, return_exceptions=True)
            await dispatcher.emit_shutdown(
                bot=bot, dispatcher=dispatcher, **dispatcher.workflow_data
            )
        try:
            await runtime.shutdown()
        finally:
            if health_runner is not None:
                await health_runner.cleanup()
    if isinstance(failure, Exception):
        raise failure  # e.g. Telegram refused the token at start


def webhook_path(url: str) -> str:
    """The path Telegram posts to, taken from WEBHOOK_URL (a proxy may rewrite it)."""
    return urlsplit(url).path or "/"


async def run_webhook(
    settings: Settings, *, bot: Bot | None = None, stop_event: asyncio.Event | None = None
) -> None:
    """An HTTP server on WEBHOOK_HOST:WEBHOOK_PORT; Telegram is pointed at WEBHOOK_URL."""
    assert settings.webhook_url is not None
    assert settings.webhook_secret is not None
    if bot is None:
        assert settings.bot_token is not None
        bot = create_bot(settings.bot_token.get_secret_value(), api_url=settings.telegram_api_url)
    secret = settings.webhook_secret.get_secret_value()
    runtime = await build_runtime(settings, bot)
    if stop_event is not None:
        runtime.stop_event = stop_event
    install_signal_handlers(runtime.stop_event)
    app = create_webhook_app(
        runtime.dispatcher,
        bot,
        secret=secret,
        path=webhook_path(settings.webhook_url),
        db=runtime.db,
        health=runtime.health,
    )
    runner = web.AppRunner(app, shutdown_timeout=WEBHOOK_SHUTDOWN_TIMEOUT)
    try:
        await runner.setup()
        site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
        await site.start()
        logger.info(
            "webhook server started",
            extra={"host": settings.webhook_host, "port": settings.webhook_port},
        )
        await set_webhook(bot, runtime.dispatcher, url=settings.webhook_url, secret=secret)
        runtime.start_background()
        await runtime.stop_event.wait()
        logger.info("stopping")
    finally:
        await runtime.shutdown(runner)


async def run_console_mode(
    settings: Settings,
    *,
    language_code: str | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> None:
    """The offline chat in the terminal, on its own database file next to the real one,
    so the console user (id 1) never lands among the real users."""
    from bot.console.run import CONSOLE_TOKEN, console_user, run_console  # noqa: PLC0415

    path = console_database_path(settings)
    db = await open_database(path)
    try:
        i18n = create_i18n(settings.default_locale)
        dispatcher = create_dispatcher(
            repo=Repositories(db), storage=DatabaseStorage(db), i18n=i18n, settings=settings
        )
        user = console_user(language_code=language_code)
        translate = Translator(i18n, pick_locale(user.language_code, settings.default_locale))
        repo = Repositories(db)
        stored = await repo.users.get(user.id)
        saved_language = stored.language if stored is not None else None
        if language_code and stored is not None:
            # --lang wins over the language saved in an earlier session, for this session.
            await repo.users.set_language(user.id, language_code)

        def bot_factory(session: BaseSession) -> Bot:
            return create_bot(CONSOLE_TOKEN, session=session)

        try:
            await run_console(
                dispatcher, bot_factory, stdin, stdout, user=user, translate=translate
            )
        finally:
            if language_code and stored is not None and saved_language:
                await repo.users.set_language(user.id, saved_language)
    finally:
        await db.close()


def console_database_path(settings: Settings) -> Path:
    return settings.database_path.with_name(CONSOLE_DATABASE)


def console_log_path(settings: Settings) -> Path:
    """The console's log: the terminal is the chat, so details (tracebacks) go here."""
    return settings.database_path.with_name(CONSOLE_LOG)
