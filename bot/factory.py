"""Building the Bot and the Dispatcher. Pure wiring: no settings are read here."""

from __future__ import annotations

import gc
import logging
from functools import partial
from typing import Any, ClassVar

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.filters import ExceptionTypeFilter
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import I18n

from bot.antiflood import AntiFlood
from bot.config import Settings
from bot.db.repositories import Repositories, User
from bot.db.survey_key import load_survey_key
from bot.i18n import Translate, Translator
from bot.logging_setup import log_who
from bot.menus import CommandMenus
from bot.middlewares import (
    ReplayedUpdateFilter,
    UnitOfWorkMiddleware,
    UserLocaleMiddleware,
    UserMiddleware,
)
from bot.outbox.repository import Outbox
from bot.plan.rights import ChannelAccess
from bot.services.notifier import Notifier
from bot.services.plans import AudienceSource as PlanAudience
from bot.services.plans import PlanService
from bot.services.reports import AudienceSource, StrategyReports
from bot.services.surveys import SurveyService
from bot.services.wizard import WizardService
from handlers import create_router
from handlers.plan.callbacks import inline_markup
from handlers.plan.telegram import TelegramChannels

logger = logging.getLogger(__name__)


class KeepResponseModels(BaseRequestMiddleware):
    """Keeps aiogram's ``Response[T]`` models alive for the life of the process.

    aiogram parses every reply as ``Response[method.__returning__]``, and pydantic caches
    parametrized models only weakly: after each garbage collection the next call rebuilt its
    model from scratch (about 13 ms, a third of the bot's CPU time in ``bench/dispatch.py``).
    One strong reference per returned type, taken on the first call that needs it, ends that.
    """

    _kept: ClassVar[dict[Any, type[Response[Any]]]] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self._kept:
            self._kept[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)


def freeze_startup_heap() -> None:
    """Leaves everything built at start-up out of every later garbage collection.

    Imports, routers, catalogs and pydantic's validators are some 270,000 objects that live
    as long as the process. Each full collection walked all of them again, about 200 ms here,
    added to whichever update it fell in (``bench/dispatch.py``'s p99). Call once the
    dispatcher is built; the garbage of start-up is collected first, not kept forever.
    """
    gc.collect()
    gc.freeze()


def prepare_session(session: BaseSession) -> BaseSession:
    """What every session of ours gets: the kept response models."""
    session.middleware(KeepResponseModels())
    return session


