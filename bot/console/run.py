"""Console mode: chat with the bot in a terminal, with no token and no network.

The very same dispatcher, handlers and storage run; only the Bot's session is swapped for a
:class:`~bot.console.session.ConsoleSession`. The person at the keyboard is a fixed fake
user. A typed line is a message; a number presses a button of the newest keyboard; a line
starting with a backslash is sent as it stands (for numbers that are answers). Input may be
piped, so a script of lines drives the bot the same way a person does.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import logging
import os
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.enums import ParseMode
from aiogram.types import Update

from bot.console.fake_telegram import FakeTelegram
from bot.console.session import DEFAULT_FILES_DIR, Button, ConsoleScreen, ConsoleSession
from bot.i18n import Translate, Translator, create_i18n, pick_locale

__all__ = [
    "CONSOLE_TOKEN",
    "ConsoleUser",
    "console_user",
    "default_bot_factory",
    "language_from_environ",
    "run_console",
]

logger = logging.getLogger(__name__)

CONSOLE_TOKEN = "1000000001:console-mode-has-no-token-and-no-network"
"""Shaped like a real token (so settings validation accepts it); it never leaves the process.
Fixed, so FSM state keyed by the bot id survives from one console run to the next."""
LITERAL_PREFIX = "\\"

BotFactory = Callable[[BaseSession], Bot]


@dataclass(frozen=True)
class ConsoleUser:
    """The fake Telegram user at the keyboard; the chat is the private chat with the bot."""

    id: int = 1
    first_name: str = "Console"
    language_code: str | None = None
    username: str | None = None

    def as_json(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            user["language_code"] = self.language_code
        if self.username:
            user["username"] = self.username
        return user


def language_from_environ(environ: Mapping[str, str]) -> str | None:
    """Telegram-style ``language_code`` from the POSIX locale: "ru_RU.UTF-8" -> "ru"."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        language = value.split(".")[0].split("@")[0].split("_")[0].lower()
        if language and language not in {"c", "posix"}:
            return language
    return None


def console_user(
    environ: Mapping[str, str] | None = None, *, language_code: str | None = None
) -> ConsoleUser:
    """User 1, named after ``$USER``, speaking ``language_code`` or the ``$LANG`` language."""
    environ = os.environ if environ is None else environ
    return ConsoleUser(
        first_name=environ.get("USER") or ConsoleUser.first_name,
        language_code=language_code or language_from_environ(environ),
    )


def default_bot_factory(session: BaseSession) -> Bot:
    """A Bot like production's (HTML by default) on the console session."""
    return Bot(
        CONSOLE_TOKEN, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML)
    )


async def run_console(
    dispatcher: Dispatcher,
    bot_factory: BotFactory = default_bot_factory,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    *,
    user: ConsoleUser | None = None,
    language_code: str | None = None,
    translate: Translate | None = None,
    files_dir: Path = DEFAULT_FILES_DIR,
    color: bool | None = None,
    **kwargs: Any,
) -> None:
    """Chat with ``dispatcher`` on ``stdin``/``stdout`` until end of input (Ctrl-D).

    ``bot_factory`` gets the console session and must build the Bot on it (the production
    ``create_bot(settings, session=...)`` fits). Startup and shutdown hooks run as in polling;
    ``kwargs`` reach handlers as contextual data, like ``start_polling(**kwargs)``.
    """
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    user = user or console_user(language_code=language_code)
    if language_code and user.language_code != language_code:
        user = ConsoleUser(user.id, user.first_name, language_code, user.username)
    if translate is None:
        translate = Translator(create_i18n(), pick_locale(user.language_code, "ru"))
    if color is None:
        color = _isatty(stdout) and "NO_COLOR" not in os.environ

    screen = ConsoleScreen(stdout, translate, color=color)
    session = ConsoleSession(screen, files_dir=files_dir, telegram=FakeTelegram())
    bot = bot_factory(session)
    if bot.session is not session:
        raise ValueError("bot_factory must build the Bot on the session it is given")
    chat = _Chat(dispatcher, bot, session, user, kwargs)

    screen.chrome(translate("console.welcome_buttons"))
    workflow_data = {"dispatcher": dispatcher, "bots": (bot,), **dispatcher.workflow_data}
    await dispatcher.emit_startup(bot=bot, **workflow_data, **kwargs)
    interactive = _isatty(stdin)
    try:
        async for line in _lines(stdin, before_each=screen.prompt if interactive else None):
            if not interactive:  # echo piped input, so that the transcript reads as a chat
                screen.line(translate("console.prompt") + line.rstrip("\r\n"))
            await chat.handle(line)
    finally:
        try:
            await dispatcher.emit_shutdown(bot=bot, **workflow_data, **kwargs)
        finally:
            await bot.session.close()
        if interactive:
            screen.line()
        screen.chrome(translate("console.bye"))


