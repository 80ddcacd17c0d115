"""A Bot API session that is a terminal: what the bot sends is printed, nothing leaves the host.

Every method the handlers call lands in :class:`ConsoleSession`. Messages and edits are
printed with their buttons numbered, files are saved to a folder, callback answers show as
notices, and each call gets the reply Telegram would give (see ``bot.console.fake_telegram``),
so handlers run exactly as they do against Telegram.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    URLInputFile,
)

from bot.console.fake_telegram import (
    FakeTelegram,
    TelegramRejectionError,
    UnsupportedMethodError,
    rejection_reply,
    resolve_parse_mode,
)
from bot.console.render import html_to_terminal

if TYPE_CHECKING:
    from aiogram import Bot

    from bot.i18n import Translate

DEFAULT_FILES_DIR = Path("data/console-files")
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


BUTTON_PREFIX = "#"
"""``#2`` presses the second button; a bare number is always sent as text."""


@dataclass(frozen=True)
class Button:
    """One button as the console shows it; exactly one of the actions is set."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    sends_text: bool = False  # a reply-keyboard button: pressing it sends its text


@dataclass(frozen=True)
class Keyboard:
    """The buttons ``#N`` or a typed label press: the newest keyboard the bot showed."""

    chat_id: int
    message_id: int | None  # None for a reply keyboard, which belongs to the chat
    buttons: tuple[Button, ...]

    def find(self, typed: str) -> Button | None:
        """The button ``#N`` names, or the one whose label was typed (case aside)."""
        if typed.startswith(BUTTON_PREFIX) and typed[1:].isdigit():
            number = int(typed[1:])
            return self.buttons[number - 1] if 1 <= number <= len(self.buttons) else None
        wanted = typed.casefold()
        for button in self.buttons:
            if button.text.removeprefix("✅ ").strip().casefold() == wanted:
                return button
        return None


def keyboard_rows(markup: object) -> list[list[Button]]:
    """Rows of console buttons for an inline or reply keyboard; empty for anything else."""
    if isinstance(markup, InlineKeyboardMarkup):
        return [
            [Button(b.text, callback_data=b.callback_data, url=b.url) for b in row]
            for row in markup.inline_keyboard
        ]
    if isinstance(markup, ReplyKeyboardMarkup):
        return [[Button(b.text, sends_text=True) for b in row] for row in markup.keyboard]
    return []


class ConsoleScreen:
    """Writes the chat to a text stream; every word of its own comes from the locale."""

    def __init__(self, out: TextIO, translate: Translate, *, color: bool) -> None:
        self.out = out
        self.t = translate
        self.color = color

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def chrome(self, text: str) -> None:
        """A line of the console's own (labels, notices): dimmed on a colour terminal."""
        self.line(f"{_DIM}{text}{_RESET}" if self.color else text)

    def prompt(self) -> None:
        self.out.write(self.t("console.prompt"))
        self.out.flush()

    def message(
        self,
        text: str,
        rows: list[list[Button]],
        *,
        edited: bool = False,
        file: str | None = None,
    ) -> None:
        self.chrome(self.t("console.bot_edited" if edited else "console.bot"))
        if file is not None:
            self.chrome(self.t("console.file_saved", path=file))
        if text:
            self.line(text)
        number = 0
        for row in rows:
            cells = []
            for button in row:
                number += 1
                label = f"{button.text} ({button.url})" if button.url else button.text
                cells.append(f"[{BUTTON_PREFIX}{number}] {label}")
            self.line("  ".join(cells))

    def render(self, bot: Bot, text: str | None, parse_mode: object) -> str:
        if text is None:
            return ""
        if (resolve_parse_mode(bot, parse_mode) or "").upper() == "HTML":
            return html_to_terminal(text, color=self.color)
        return text


