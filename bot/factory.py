"""Building the Bot and the Dispatcher. Pure wiring: no settings are read here."""

from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramForbiddenError
from aiogram.filters import ExceptionTypeFilter
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.types import BotCommand, ErrorEvent
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db.repositories import Repositories
from bot.i18n import SUPPORTED_LOCALES, Translator, pick_locale
from bot.middlewares import UserLocaleMiddleware, UserMiddleware
from bot.notifications import Notifier
from bot.outbox.repository import Outbox
from bot.survey_service import SurveyService
from bot.wizard_service import WizardService
from handlers import create_router

logger = logging.getLogger(__name__)

COMMANDS = (
    "start",
    "strategies",
    "export",
    "survey",
    "results",
    "invite",
    "team",
    "language",
    "cancel",
    "help",
)


def create_bot(
    token: str, *, api_url: str | None = None, session: BaseSession | None = None
) -> Bot:
    if session is None and api_url:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


def create_dispatcher(
    *,
    repo: Repositories,
    storage: BaseStorage,
    i18n: I18n,
    settings: Settings,
    events_isolation: BaseEventIsolation | None = None,
    notifier: Notifier | None = None,
) -> Dispatcher:
    """The whole bot around its collaborators; ``notifier`` defaults to the database outbox."""
    if notifier is None:
        notifier = Notifier(
            Outbox(repo.db),
            repo,
            i18n,
            admin_ids=settings.admin_ids,
            default_locale=settings.default_locale,
        )
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
        surveys=SurveyService(repo, notifier, secret=settings.survey_secret),
    )
    dispatcher.update.outer_middleware(UserMiddleware(settings.default_locale))
    UserLocaleMiddleware(i18n).setup(dispatcher)
    dispatcher.include_router(create_router())
    dispatcher.errors.register(_on_blocked, ExceptionTypeFilter(TelegramForbiddenError))
    dispatcher.errors.register(_on_error, ExceptionTypeFilter(Exception))
    dispatcher.startup.register(_set_commands)
    return dispatcher


async def _on_blocked(event: ErrorEvent, repo: Repositories) -> bool:
    """The user blocked the bot: remember it so notifications stop; nothing to tell them."""
    user = event.update.event.from_user if hasattr(event.update.event, "from_user") else None
    if user is not None:
        await repo.users.mark_blocked(user.id)
        logger.info("user %s blocked the bot", user.id)
    return True


async def _on_error(event: ErrorEvent, i18n: I18n, settings: Settings) -> bool:
    """Log with context and tell the user briefly; their answers and place are untouched."""
    update = event.update
    user = None
    if update.message:
        user = update.message.from_user
    elif update.callback_query:
        user = update.callback_query.from_user
    logger.exception(
        "update %s failed (user %s)",
        update.update_id,
        user.id if user else None,
        exc_info=event.exception,
    )
    if user is None:
        return True
    t = Translator(i18n, pick_locale(user.language_code, settings.default_locale))
    try:
        if update.callback_query:
            await update.callback_query.answer(t("error.generic"), show_alert=True)
        elif update.message:
            await update.message.answer(t("error.generic"))
    except Exception:
        logger.warning("could not tell user %s about the error", user.id)
    return True


async def _set_commands(bot: Bot, i18n: I18n, settings: Settings) -> None:
    """The command menu in each language; clients pick it by their language_code."""
    for locale in SUPPORTED_LOCALES:
        t = Translator(i18n, locale)
        commands = [BotCommand(command=name, description=t(f"cmd.{name}")) for name in COMMANDS]
        await bot.set_my_commands(commands, language_code=locale)
        if locale == settings.default_locale:
            await bot.set_my_commands(commands)