def create_bot(
    token: str, *, api_url: str | None = None, session: BaseSession | None = None
) -> Bot:
    if session is None:
        server = TelegramAPIServer.from_base(api_url) if api_url else None
        session = AiohttpSession(api=server) if server else AiohttpSession()
    return Bot(
        token,
        session=prepare_session(session),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def create_plan_service(
    repo: Repositories, notifier: Notifier, outbox: Outbox, *, audience_source: PlanAudience
) -> PlanService:
    """The plan's service, drawing its buttons with the plan's own callback data."""
    return PlanService(
        repo, notifier, outbox, markup=inline_markup, audience_source=audience_source
    )


def channel_access(bot: Bot) -> ChannelAccess:
    """What the plan's jobs may ask Telegram about a linked channel."""
    return TelegramChannels(bot)


def create_dispatcher(
    *,
    repo: Repositories,
    storage: BaseStorage,
    i18n: I18n,
    settings: Settings,
    events_isolation: BaseEventIsolation | None = None,
    notifier: Notifier | None = None,
    audience_source: AudienceSource | None = None,
    antiflood: AntiFlood | None = None,
    remember_updates: bool = False,
    plans: PlanService | None = None,
) -> Dispatcher:
    """The whole bot around its collaborators; ``notifier`` defaults to the database outbox.

    ``antiflood`` limits updates per user; the running bot (bot/app.py) always passes one,
    tests and the console (which feed updates as fast as they can) usually do not.
    """
    if notifier is None:
        notifier = Notifier(
            Outbox(repo.db),
            repo,
            partial(Translator, i18n),
            admin_ids=settings.admin_ids,
            default_locale=settings.default_locale,
        )
    surveys = SurveyService(
        repo,
        notifier,
        key=lambda: load_survey_key(repo.db, settings.database_path, settings.survey_secret),
        min_results=settings.survey_min_results,
        min_for_strategy=settings.survey_min_for_strategy,
    )
    audience = audience_source or surveys.audience_for_strategy
    if plans is None:
        plans = create_plan_service(repo, notifier, Outbox(repo.db), audience_source=audience)
    dispatcher = Dispatcher(
        storage=storage,
        # Fast taps from one user must be handled one after another (aiogram #1317).
        events_isolation=events_isolation or SimpleEventIsolation(),
        repo=repo,
        wizard=WizardService(repo),
        settings=settings,
        admin_ids=settings.admin_ids,
        i18n=i18n,
        notifier=notifier,
        menus=CommandMenus(
            repo, i18n, admin_ids=settings.admin_ids, default_locale=settings.default_locale
        ),
        surveys=surveys,
        # Advice uses the reader survey's numbers where the audience step came from one.
        reports=StrategyReports(repo, notifier, audience_source=audience),
        plans=plans,
    )
    # Before aiogram's FSM middleware, which reads the state before any handler runs, so
    # that read belongs to the update's transaction too. A unit takes its turn at its first
    # statement, i.e. inside the FSM middleware's per-user isolation lock: one lock order.
    dispatcher.update.outer_middleware.unregister(dispatcher.fsm)
    dispatcher.update.outer_middleware(
        UnitOfWorkMiddleware(remember_updates=remember_updates, fsm=dispatcher.fsm)
    )
    if remember_updates:
        dispatcher.update.middleware(ReplayedUpdateFilter())
    dispatcher.update.outer_middleware(dispatcher.fsm)
    dispatcher.update.outer_middleware(UserMiddleware(settings.default_locale))
    UserLocaleMiddleware(i18n).setup(dispatcher)
    if antiflood is not None:
        # After the locale middleware, so that a refusal speaks the user's language.
        dispatcher.message.outer_middleware(antiflood)
        dispatcher.callback_query.outer_middleware(antiflood)
    dispatcher.include_router(create_router())
    register_error_handlers(dispatcher)
    dispatcher.startup.register(_set_commands)
    # The key file is created (or moved out of the database) at start, not at the first reader.
    dispatcher.startup.register(surveys.load_key)
    return dispatcher


def register_error_handlers(dispatcher: Dispatcher) -> None:
    """Blocked users are remembered; every other failure is logged and told to the user.

    Needs ``repo``, ``i18n`` and ``settings`` in the dispatcher's data.
    """
    dispatcher.errors.register(_on_blocked, ExceptionTypeFilter(TelegramForbiddenError))
    dispatcher.errors.register(_on_error, ExceptionTypeFilter(Exception))


async def _on_blocked(event: ErrorEvent, repo: Repositories, user: User | None = None) -> bool:
    """The user blocked the bot: remember it so notifications stop; nothing to tell them.

    Readers are not stored, so there is nobody to mark. A staff member's or admin's row
    created by the failed update was rolled back with it: it is written again here.
    """
    if user is not None and not user.is_reader:
        if await repo.users.get(user.id) is None:
            await repo.users.upsert(user.id, user.first_name, user.language)
        await repo.users.mark_blocked(user.id)
    logger.info("user blocked the bot", extra=log_who(user))
    return True


async def _on_error(
    event: ErrorEvent,
    bot: Bot,
    i18n: I18n,
    settings: Settings,
    *,
    t: Translate | None = None,
    user: User | None = None,
) -> bool:
    """Log with context and tell the user briefly; their answers and place are untouched.

    ``t`` speaks the user's stored language (the locale middleware also serves errors).
    Nothing here touches the FSM state: the failed step can simply be tried again.
    """
    update = event.update
    sender = None
    if update.message:
        sender = update.message.from_user
    elif update.callback_query:
        sender = update.callback_query.from_user
    logger.error(
        "update failed",
        exc_info=event.exception,
        extra={
            "update_id": update.update_id,
            "update_type": update.event_type,
            "error": type(event.exception).__name__,
            **log_who(user),
        },
    )
    if sender is None:
        return True
    text = (t or Translator(i18n, settings.default_locale))("error.generic")
    try:
        if update.callback_query:
            try:
                await update.callback_query.answer(text, show_alert=True)
            except Exception:
                # Already answered before the failure: say it in the chat instead.
                await bot.send_message(sender.id, text)
        elif update.message:
            await update.message.answer(text)
    except Exception:
        logger.warning("could not tell the user about the error", extra=log_who(user))
    return True


async def _set_commands(bot: Bot, menus: CommandMenus) -> None:
    """Name, descriptions and menus: what a user sees before pressing Start, per language."""
    try:
        await menus.present(bot)
        await menus.refresh_all(bot)
    except TelegramAPIError as error:
        # A cosmetic call refused (a rate limit on setMyName) must not stop the bot.
        logger.warning("could not present the bot", extra={"error": str(error)})
