"""Entry point: ``python -m bot [auto|serve|polling|webhook|console] [--lang ru|en]``.

auto     BOT_TOKEN set: serve; otherwise the offline console chat
serve    webhook when WEBHOOK_URL is set, else polling (the Docker image runs this)
polling  long polling
webhook  HTTP server for Telegram's POSTs (WEBHOOK_URL and WEBHOOK_SECRET required)
console  chat with the bot in this terminal, on data/console.sqlite3, no network
backup [PATH]   a consistent copy of the database, also while the bot runs
                (default: BACKUP_DIR, else data/backups/, with a time-stamped name)
restore PATH    replace the database with a backup; refused while a bot has it open
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sqlite3
import sys
from pathlib import Path
from typing import NoReturn

from aiogram.exceptions import TelegramUnauthorizedError
from pydantic import ValidationError

from bot import app
from bot.config import Settings
from bot.db.backup import DatabaseInUse, backup_file, restore_file, stamped_name
from bot.db.connection import DatabaseTooNew, DatabaseUnavailable, latest_version
from bot.logging_setup import LogFormat, setup_logging

MODES = ("auto", "serve", "polling", "webhook", "console", "backup", "restore")


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        # One clear line per problem, never a traceback (and never the token itself).
        for problem in error.errors():
            field = ".".join(str(part) for part in problem["loc"]).upper()
            print(f"Configuration error: {field}: {problem['msg']}", file=sys.stderr)
        raise SystemExit(2) from None


def resolve_mode(mode: str, settings: Settings) -> str:
    """The concrete mode (polling, webhook or console) for what was asked."""
    if mode == "auto":
        mode = "serve" if settings.bot_token else "console"
    if mode == "serve":
        mode = "webhook" if settings.webhook_url else "polling"
    return mode


def missing_settings(mode: str, settings: Settings) -> list[str]:
    """Names of the settings ``mode`` cannot run without."""
    missing = []
    if mode in ("polling", "webhook") and settings.bot_token is None:
        missing.append("BOT_TOKEN")
    if mode == "webhook":
        if not settings.webhook_url:
            missing.append("WEBHOOK_URL")
        if settings.webhook_secret is None:
            missing.append("WEBHOOK_SECRET")
    return missing


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Library SMM strategy bot")
    parser.add_argument(
        "mode",
        nargs="?",
        choices=MODES,
        default="auto",
        help="auto: with BOT_TOKEN serve Telegram (webhook if WEBHOOK_URL is set, else "
        "polling), without it the offline console chat",
    )
    parser.add_argument(
        "path", nargs="?", type=Path, default=None, help="backup: where to write; restore: what"
    )
    parser.add_argument(
        "--lang", choices=("ru", "en"), default=None, help="console language (default: $LANG)"
    )
    return parser.parse_args(argv)


def fail(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(2)


POSTGRES_BACKUP_HINT = (
    "DATABASE_URL is PostgreSQL: back it up with its own tools, e.g. "
    'pg_dump --format=custom --file=bot.dump "$DATABASE_URL" '
    '(restore: pg_restore --clean --dbname="$DATABASE_URL" bot.dump)'
)


def backup(settings: Settings, path: Path | None) -> Path:
    if settings.database_url:
        fail(POSTGRES_BACKUP_HINT)
    database = settings.database_path
    if not database.exists():
        fail(f"Backup error: there is no database at {database}")
    if path is None or path.is_dir():
        folder = path or settings.backup_dir or database.parent / "backups"
        path = folder / stamped_name(database.stem)
    try:
        return backup_file(database, path)
    except (sqlite3.Error, OSError) as error:
        fail(f"Backup error: {error}")


def restore(settings: Settings, path: Path | None) -> Path | None:
    if settings.database_url:
        fail(POSTGRES_BACKUP_HINT)
    if path is None:
        fail("Restore error: name the backup file: python -m bot restore PATH")
    if not path.is_file():
        fail(f"Restore error: there is no file at {path}")
    try:
        return restore_file(path, settings.database_path, known_version=latest_version())
    except DatabaseInUse:
        fail(f"Restore refused: a running bot has {settings.database_path} open; stop it first")
    except (sqlite3.Error, OSError) as error:
        fail(f"Restore refused: {error}")


def run(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    settings = load_settings()
    if args.mode == "backup":
        print(f"Backup written: {backup(settings, args.path)}")
        return
    if args.mode == "restore":
        kept = restore(settings, args.path)
        print(f"Restored {settings.database_path} from {args.path}")
        if kept is not None:
            print(f"The database it replaced is kept as {kept}")
        return
    mode = resolve_mode(args.mode, settings)
    missing = missing_settings(mode, settings)
    if missing:
        hint = " (or run: python -m bot console)" if "BOT_TOKEN" in missing else ""
        print(
            f"Configuration error: {mode} mode needs {', '.join(missing)}{hint}",
            file=sys.stderr,
        )
        raise SystemExit(2)
    fmt: LogFormat = "json" if settings.log_format == "json" else "kv"
    if mode == "console":
        # The terminal is the chat: an error there is one line from the bot, and the
        # details (tracebacks included) go to data/console.log. LOG_LEVEL=DEBUG also
        # prints them in the terminal.
        log_path = app.console_log_path(settings)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_file = log_path.open("a", encoding="utf-8")  # open for the whole run
        setup_logging(settings.log_level, fmt=fmt, stream=log_file)
        if settings.log_level == "DEBUG":
            setup_logging("DEBUG", fmt=fmt, also=sys.stderr)
    else:
        setup_logging(settings.log_level, fmt=fmt)
    if mode == "console":
        runner = app.run_console_mode(settings, language_code=args.lang)
    elif mode == "webhook":
        runner = app.run_webhook(settings)
    else:
        runner = app.run_polling(settings)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(runner)
    except TelegramUnauthorizedError:
        print("Configuration error: Telegram does not accept BOT_TOKEN", file=sys.stderr)
        raise SystemExit(2) from None
    except DatabaseTooNew as error:
        print(f"Database error: {error}", file=sys.stderr)
        raise SystemExit(3) from None
    except DatabaseUnavailable as error:
        print(f"Database error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    run()
