"""Bad input, stale and forged buttons, restarts and fast taps: nothing is lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import EditMessageReplyMarkup, SendMessage
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db.connection import open_database
from bot.db.repositories import Repositories
from bot.factory import create_dispatcher
from bot.i18n import Translator
from bot.storage import DatabaseStorage
from handlers.strategy.states import Wizard
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.profiles import WIZARD_RURAL_RU
from tests.wizard_driver import answer_current, complete_wizard, wizard_position

RU = "ru"


async def start_and_reach(chat: ChatUser, question_id: str, t: Translator) -> None:
    await chat.send("/start")
    for _ in range(100):
        state, data = await wizard_position(chat)
        if state == Wizard.question.state and data["question"] == question_id:
            return
        await answer_current(chat, WIZARD_RURAL_RU, t)
    raise AssertionError(f"never reached {question_id}")


async def stored(repo: Repositories, chat: ChatUser) -> dict[str, object]:
    (strategy,) = await repo.strategies.of_user(chat.user.id)
    return await repo.answers.all(strategy.id)


async def test_text_where_a_button_is_expected(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "lib_country", t)
    before = await stored(repo, anna)
    question = anna.last_text()
    reply = anna.texts(await anna.send("Россия-матушка"))
    # A hint, then the question again with its buttons (its screen may never have arrived).
    assert reply == [t("invalid.use_buttons"), question]
    assert "Россия" in anna.button_texts()
    assert await stored(repo, anna) == before
    assert (await wizard_position(anna))[1]["question"] == "lib_country"
    # Typing the exact label is understood as pressing the button.
    await anna.send("Россия")
    assert (await stored(repo, anna))["lib_country"] == "ru"


async def test_stickers_and_photos_get_a_translated_answer(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "lib_settlement", t)
    question = anna.last_text()
    assert anna.texts(await anna.send_sticker()) == [t("invalid.text_only"), question]
    assert anna.texts(await anna.send_photo()) == [t("invalid.text_only"), question]
    assert (await wizard_position(anna))[1]["question"] == "lib_settlement"


async def test_unknown_text_anywhere_in_the_wizard_shows_the_current_screen_again(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    """Whatever the wizard cannot take re-shows where the user is, as /start does, with a
    short hint first; nothing stored changes and the wizard's place stays."""
    t = Translator(i18n, RU)
    await start_and_reach(anna, "lib_country", t)
    question = anna.last_text()
    position = await wizard_position(anna)
    before = await stored(repo, anna)
    resumed = anna.texts(await anna.send("/start"))
    assert resumed[-1] == question

    reply = anna.texts(await anna.send("/nonsense"))
    assert reply == [t("wizard.unknown_command"), question]
    assert await wizard_position(anna) == position

    # A multiple choice (goals): typing is not ticking.
    await start_and_reach(anna, "goal_families", t)
    question, buttons = anna.last_text(), anna.button_texts()
    position = await wizard_position(anna)
    reply = anna.texts(await anna.send("всё сразу"))
    assert reply == [t("invalid.use_buttons"), question]
    assert anna.button_texts() == buttons
    assert await wizard_position(anna) == position

    # A step summary: its buttons again.
    for _ in range(100):
        if (await wizard_position(anna))[0] == Wizard.step_done.state:
            break
        await answer_current(anna, WIZARD_RURAL_RU, t)
    summary, buttons = anna.last_text(), anna.button_texts()
    answers = await stored(repo, anna)
    for typed in (anna.send("дальше"), anna.send_sticker()):
        reply = anna.texts(await typed)
        assert reply[1:] == [summary]
        assert anna.button_texts() == buttons
    assert reply[0] == t("invalid.text_only")
    assert await stored(repo, anna) == answers
    assert before.items() <= answers.items()


async def test_five_thousand_characters_are_refused_politely(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "lib_settlement", t)
    before = await stored(repo, anna)
    (reply,) = anna.texts(await anna.send("а" * 5000))
    assert "5000" in reply and "120" in reply
    assert await stored(repo, anna) == before
    assert before["lib_name"] == WIZARD_RURAL_RU["lib_name"]


async def test_a_library_name_of_invisible_characters_is_refused(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "lib_name", t)
    for invisible in ("\u200b\u200b\u200b", "\u3164\u3164", "\u2060 \ufeff\u200d"):
        assert anna.texts(await anna.send(invisible)) == [t("invalid.no_letters")]
        assert (await wizard_position(anna))[1]["question"] == "lib_name"
    assert "lib_name" not in await stored(repo, anna)
    # Invisible characters around a real name are dropped, not stored.
    await anna.send("\u200bБиблиотека\u200b  села\u2060 ")
    assert (await stored(repo, anna))["lib_name"] == "Библиотека села"


