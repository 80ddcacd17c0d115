"""Console mode driven by scripted input against a small dispatcher."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.base import BaseSession
from aiogram.filters import CommandStart
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.console.render import TelegramHTMLError, html_to_entities, html_to_terminal
from bot.console.run import (
    CONSOLE_TOKEN,
    ConsoleUser,
    console_user,
    default_bot_factory,
    language_from_environ,
    run_console,
)
from bot.console.session import ConsoleSession
from bot.i18n import Translator, create_i18n
from tests.mocked_bot import build_toy_dispatcher

RU = Translator(create_i18n(), "ru")
EN = Translator(create_i18n(), "en")


class Run:
    """One console run: its transcript, and the session it talked to."""

    def __init__(self, output: str, session: ConsoleSession) -> None:
        self.output = output
        self.session = session
        self.lines = output.splitlines()


async def chat(
    script: str,
    tmp_path: Path,
    dispatcher: Dispatcher | None = None,
    **kwargs: Any,
) -> Run:
    sessions: list[ConsoleSession] = []

    def factory(session: BaseSession) -> Bot:
        assert isinstance(session, ConsoleSession)
        sessions.append(session)
        return default_bot_factory(session)

    out = io.StringIO()
    kwargs.setdefault("translate", RU)
    await run_console(
        dispatcher or build_toy_dispatcher(),
        factory,
        io.StringIO(script),
        out,
        files_dir=tmp_path / "files",
        **kwargs,
    )
    return Run(out.getvalue(), sessions[0])


def after(lines: list[str], marker: str) -> list[str]:
    """The lines printed after the first line equal to ``marker``."""
    return lines[lines.index(marker) + 1 :]


async def test_start_shows_the_text_and_numbered_buttons(tmp_path: Path) -> None:
    run = await chat("/start\n", tmp_path)

    assert after(run.lines, "вы> /start")[:4] == [
        "бот:",
        "Привет! Библиотека & сайт (https://example.org/). Идём?",
        "[#1] Да  [#2] Нет",
        "[#3] Сайт (https://example.org/)",
    ]
    assert run.lines[0] == RU("console.welcome_buttons")
    assert "\x1b[" not in run.output  # not a terminal: no colour codes
    start = run.session.requests[-1]
    assert isinstance(start, SendMessage)
    assert start.text.startswith("<b>Привет</b>")


async def test_a_prefixed_number_presses_the_button_and_the_edit_is_printed(
    tmp_path: Path,
) -> None:
    run = await chat("/start\n#1\n", tmp_path)

    assert after(run.lines, "вы> #1")[:3] == [
        "бот (сообщение изменено):",
        "Вы ответили: да",
        "уведомление: Принято",
    ]
    edit, answer = run.session.requests[-2:]
    sent = run.session.telegram.message(1, 2)  # 1 is the user's /start
    assert isinstance(edit, EditMessageText)
    assert (edit.chat_id, edit.message_id) == (1, 2)  # the message that had the buttons
    assert sent is not None
    assert sent["text"] == "Вы ответили: да"
    assert isinstance(answer, AnswerCallbackQuery)
    assert answer.text == "Принято"
    assert run.session.keyboard is None  # the edit removed the buttons


async def test_a_typed_number_is_text_and_a_label_presses_its_button(tmp_path: Path) -> None:
    run = await chat("/start\n2\n#7\n\\#2\nнет\n", tmp_path)

    # "2" answers a question that wants a number: it is never taken for button 2.
    assert after(run.lines, "вы> 2")[:2] == ["бот:", "Эхо: 2"]
    assert after(run.lines, "вы> #7")[:2] == ["бот:", "Эхо: #7"]  # only three buttons
    assert after(run.lines, "вы> \\#2")[:2] == ["бот:", "Эхо: #2"]  # backslash: literal
    assert after(run.lines, "вы> нет")[:2] == ["бот (сообщение изменено):", "Вы ответили: нет"]


async def test_a_link_button_shows_its_address(tmp_path: Path) -> None:
    run = await chat("/start\n#3\n", tmp_path)

    assert after(run.lines, "вы> #3")[0] == "кнопка открывает ссылку: https://example.org/"
    assert not any(isinstance(r, AnswerCallbackQuery) for r in run.session.requests)


async def test_documents_and_photos_are_saved_to_the_folder(tmp_path: Path) -> None:
    run = await chat("/doc\n/doc\n/photo\n", tmp_path)

    folder = tmp_path / "files"
    assert (folder / "plan.txt").read_bytes() == b"plan\n"
    assert (folder / "plan-1.txt").read_bytes() == b"plan\n"  # never overwritten
    assert (folder / "chart.png").exists()
    assert run.session.saved_files == [
        folder / "plan.txt",
        folder / "plan-1.txt",
        folder / "chart.png",
    ]
    assert after(run.lines, "вы> /doc")[:3] == ["бот:", f"файл: {folder / 'plan.txt'}", "План"]


async def test_state_carries_over_between_lines(tmp_path: Path) -> None:
    run = await chat("/name\nАнна\n", tmp_path)

    assert after(run.lines, "вы> Анна")[:2] == ["бот:", "Приятно познакомиться, Анна!"]


async def test_end_of_input_runs_shutdown_and_says_goodbye(tmp_path: Path) -> None:
    dispatcher = build_toy_dispatcher()
    hooks: list[str] = []

    async def on_startup(bot: Bot) -> None:
        hooks.append(f"startup {bot.id}")

    async def on_shutdown() -> None:
        hooks.append("shutdown")

    dispatcher.startup.register(on_startup)
    dispatcher.shutdown.register(on_shutdown)
    run = await chat("", tmp_path, dispatcher)

    assert hooks == ["startup 1000000001", "shutdown"]
    assert run.lines == [RU("console.welcome_buttons"), RU("console.bye")]


async def test_a_failing_handler_is_reported_and_the_chat_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    run = await chat("/fail\nещё\n", tmp_path)

    assert after(run.lines, "вы> /fail")[0] == RU("console.error")
    assert after(run.lines, "вы> ещё")[:2] == ["бот:", "Эхо: ещё"]
    assert "toy handler failed" in caplog.text


async def test_unhandled_input_and_unsupported_methods_say_so(tmp_path: Path) -> None:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message, bot: Bot) -> None:
        await bot.get_chat(message.chat.id)  # nothing believable to answer with

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    run = await chat("hello\n/start\n", tmp_path, dispatcher)

    assert after(run.lines, "вы> hello")[0] == RU("console.unhandled")
    assert after(run.lines, "вы> /start")[:2] == [
        RU("console.unsupported_method", method="getChat"),
        RU("console.error"),
    ]


async def test_reply_keyboards_send_the_button_text(tmp_path: Path) -> None:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        keyboard = ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="Вологда"), KeyboardButton(text="Тула")]]
        )
        await message.answer("Город?", reply_markup=keyboard)

    @router.message()
    async def city(message: Message) -> None:
        await message.answer(f"Город: {message.text}", reply_markup=ReplyKeyboardRemove())

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    run = await chat("/start\n#2\n#1\n", tmp_path, dispatcher)

    assert after(run.lines, "вы> /start")[:3] == ["бот:", "Город?", "[#1] Вологда  [#2] Тула"]
    assert after(run.lines, "вы> #2")[:2] == ["бот:", "Город: Тула"]
    assert after(run.lines, "вы> #1")[:2] == ["бот:", "Город: #1"]  # the keyboard was removed


async def test_callback_alerts_and_deletions_are_notices(tmp_path: Path) -> None:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("?", reply_markup=_one_button("go"))

    @router.callback_query()
    async def pressed(callback: CallbackQuery) -> None:
        await callback.answer("Нельзя", show_alert=True)
        if isinstance(callback.message, Message):
            await callback.message.delete()

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    run = await chat("/start\n#1\n#1\n", tmp_path, dispatcher)

    assert after(run.lines, "вы> #1")[:3] == [
        "окно с сообщением: Нельзя",
        "бот удалил сообщение",
        "вы> #1",  # the buttons went with the message, so "#1" is now text
    ]
    assert RU("console.unhandled") in after(run.lines, "вы> #1")[2:]


async def test_english_chrome_and_colour(tmp_path: Path) -> None:
    run = await chat("/start\n", tmp_path, translate=EN, color=True)

    assert "you> /start" in run.lines
    assert "\x1b[1mПривет\x1b[0m! Библиотека & сайт (https://example.org/). Идём?" in run.lines
    assert run.output.count("\x1b[2mbot:\x1b[0m") == 1


async def test_the_user_is_fixed_and_speaks_the_chosen_language(tmp_path: Path) -> None:
    seen: list[tuple[int, str, str | None]] = []
    router = Router()

    @router.message()
    async def remember(message: Message) -> None:
        assert message.from_user is not None
        user = message.from_user
        seen.append((user.id, user.first_name, user.language_code))

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    await chat("hi\n", tmp_path, dispatcher, user=ConsoleUser(first_name="Анна"))
    await chat("hi\n", tmp_path, dispatcher, language_code="en")

    assert seen[0] == (1, "Анна", None)
    assert seen[1][0] == 1
    assert seen[1][2] == "en"


async def test_piped_real_stdin_is_read_to_the_end(tmp_path: Path) -> None:
    read_fd, write_fd = os.pipe()
    with os.fdopen(write_fd, "w", encoding="utf-8") as writer:
        writer.write("/start\n#1\n")
    out = io.StringIO()
    with os.fdopen(read_fd, encoding="utf-8") as stdin:
        await run_console(build_toy_dispatcher(), stdin=stdin, stdout=out, translate=RU)

    lines = out.getvalue().splitlines()
    assert after(lines, "вы> #1")[:2] == ["бот (сообщение изменено):", "Вы ответили: да"]
    assert lines[-1] == RU("console.bye")


async def test_a_bot_factory_must_use_the_console_session(tmp_path: Path) -> None:
    def networked(session: BaseSession) -> Bot:
        return Bot(CONSOLE_TOKEN)

    with pytest.raises(ValueError, match="session"):
        await run_console(Dispatcher(), networked, io.StringIO(""), io.StringIO(), translate=RU)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "de_DE@euro"}, "de"),
        ({"LANG": "C.UTF-8"}, None),
        ({}, None),
    ],
)
def test_language_from_environ(environ: dict[str, str], expected: str | None) -> None:
    assert language_from_environ(environ) == expected


def test_console_user_from_environ() -> None:
    user = console_user({"USER": "olga", "LANG": "en_US.UTF-8"})
    assert (user.id, user.first_name, user.language_code) == (1, "olga", "en")
    assert console_user({}, language_code="ru").language_code == "ru"


def test_html_to_entities_counts_in_utf16_and_nests() -> None:
    text, entities = html_to_entities('😀 <b>a <i>b</i></b> <a href="https://x.org">x</a> &lt;')
    assert text == "😀 a b x <"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 3},
        {"type": "italic", "offset": 5, "length": 1},
        {"type": "text_link", "offset": 7, "length": 1, "url": "https://x.org"},
    ]


@pytest.mark.parametrize(
    ("html", "plain"),
    [
        ("<b>жирный</b> и <unknown>тег</unknown>", "жирный и тег"),
        ('<a href="https://x.org">https://x.org</a>', "https://x.org"),
        ('<span class="tg-spoiler">тайна</span> <code>a&amp;b</code>', "тайна a&b"),
        ("<b>не закрыт", "не закрыт"),
        ("1 &lt; 2 &#38; &amp;lt; &quot;", '1 < 2 & &lt; "'),
    ],
)
def test_html_to_terminal_plain(html: str, plain: str) -> None:
    assert html_to_terminal(html, color=False) == plain


def test_html_to_terminal_reopens_outer_styles() -> None:
    coloured = html_to_terminal("<i>a <b>b</b> c</i>", color=True)
    assert coloured == "\x1b[3ma \x1b[1mb\x1b[0m\x1b[3m c\x1b[0m"
    assert re.sub(r"\x1b\[\d+m", "", coloured) == "a b c"


def _one_button(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Жми", callback_data=data)]]
    )


async def test_what_telegram_would_refuse_is_shown(tmp_path: Path) -> None:
    router = Router()

    @router.message()
    async def careless(message: Message) -> None:
        await message.answer(f"Эхо: {message.text}")  # no html.escape

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    run = await chat("<спасибо>\n", tmp_path, dispatcher)

    assert after(run.lines, "вы> <спасибо>")[:2] == [
        RU(
            "console.rejected",
            reason='Bad Request: can\'t parse entities: Unsupported start tag "спасибо"',
        ),
        RU("console.error"),
    ]


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("a <br> b", 'Unsupported start tag "br"'),
        ("<b>a</i>", 'Unexpected end tag "i"'),
        ("<i>a", 'end tag corresponding to start tag "i"'),
        ("1 < 2", "Empty tag name"),
        ("Эхо: <спасибо>", 'Unsupported start tag "спасибо"'),
    ],
)
def test_html_telegram_cannot_parse(html: str, problem: str) -> None:
    with pytest.raises(TelegramHTMLError, match=problem):
        html_to_entities(html)
