"""The test harness itself: recording, FIFO queues, failures, default replies, helpers."""

from __future__ import annotations

import pytest
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.fsm.storage.base import StorageKey
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    DeleteWebhook,
    EditMessageReplyMarkup,
    EditMessageText,
    GetChat,
    GetMe,
    SendChatAction,
    SendDocument,
    SendMessage,
    SetMyCommands,
)
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from tests.mocked_bot import (
    USER_ID,
    MockedBot,
    ToyForm,
    build_toy_dispatcher,
    buttons,
    click,
    last_markup,
    last_message,
    make_callback,
    make_message,
    sent_texts,
    to_update,
)

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="Да", callback_data="yes")]]
)


async def test_send_message_gets_a_message_in_that_chat_with_growing_ids() -> None:
    bot = MockedBot()
    first = await bot.send_message(7, "<b>Привет</b> &amp; всё", reply_markup=KEYBOARD)
    second = await bot.send_message(8, "второе")
    third = await bot.send_message(7, "третье")

    assert (first.chat.id, first.message_id) == (7, 1)
    assert (second.chat.id, second.message_id) == (8, 1)
    assert third.message_id == 2
    # Telegram stores plain text plus entities; html_text gives the markup back.
    assert first.text == "Привет & всё"
    assert first.html_text == "<b>Привет</b> &amp; всё"
    assert buttons(first.reply_markup) == [("Да", "yes")]
    assert first.from_user is not None
    assert first.from_user.id == bot.id
    assert first.bot is bot  # results are mounted, so first.edit_text(...) works
    assert [type(r) for r in bot.session.requests] == [SendMessage] * 3


async def test_results_are_queued_first_in_first_out_per_method() -> None:
    bot = MockedBot()
    bot.add_result_for(SendMessage, result=make_message("one", message_id=501))
    bot.session.add_result_for(SendMessage, result=make_message("two", message_id=502))
    bot.add_result_for(AnswerCallbackQuery, result=False)

    assert (await bot.send_message(USER_ID, "a")).message_id == 501
    assert await bot.answer_callback_query("1") is False
    assert (await bot.send_message(USER_ID, "b")).message_id == 502
    assert (await bot.send_message(USER_ID, "c")).message_id == 1  # the queue ran dry


async def test_fail_next_raises_once_then_defaults_resume() -> None:
    bot = MockedBot()
    bot.session.fail_next(SendMessage, TelegramForbiddenError)
    bot.session.fail_next(DeleteMessage, RuntimeError("boom"))

    with pytest.raises(TelegramForbiddenError) as raised:
        await bot.send_message(USER_ID, "a")
    assert isinstance(raised.value.method, SendMessage)
    assert "blocked" in raised.value.message
    with pytest.raises(RuntimeError, match="boom"):
        await bot.delete_message(USER_ID, 1)
    assert (await bot.send_message(USER_ID, "b")).text == "b"
    assert len(bot.session.requests) == 3  # failed calls are recorded too


async def test_error_replies_become_aiogram_exceptions() -> None:
    bot = MockedBot()
    bot.add_result_for(
        SendMessage, ok=False, error_code=403, description="Forbidden: bot was blocked"
    )
    bot.add_result_for(
        SendMessage, ok=False, error_code=429, description="Too Many", retry_after=3
    )
    bot.add_result_for(
        EditMessageText, ok=False, description="Bad Request: message is not modified"
    )

    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(USER_ID, "a")
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(USER_ID, "b")
    assert retry.value.retry_after == 3
    with pytest.raises(TelegramBadRequest, match="not modified"):
        await bot.edit_message_text("x", chat_id=USER_ID, message_id=1)


async def test_default_replies_of_service_methods() -> None:
    bot = MockedBot()
    assert await bot.answer_callback_query("1", text="ok") is True
    assert await bot.set_my_commands([]) is True
    assert await bot.delete_webhook() is True
    assert await bot.send_chat_action(USER_ID, "typing") is True
    assert await bot.delete_message(USER_ID, 1) is True
    me = await bot.get_me()
    assert (me.username, me.is_bot, me.id) == ("library_smm_bot", True, 42)
    assert [type(r) for r in bot.session.requests] == [
        AnswerCallbackQuery,
        SetMyCommands,
        DeleteWebhook,
        SendChatAction,
        DeleteMessage,
        GetMe,
    ]
    assert (await bot.me()).username == "library_smm_bot"  # cached: no request
    assert len(bot.session.requests) == 6


async def test_edits_keep_what_they_do_not_change() -> None:
    bot = MockedBot()
    sent = await bot.send_message(USER_ID, "<i>текст</i>", reply_markup=KEYBOARD)
    other = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Ещё", callback_data="more")]]
    )

    marked = await bot.edit_message_reply_markup(
        chat_id=USER_ID, message_id=sent.message_id, reply_markup=other
    )
    assert isinstance(marked, Message)
    assert (marked.message_id, marked.text) == (sent.message_id, "текст")
    assert buttons(marked.reply_markup) == [("Ещё", "more")]
    assert marked.html_text == "<i>текст</i>"

    edited = await bot.edit_message_text("новый", chat_id=USER_ID, message_id=sent.message_id)
    assert isinstance(edited, Message)
    assert (edited.text, edited.reply_markup) == ("новый", None)  # Telegram drops the keyboard
    assert edited.edit_date is not None
    assert await bot.edit_message_text("x", inline_message_id="abc") is True
    assert type(bot.session.requests[1]) is EditMessageReplyMarkup