async def test_numbers_are_checked(anna: ChatUser, repo: Repositories, i18n: I18n) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "res_hours", t)
    assert anna.texts(await anna.send("много")) == [t("invalid.number")]
    assert anna.texts(await anna.send("500")) == [t("invalid.range", min=0, max=168)]
    assert anna.texts(await anna.send("9" * 40)) == [t("invalid.range", min=0, max=168)]
    await anna.send("6")
    assert (await stored(repo, anna))["res_hours"] == 6


async def test_forged_callback_data(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "lib_country", t)
    (strategy,) = await repo.strategies.of_user(anna.user.id)
    before = await stored(repo, anna)
    for data in (
        "garbage",
        "q:pick:abc:lib_country:ru",
        f"q:pick:{strategy.id}:lib_country:zz",
        "q:pick",
    ):
        requests = await anna.press_data(data)
        assert anna.alerts(requests) == [t("cb.unknown")], data
    # Another user forging a button of Anna's strategy reaches nothing.
    await john.send("/start")
    requests = await john.press_data(f"q:pick:{strategy.id}:lib_country:ru")
    assert john.alerts(requests) == [Translator(i18n, "en")("cb.unknown")]
    assert await stored(repo, anna) == before


async def test_stale_button_and_double_tap(anna: ChatUser, repo: Repositories, i18n: I18n) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "lib_country", t)
    message_id, markup = anna.last_keyboard()
    russia = next(
        b.callback_data for row in markup.inline_keyboard for b in row if b.text == "Россия"
    )
    assert russia is not None
    first = await anna.press_data(russia, message_id)
    second = await anna.press_data(russia, message_id)
    assert sum(isinstance(r, SendMessage) for r in first) == 1  # the next question
    # The second tap answers nothing; the current question is shown again (as /start
    # does), so a screen whose next question never arrived cannot be a dead end.
    assert anna.alerts(second) == [t("cb.stale")]
    assert [r for r in second if isinstance(r, SendMessage)] == [
        r for r in first if isinstance(r, SendMessage)
    ]
    assert (await wizard_position(anna))[1]["question"] == "lib_tz"


async def test_start_in_the_middle_resumes(anna: ChatUser, i18n: I18n) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "goal_horizon", t)
    texts = anna.texts(await anna.send("/start"))
    assert texts[0] == t("msg.resume")
    assert "На какой срок" in texts[1]


async def test_back_follows_history_and_keeps_answers(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "lib_tz", t)
    await anna.press(t("btn.back"), exact=True)
    assert (await wizard_position(anna))[1]["question"] == "lib_country"
    await anna.press(t("btn.back"), exact=True)
    assert (await wizard_position(anna))[1]["question"] == "lib_region"
    assert (await stored(repo, anna))["lib_country"] == "ru"


async def test_cancel_then_start_lists_and_continues(anna: ChatUser, i18n: I18n) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "goal_families", t)
    assert anna.texts(await anna.send("/cancel")) == [t("msg.cancelled")]
    assert await wizard_position(anna) == (None, {})
    texts = anna.texts(await anna.send("/start"))
    assert texts == [t("msg.strategies_list")]
    await anna.press("▶️")
    assert (await wizard_position(anna))[1]["question"] == "goal_families"


async def test_ticks_without_done_are_not_an_answer_after_cancel_and_start(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "goal_families", t)
    await anna.press(t("opt.goal.a"), exact=True)
    await anna.send("/cancel")
    await anna.send("/start")
    await anna.press("▶️")
    # Back at goals, the tick kept, not moved on to the goal's details.
    assert (await wizard_position(anna))[1]["question"] == "goal_families"
    assert f"✅ {t('opt.goal.a')}" in anna.button_texts()
    assert "goal_families" not in await stored(repo, anna)
    await anna.press(t("opt.goal.b"), exact=True)
    await anna.press(t("btn.done"))
    assert (await stored(repo, anna))["goal_families"] == ["a", "b"]
    assert (await wizard_position(anna))[1]["question"] != "goal_families"


