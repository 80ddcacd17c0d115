"""Settings from the environment, and the command menu set per language at start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from aiogram import Dispatcher
from aiogram.methods import SetMyCommands
from pydantic import ValidationError

from bot.config import Settings
from tests.mocked_bot import MockedBot

ROOT = Path(__file__).resolve().parents[2]


def test_settings_parse_admin_ids_and_defaults(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, admin_ids="1, 2 3", bot_token="123456:" + "A" * 35)
    assert settings.admin_ids == frozenset({1, 2, 3})
    assert settings.default_locale == "ru"
    assert settings.database_path == Path("data/bot.sqlite3")


def test_malformed_token_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, bot_token="not-a-token")


def test_bad_token_gives_one_clear_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env={"BOT_TOKEN": "oops", "DATABASE_PATH": str(tmp_path / "x.sqlite3"), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Configuration error: BOT_TOKEN: Value error, BOT_TOKEN does not look like a token "
        "from @BotFather (123456:ABC…)"
    ]
    assert "oops" not in result.stderr


async def test_command_menu_in_both_languages(dispatcher: Dispatcher, bot: MockedBot) -> None:
    await dispatcher.emit_startup(bot=bot, **dispatcher.workflow_data)
    # The default menus (readers'); staff and admins get theirs per chat.
    calls = [r for r in bot.session.requests if isinstance(r, SetMyCommands) and r.scope is None]
    by_language = {
        call.language_code: {c.command: c.description for c in call.commands} for call in calls
    }
    assert by_language["ru"]["start"] == "Начать или продолжить"
    assert by_language["en"]["start"] == "Start or continue"
    assert by_language[None] == by_language["ru"]  # default locale for everyone else