class _Chat:
    """Turns typed lines into updates and feeds them to the dispatcher one at a time."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        session: ConsoleSession,
        user: ConsoleUser,
        data: dict[str, Any],
    ) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.session = session
        self.user = user
        self.data = data
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    async def handle(self, line: str) -> None:
        text = line.strip()
        if not text:
            return
        if text.startswith(LITERAL_PREFIX):
            await self.send_text(text.removeprefix(LITERAL_PREFIX))
            return
        keyboard = self.session.keyboard
        button = keyboard.find(text) if keyboard else None
        if keyboard and button is not None:
            await self.press(button, keyboard.message_id)
            return
        # Anything else is an answer: "1" to "how many staff?" is the number 1, not button 1.
        await self.send_text(text)

    async def send_text(self, text: str) -> None:
        chat = {"id": self.user.id, "type": "private", "first_name": self.user.first_name}
        message: dict[str, Any] = {
            "message_id": self.session.telegram.next_message_id(self.user.id),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user.as_json(),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        await self.feed({"message": message})

    async def press(self, button: Button, message_id: int | None) -> None:
        t = self.session.screen.t
        if button.sends_text:
            await self.send_text(button.text)
        elif button.url:
            self.session.screen.chrome(t("console.opens_url", url=button.url))
        elif button.callback_data is not None and message_id is not None:
            message = self.session.telegram.message(self.user.id, message_id)
            callback: dict[str, Any] = {
                "id": str(next(self._callback_ids)),
                "from": self.user.as_json(),
                "chat_instance": f"console-{self.user.id}",
                "data": button.callback_data,
            }
            if message is not None:
                callback["message"] = message
            await self.feed({"callback_query": callback})
        else:
            self.session.screen.chrome(t("console.unsupported_button"))

    async def feed(self, event: dict[str, Any]) -> None:
        update = Update.model_validate(
            {"update_id": next(self._update_ids), **event}, context={"bot": self.bot}
        )
        try:
            result = await self.dispatcher.feed_update(
                self.bot, update, bots=(self.bot,), **self.data
            )
        except Exception:
            # Polling logs a failing update and goes on; so does the console, out loud.
            logger.exception("Update %d failed", update.update_id)
            self.session.screen.chrome(self.session.screen.t("console.error"))
            return
        if result is UNHANDLED:
            self.session.screen.chrome(self.session.screen.t("console.unhandled"))


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _has_fileno(stream: TextIO) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return False
    return True


async def _lines(
    stream: TextIO, *, before_each: Callable[[], None] | None = None
) -> AsyncIterator[str]:
    """Lines of ``stream`` until end of input, read without blocking the event loop.

    A real stream is read by a daemon thread so that a blocked ``readline`` neither stalls
    the bot nor keeps the process alive after Ctrl-C; an in-memory one is read directly.
    """
    if not _has_fileno(stream):
        while True:
            if before_each:
                before_each()
            line = stream.readline()
            if not line:
                return
            yield line
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str] = asyncio.Queue()
    wanted = threading.Semaphore(0)

    def pump() -> None:
        try:
            while wanted.acquire():
                line = stream.readline()
                loop.call_soon_threadsafe(queue.put_nowait, line)
                if not line:
                    return
        except RuntimeError:  # the loop closed while we were waiting for a line
            return

    threading.Thread(target=pump, name="console-stdin", daemon=True).start()
    while True:
        if before_each:
            before_each()
        wanted.release()  # read one line at a time so the prompt comes before the input
        line = await queue.get()
        if not line:
            return
        yield line