async def test_edit_a_step_from_the_review(anna: ChatUser, repo: Repositories, i18n: I18n) -> None:
    t = Translator(i18n, RU)
    await anna.send("/start")
    for _ in range(200):
        state, _ = await wizard_position(anna)
        if state == Wizard.review.state:
            break
        await answer_current(anna, WIZARD_RURAL_RU, t)
    await anna.press("✏️ 5.")
    assert (await wizard_position(anna))[1]["question"] == "com_response"
    await anna.press(t("opt.response.1h"), exact=True)
    for _ in range(10):
        state, _ = await wizard_position(anna)
        if state == Wizard.review.state:
            break
        await answer_current(anna, WIZARD_RURAL_RU, t)
    assert (await stored(repo, anna))["com_response"] == "1h"
    await anna.press(t("btn.finish"), exact=True)
    (strategy,) = await repo.strategies.of_user(anna.user.id)
    assert strategy.is_complete
    # A Finish button pressed again after completion is answered, not obeyed twice.
    again = await anna.press_data(f"st:finish:{strategy.id}:")
    assert anna.alerts(again) == [t("cb.finished")]
    assert not any(isinstance(r, SendMessage) for r in again)


async def test_restart_loses_nothing(db_path: Path, i18n: I18n, settings: Settings) -> None:
    t = Translator(i18n, RU)
    db = await open_database(db_path)
    dispatcher = create_dispatcher(
        repo=Repositories(db), storage=DatabaseStorage(db), i18n=i18n, settings=settings
    )
    chat = ChatUser(dispatcher, MockedBot())
    await chat.send("/start")
    await complete_wizard(chat, WIZARD_RURAL_RU, t, stop_at_step=4)
    _, data = await wizard_position(chat)
    assert data["question"] == "cnt_topics"
    await db.close()  # the process dies here

    db = await open_database(db_path)
    dispatcher = create_dispatcher(
        repo=Repositories(db), storage=DatabaseStorage(db), i18n=i18n, settings=settings
    )
    chat = ChatUser(dispatcher, MockedBot())
    texts = chat.texts(await chat.send("/start"))
    assert texts[0] == t("msg.resume") and "О чём вы хотите рассказывать" in texts[1]
    await complete_wizard(chat, WIZARD_RURAL_RU, t)
    repo = Repositories(db)
    (strategy,) = await repo.strategies.of_user(chat.user.id)
    assert strategy.is_complete
    assert await repo.answers.all(strategy.id) == WIZARD_RURAL_RU
    await db.close()


async def test_fast_taps_are_handled_in_order(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "goal_families", t)
    message_id, markup = anna.last_keyboard()
    toggles = [
        b.callback_data
        for row in markup.inline_keyboard
        for b in row
        if b.callback_data and ":toggle:" in b.callback_data
    ]
    assert len(toggles) == 4
    await asyncio.gather(*(anna.press_data(data, message_id) for data in toggles))
    # Each toggle reads then writes the list: without isolation some would be lost.
    # Ticks wait for Done before they are the answer.
    families = (await stored(repo, anna))["goal_families.ticked"]
    assert isinstance(families, list)
    assert sorted(families) == ["a", "b", "c", "d"]
    assert "goal_families" not in await stored(repo, anna)
    await anna.press(t("btn.done"))
    confirmed = (await stored(repo, anna))["goal_families"]
    assert isinstance(confirmed, list)
    assert sorted(confirmed) == ["a", "b", "c", "d"]
    assert "goal_families.ticked" not in await stored(repo, anna)


async def test_user_who_blocked_the_bot_is_marked(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    await anna.send("/start")  # she starts a strategy: staff, with a users row
    anna.bot.session.fail_next(
        SendMessage, TelegramForbiddenError, "Forbidden: bot was blocked by the user"
    )
    await anna.send("/start")
    user = await repo.users.get(anna.user.id)
    assert user is not None and user.blocked_bot


async def test_a_reader_who_blocked_the_bot_leaves_no_row(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    # Someone unknown whose first message fails: nobody to mark, nothing to store.
    anna.bot.session.fail_next(
        SendMessage, TelegramForbiddenError, "Forbidden: bot was blocked by the user"
    )
    await anna.send("/help")
    assert await repo.users.get(anna.user.id) is None


async def test_an_edit_telegram_refuses_is_not_an_error_for_the_user(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "goal_families", t)
    anna.bot.session.fail_next(
        EditMessageReplyMarkup, TelegramBadRequest, "Bad Request: message is not modified"
    )
    requests = await anna.press(t("opt.goal.a"), exact=True)
    assert t("error.generic") not in anna.texts(requests) + anna.alerts(requests)
    assert (await stored(repo, anna))["goal_families.ticked"] == ["a"]


async def test_superscript_and_foreign_digits_are_not_numbers(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, RU)
    await start_and_reach(anna, "res_hours", t)
    for text in ("²", "4²", "٤"):
        assert anna.texts(await anna.send(text)) == [t("invalid.number")], text
    assert "res_hours" not in await stored(repo, anna)
