"""The mocked session itself: recording, FIFO queues, failures, default replies, refusals;
and ChatUser driving the toy bot through the real Dispatcher."""

from __future__ import annotations

import pytest
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

from tests import factories
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot, ToyForm, build_toy_dispatcher

USER_ID = 1001

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
    chat = factories.private_chat(USER_ID)
    bot.add_result_for(SendMessage, result=factories.message(chat, "one", message_id=501))
    bot.session.add_result_for(SendMessage, result=factories.message(chat, "two", message_id=502))
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


def buttons(markup: InlineKeyboardMarkup | None) -> list[tuple[str, str | None]]:
    if markup is None:
        return []
    return [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row]


async def test_a_flow_through_the_real_dispatcher() -> None:
    bot = MockedBot()
    anna = ChatUser(build_toy_dispatcher(), bot, USER_ID)

    assert anna.texts(await anna.send("/start")) == [
        '<b>Привет</b>! Библиотека &amp; <a href="https://example.org/">сайт</a>. Идём?'
    ]
    shown_id, markup = anna.last_keyboard()
    assert buttons(markup) == [("Да", "answer:yes"), ("Нет", "answer:no"), ("Сайт", None)]

    edit, answer = await anna.press("Нет")
    assert isinstance(edit, EditMessageText)
    assert (edit.chat_id, edit.message_id) == (USER_ID, shown_id)
    assert anna.last_text() == "Вы ответили: <i>нет</i>"
    assert isinstance(answer, AnswerCallbackQuery)
    assert anna.alerts([answer]) == ["Принято"]
    assert edit.reply_markup is None  # the edit takes the keyboard away
    with pytest.raises(AssertionError, match="no handler took the update"):
        await anna.send_sticker()


async def test_state_is_kept_in_the_dispatchers_storage() -> None:
    dispatcher = build_toy_dispatcher()
    bot = MockedBot()
    anna = ChatUser(dispatcher, bot, USER_ID)
    key = StorageKey(bot_id=bot.id, chat_id=USER_ID, user_id=USER_ID)

    await anna.send("/name")
    assert await dispatcher.storage.get_state(key) == ToyForm.name.state
    assert anna.texts(await anna.send("Анна <3")) == ["Приятно познакомиться, Анна &lt;3!"]
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
