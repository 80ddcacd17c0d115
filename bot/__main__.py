"""Entry point: ``python -m bot`` (polling, or the console when no token is set),
``python -m bot console`` (offline chat in the terminal)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiosqlite
from aiogram import Dispatcher
from aiogram.utils.i18n import I18n
from pydantic import ValidationError

from bot.config import Settings
from bot.db.connection import open_database
from bot.db.repositories import Repositories
from bot.factory import create_bot, create_dispatcher
from bot.i18n import create_i18n
from bot.storage import SQLiteStorage

logger = logging.getLogger("bot")


@dataclass
class App:
    db: aiosqlite.Connection
    i18n: I18n
    dispatcher: Dispatcher


@asynccontextmanager
async def open_app(settings: Settings) -> AsyncIterator[App]:
    db = await open_database(settings.database_path)
    try:
        i18n = create_i18n(settings.default_locale)
        dispatcher = create_dispatcher(
            repo=Repositories(db), storage=SQLiteStorage(db), i18n=i18n, settings=settings
        )
        yield App(db, i18n, dispatcher)
    finally:
        await db.close()


async def run_polling(settings: Settings) -> None:
    assert settings.bot_token is not None
    bot = create_bot(settings.bot_token.get_secret_value(), api_url=settings.telegram_api_url)
    async with open_app(settings) as app:
        try:
            await bot.delete_webhook(drop_pending_updates=False)
            await app.dispatcher.start_polling(
                bot, allowed_updates=app.dispatcher.resolve_used_update_types()
            )
        finally:
            await bot.session.close()


async def run_console_mode(settings: Settings) -> None:
    from bot.console import run_console  # noqa: PLC0415 - only this mode needs it

    async with open_app(settings) as app:
        await run_console(app.dispatcher)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        # One clear line per problem, never a traceback (and never the token itself).
        for problem in error.errors():
            field = ".".join(str(part) for part in problem["loc"]).upper()
            print(f"Configuration error: {field}: {problem['msg']}", file=sys.stderr)
        raise SystemExit(2) from None


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Library SMM strategy bot")
    parser.add_argument(
        "mode",
        nargs="?",
        choices=("auto", "polling", "console"),
        default="auto",
        help="auto: polling with BOT_TOKEN, otherwise the offline console chat",
    )
    args = parser.parse_args(argv)
    settings = load_settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    mode = args.mode
    if mode == "auto":
        mode = "polling" if settings.bot_token else "console"
    if mode == "polling" and settings.bot_token is None:
        print(
            "Configuration error: BOT_TOKEN is not set (or run: python -m bot console)",
            file=sys.stderr,
        )
        raise SystemExit(2)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_polling(settings) if mode == "polling" else run_console_mode(settings))


if __name__ == "__main__":
    run()