class ConsoleSession(BaseSession):
    """Answers every Bot API call locally and shows its effect on a :class:`ConsoleScreen`."""

    def __init__(
        self,
        screen: ConsoleScreen,
        *,
        files_dir: Path = DEFAULT_FILES_DIR,
        telegram: FakeTelegram | None = None,
    ) -> None:
        super().__init__()
        self.screen = screen
        self.files_dir = files_dir
        self.telegram = telegram or FakeTelegram()
        self.keyboard: Keyboard | None = None
        self.requests: list[TelegramMethod[Any]] = []
        self.saved_files: list[Path] = []

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - BaseSession's signature
    ) -> TelegramType:
        self.requests.append(method)
        t = self.screen.t
        try:
            result = self.telegram.reply(bot, method)
        except UnsupportedMethodError:
            self.screen.chrome(t("console.unsupported_method", method=method.__api_method__))
            raise TelegramBadRequest(
                method=method, message="Bad Request: method is not available in console mode"
            ) from None
        except TelegramRejectionError as rejection:
            self.screen.chrome(t("console.rejected", reason=rejection.description))
            self.check_response(bot, method, 400, self.json_dumps(rejection_reply(rejection)))
            raise  # check_response has raised TelegramBadRequest already
        await self._show(bot, method, result)
        response = self.check_response(
            bot, method, 200, self.json_dumps({"ok": True, "result": result})
        )
        return cast(TelegramType, response.result)

    async def close(self) -> None:
        """Nothing to close: there is no connection."""

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 - BaseSession's signature
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        # Downloads would reach the network, which console mode promises not to do.
        raise RuntimeError(f"console mode does not download files ({url})")
        yield b""  # pragma: no cover - makes this an async generator

    async def _show(self, bot: Bot, method: TelegramMethod[Any], result: Any) -> None:
        screen, t = self.screen, self.screen.t
        if isinstance(method, SendMessage):
            screen.message(screen.render(bot, method.text, method.parse_mode), self._rows(method))
            self._remember_keyboard(method.reply_markup, result)
        elif isinstance(method, SendDocument | SendPhoto):
            caption = screen.render(bot, method.caption, method.parse_mode)
            screen.message(caption, self._rows(method), file=await self._save(bot, method))
            self._remember_keyboard(method.reply_markup, result)
        elif isinstance(method, SendMediaGroup):
            # An album: each picture saved and shown as its own message, as clients list them.
            for item in method.media:
                caption = screen.render(bot, item.caption, item.parse_mode)
                screen.message(
                    caption, [], file=await self._save_file(bot, item.media, "photo.png")
                )
        elif isinstance(method, EditMessageText | EditMessageCaption | EditMessageReplyMarkup):
            self._show_edit(bot, method, result)
        elif isinstance(method, AnswerCallbackQuery):
            if method.text:
                key = "console.alert" if method.show_alert else "console.callback_notice"
                screen.chrome(t(key, text=method.text))
            if method.url:
                screen.chrome(t("console.opens_url", url=method.url))
        elif isinstance(method, DeleteMessage):
            screen.chrome(t("console.message_deleted"))
            if self.keyboard and self.keyboard.message_id == method.message_id:
                self.keyboard = None

    def _show_edit(
        self,
        bot: Bot,
        method: EditMessageText | EditMessageCaption | EditMessageReplyMarkup,
        result: Any,
    ) -> None:
        if isinstance(method, EditMessageText):
            text = self.screen.render(bot, method.text, method.parse_mode)
        elif isinstance(method, EditMessageCaption):
            text = self.screen.render(bot, method.caption, method.parse_mode)
        else:  # only the buttons changed: show the text Telegram keeps
            message = result if isinstance(result, dict) else {}
            text = str(message.get("text") or message.get("caption") or "")
        self.screen.message(text, keyboard_rows(method.reply_markup), edited=True)
        if isinstance(result, dict):
            self._remember_keyboard(method.reply_markup, result, edit=True)

    def _rows(self, method: SendMessage | SendDocument | SendPhoto) -> list[list[Button]]:
        return keyboard_rows(method.reply_markup)

    def _remember_keyboard(self, markup: object, result: Any, *, edit: bool = False) -> None:
        chat_id = int(result["chat"]["id"])
        message_id = int(result["message_id"])
        buttons = tuple(button for row in keyboard_rows(markup) for button in row)
        if buttons:
            inline = isinstance(markup, InlineKeyboardMarkup)
            self.keyboard = Keyboard(chat_id, message_id if inline else None, buttons)
        elif isinstance(markup, ReplyKeyboardRemove):
            if self.keyboard and self.keyboard.message_id is None:
                self.keyboard = None
        elif edit and self.keyboard and self.keyboard.message_id == message_id:
            self.keyboard = None  # the edit took this message's buttons away

    async def _save(self, bot: Bot, method: SendDocument | SendPhoto) -> str:
        file = method.document if isinstance(method, SendDocument) else method.photo
        fallback = "document.bin" if isinstance(method, SendDocument) else "photo.jpg"
        return await self._save_file(bot, file, fallback)

    async def _save_file(self, bot: Bot, file: InputFile | str, fallback: str) -> str:
        if isinstance(file, URLInputFile):
            return file.url
        if not isinstance(file, InputFile):
            return file  # a file_id or a URL: there are no bytes to save
        data = b"".join([chunk async for chunk in file.read(bot)])
        path = await asyncio.to_thread(
            _write_unique, self.files_dir, file.filename or fallback, data
        )
        self.saved_files.append(path)
        return str(path)


def _write_unique(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` under ``name`` (its last part only) without replacing an earlier file."""
    folder.mkdir(parents=True, exist_ok=True)
    base = Path(Path(name).name or "file")
    path, counter = folder / base, 1
    while True:
        try:
            with path.open("xb") as file:  # "x": never overwrite, even if two saves race
                file.write(data)
        except FileExistsError:
            path = folder / f"{base.stem}-{counter}{base.suffix}"
            counter += 1
        else:
            return path