async def test_documents_get_a_message_with_the_file_name() -> None:
    bot = MockedBot()
    sent = await bot.send_document(
        USER_ID, BufferedInputFile(b"x", filename="plan.docx"), caption="<b>План</b>"
    )
    assert sent.document is not None
    assert sent.document.file_name == "plan.docx"
    assert sent.caption == "План"
    assert isinstance(bot.session.requests[0], SendDocument)


async def test_a_method_without_a_default_asks_for_a_queued_result() -> None:
    bot = MockedBot()
    with pytest.raises(NotImplementedError, match="add_result_for\\(GetChat"):
        await bot.get_chat(USER_ID)
    assert isinstance(bot.session.requests[0], GetChat)


def test_update_builders() -> None:
    command = make_message("/start payload", user_id=5, language_code="en")
    assert command.chat.id == 5
    assert command.from_user is not None
    assert command.from_user.language_code == "en"
    assert command.entities is not None
    assert command.entities[0].type == "bot_command"
    assert command.entities[0].length == len("/start")
    assert make_message(sticker=True).sticker is not None
    assert make_message(photo=True).photo
    assert make_message("x", chat_id=-100).chat.type == "supergroup"

    press = make_callback("yes", message_id=77)
    assert press.message is not None
    assert (press.data, press.message.message_id) == ("yes", 77)
    first, second = to_update(command), to_update(press)
    assert second.update_id == first.update_id + 1
    assert second.callback_query == press


def test_buttons_and_click() -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Да, верно", callback_data="yes"),
                InlineKeyboardButton(text="Нет", callback_data="no"),
            ],
            [InlineKeyboardButton(text="Сайт", url="https://example.org/")],
        ]
    )
    assert buttons(markup) == [("Да, верно", "yes"), ("Нет", "no"), ("Сайт", None)]
    assert buttons(None) == []
    assert click(markup, "Нет") == "no"
    assert click(markup, "Да") == "yes"  # the one label that contains it
    with pytest.raises(LookupError, match="Сайт"):
        click(markup, "Сайт")  # a link, not a callback button
    with pytest.raises(LookupError):
        click(markup, "Может быть")


async def test_a_flow_through_the_real_dispatcher() -> None:
    dispatcher = build_toy_dispatcher()
    bot = MockedBot()

    await dispatcher.feed_update(bot, to_update(make_message("/start")))
    assert sent_texts(bot) == [
        '<b>Привет</b>! Библиотека &amp; <a href="https://example.org/">сайт</a>. Идём?'
    ]
    assert buttons(last_markup(bot)) == [
        ("Да", "answer:yes"),
        ("Нет", "answer:no"),
        ("Сайт", None),
    ]

    shown = last_message(bot)
    press = make_callback(click(bot, "Нет"), message=shown)
    await dispatcher.feed_update(bot, to_update(press))
    edit, answer = bot.session.requests[-2:]
    assert isinstance(edit, EditMessageText)
    assert (edit.chat_id, edit.message_id) == (USER_ID, shown.message_id)
    assert sent_texts(bot)[-1] == "Вы ответили: <i>нет</i>"
    assert isinstance(answer, AnswerCallbackQuery)
    assert (answer.callback_query_id, answer.text) == (press.id, "Принято")
    assert last_markup(bot) is None

    result = await dispatcher.feed_update(bot, to_update(make_message(sticker=True)))
    assert result is UNHANDLED


async def test_state_is_kept_in_the_dispatchers_storage() -> None:
    dispatcher = build_toy_dispatcher()
    bot = MockedBot()
    key = StorageKey(bot_id=bot.id, chat_id=USER_ID, user_id=USER_ID)

    await dispatcher.feed_update(bot, to_update(make_message("/name")))
    assert await dispatcher.storage.get_state(key) == ToyForm.name.state
    await dispatcher.feed_update(bot, to_update(make_message("Анна <3")))
    assert sent_texts(bot)[-1] == "Приятно познакомиться, Анна &lt;3!"
    assert await dispatcher.storage.get_state(key) is None


async def test_refuses_what_telegram_refuses() -> None:
    bot = MockedBot()
    with pytest.raises(
        TelegramBadRequest, match='can\'t parse entities: Unsupported start tag "x"'
    ):
        await bot.send_message(USER_ID, "Эхо: <x>")  # user text that missed html.escape
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(USER_ID, "<b>не закрыт")
    assert (await bot.send_message(USER_ID, "<x>", parse_mode=None)).text == "<x>"
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(USER_ID, "я" * 4097)
    assert await bot.send_message(USER_ID, "я" * 4096)
    with pytest.raises(TelegramBadRequest, match="text is empty"):
        await bot.send_message(USER_ID, "<b> </b>")
    too_long = InlineKeyboardButton(text="x", callback_data="ж" * 33)  # 66 bytes
    markup = InlineKeyboardMarkup(inline_keyboard=[[too_long]])
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(USER_ID, "x", reply_markup=markup)


async def test_an_edit_that_changes_nothing_is_refused() -> None:
    bot = MockedBot()
    sent = await bot.send_message(USER_ID, "<b>Шаг 1</b>", reply_markup=KEYBOARD)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await sent.edit_text("<b>Шаг 1</b>", reply_markup=KEYBOARD)
    assert await sent.edit_text("<b>Шаг 1</b>")  # dropping the keyboard is a change
