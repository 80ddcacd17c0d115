"""Readers answer through the real Dispatcher: many at once, resume, change, /forget, bad links."""

from __future__ import annotations

import asyncio
import json
import re

from aiogram import Dispatcher
from aiogram.methods import AnswerCallbackQuery, SendDocument, SendMessage, SendPhoto
from aiogram.utils.i18n import I18n

from bot.db.engine import Database
from bot.db.surveys import SurveyRepository
from bot.i18n import Translator
from bot.outbox.sender import OutboxSender
from bot.services.surveys import MILESTONES
from bot.survey.links import new_payload
from bot.survey.questions import AGE, INTERESTS, SurveyConfig, build_questionnaire
from handlers.survey.callbacks import ForgetAction, ForgetCb, ReaderAction, ReaderCb
from tests.conftest import ADMIN_ID
from tests.mocked_bot import MockedBot
from tests.ops.fakes import FakeClock
from tests.survey.bot_helpers import (
    STAFF_ID,
    answer_question,
    answer_survey,
    last_choices,
    reader,
    sent_to,
    staff_library,
    survey_with_link,
)

READERS = 200


async def test_two_hundred_readers_at_once_give_two_hundred_responses_and_milestones_once(
    db: Database,
    dispatcher: Dispatcher,
    bot: MockedBot,
    i18n: I18n,
) -> None:
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    chats = [reader(dispatcher, bot, 10_000 + n) for n in range(READERS)]

    await asyncio.gather(
        *(answer_survey(chat, survey, source.payload, number=n) for n, chat in enumerate(chats))
    )
    surveys = SurveyRepository(db)
    assert await surveys.response_counts(survey.id) == (READERS, READERS)
    rows = await surveys.export_rows(survey.id)
    questionnaire = build_questionnaire(survey.config)
    assert all(set(row.answers) == {q.id for q in questionnaire.questions} for row in rows)
    # No Telegram id is stored anywhere in the survey tables. Whole numbers only: a
    # pseudonym's hex or a timestamp's digits may contain "10000" by chance.
    dump = json.dumps([list(r) for r in await db.execute_fetchall("SELECT * FROM responses")])
    numbers = set(re.findall(r"(?<![0-9A-Za-z])[0-9]+(?![0-9A-Za-z])", dump))
    assert numbers.isdisjoint(str(chat.user.id) for chat in chats)

    ru = Translator(i18n, "ru")
    for chat in chats:
        assert sent_to(bot, chat.user.id).count(ru("survey.reader.thanks")) == 1

    # A second pass by the same readers (the first quarter, to keep the test quick) changes
    # answers and adds no response.
    again = chats[: READERS // 4]
    await asyncio.gather(
        *(
            answer_survey(chat, survey, source.payload, number=n, choose=last_choices, change=True)
            for n, chat in enumerate(again)
        )
    )
    assert await surveys.response_counts(survey.id) == (READERS, READERS)
    age = questionnaire.question(AGE)
    assert age is not None
    changed = age.options[last_choices(age, 0)[0]].value
    rows = await surveys.export_rows(survey.id)
    assert [row.answers[AGE] == changed for row in rows].count(True) >= len(again)
    for chat in again:
        texts = sent_to(bot, chat.user.id)
        assert texts.count(ru("survey.reader.thanks")) == 1
        assert texts.count(ru("survey.reader.updated")) == 1

    # Milestones: one message per milestone to the staff member and to the bot admin.
    bot.session.clear()
    clock = FakeClock()
    await OutboxSender(bot, db, monotonic=clock.monotonic, sleep=clock.sleep).drain()
    for recipient in (STAFF_ID, ADMIN_ID):
        texts = [
            r.text
            for r in bot.session.requests_of(SendMessage)
            if r.chat_id == recipient and "завершённ" in r.text
        ]
        expected = [
            ru.plural("survey.staff.milestone", n, title="Что вам интересно") for n in MILESTONES
        ]
        assert sorted(texts) == sorted(expected), recipient


async def test_reader_resumes_where_they_stopped_and_may_change_until_closed(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    questions = build_questionnaire(survey.config).questions
    chat = reader(dispatcher, bot, 5000)

    texts = chat.texts(await chat.send(f"/start {source.payload}"))
    assert "Сельская библиотека &lt;Пушкина&gt;" in texts[0]
    assert "/forget" in texts[0]
    await chat.press(ru("survey.reader.start_button"))
    for question in questions[:3]:
        await answer_question(chat, survey, question, [0])
    assert ru("survey.reader.progress", current=4, total=len(questions)) in chat.last_text()

    # Coming back by the link: continue at question 4, not from the start.
    texts = chat.texts(await chat.send(f"/start {source.payload}"))
    assert texts[0] == ru("survey.reader.resume")
    assert ru("survey.reader.progress", current=4, total=len(questions)) in texts[1]
    # Back goes to question 3 with its answer ticked.
    await chat.press(ru("survey.reader.back_button"))
    assert ru("survey.reader.progress", current=3, total=len(questions)) in chat.last_text()
    assert any(text.startswith("✅") for text in chat.button_texts())
    for question in questions[2:]:
        await answer_question(chat, survey, question, [0])
    texts = chat.texts(await chat.press(ru("survey.reader.send_button")))
    assert texts[-1] == ru("survey.reader.thanks")

    # After sending: "already done", answers may still change.
    texts = chat.texts(await chat.send(f"/start {source.payload}"))
    assert texts == [ru("survey.reader.already_done")]
    await chat.press(ru("survey.reader.change_answers_button"))
    await answer_question(chat, survey, questions[0], [1])
    surveys = SurveyRepository(db)
    (answers,) = await surveys.completed_answers(survey.id)
    assert answers[questions[0].id] == questions[0].options[1].value

    # Closed: nothing changes any more, the reader is told why.
    await surveys.close_survey(survey.id)
    requests = await chat.press_data(
        ReaderCb(
            action=ReaderAction.PICK, survey_id=survey.id, question=questions[0].id, option=2
        ).pack()
    )
    assert chat.alerts(requests) == [ru("survey.reader.closed_meanwhile")]
    (answers,) = await surveys.completed_answers(survey.id)
    assert answers[questions[0].id] == questions[0].options[1].value
    assert chat.texts(await chat.send(f"/start {source.payload}")) == [ru("survey.link.closed")]


async def test_other_text_and_multiple_choice_with_done(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    config = SurveyConfig(title="Интересы", disabled=frozenset({"sv_place", AGE}))
    survey, source = await survey_with_link(db, library, config)
    chat = reader(dispatcher, bot, 5001)
    await chat.send(f"/start {source.payload}")
    await chat.press(ru("survey.reader.start_button"))
    questionnaire = build_questionnaire(survey.config)
    # Gender is optional: skip it; education optional: skip.
    await chat.press(ru("survey.reader.skip_button"))
    await chat.press(ru("survey.reader.skip_button"))
    interests = questionnaire.question(INTERESTS)
    assert interests is not None
    requests = await chat.press(ru("survey.reader.done_button"))
    assert chat.alerts(requests) == [ru("survey.reader.pick_required")]
    await chat.press(ru(interests.option_key("history")))
    texts = chat.texts(await chat.press(ru(interests.option_key("other"))))
    assert texts == [ru("survey.reader.other_prompt")]
    too_long = "x" * (interests.max_len + 1)
    assert chat.texts(await chat.send(too_long)) == [
        ru("survey.reader.other_too_long", max=interests.max_len)
    ]
    await chat.send("Вязание <крючком>")
    labels = chat.button_texts()
    assert any(label.startswith("✅") and "Другое" in label for label in labels) or any(
        label.startswith("✅") for label in labels
    )
    await chat.press(ru("survey.reader.done_button"))
    surveys = SurveyRepository(db)
    ((response,),) = await db.execute_fetchall("SELECT id FROM responses")
    answers = await surveys.answers(int(response))
    assert answers["sv_gender"] is None
    assert answers[INTERESTS] == ["history", "other"]
    assert answers[f"{INTERESTS}.other"] == "Вязание <крючком>"
    assert any("Вязание &lt;крючком&gt;" in text for text in chat.texts())


async def test_ticks_without_done_bring_the_reader_back_to_that_question(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    config = SurveyConfig(title="Интересы", disabled=frozenset({"sv_place", AGE, "sv_gender"}))
    survey, source = await survey_with_link(db, library, config)
    questions = build_questionnaire(survey.config).questions
    position = [q.id for q in questions].index(INTERESTS) + 1
    chat = reader(dispatcher, bot, 5002)
    await chat.send(f"/start {source.payload}")
    await chat.press(ru("survey.reader.start_button"))
    await chat.press(ru("survey.reader.skip_button"))  # education
    await chat.press(ru("opt.interest.history"))
    # Gone without Done, back by the link: the same question, the tick still there.
    texts = chat.texts(await chat.send(f"/start {source.payload}"))
    assert texts[0] == ru("survey.reader.resume")
    assert ru("survey.reader.progress", current=position, total=len(questions)) in texts[1]
    assert f"✅ {ru('opt.interest.history')}" in chat.button_texts()
    # Sending is refused while a question has ticks but no Done.
    review = await chat.press_data(ReaderCb(action=ReaderAction.SEND, survey_id=survey.id).pack())
    assert chat.alerts(review) == [ru("survey.reader.pick_required")]
    await chat.press(ru("survey.reader.done_button"))
    ((response,),) = await db.execute_fetchall("SELECT id FROM responses")
    answers = await SurveyRepository(db).answers(int(response))
    assert answers[INTERESTS] == ["history"]
    assert f"{INTERESTS}.ticked" not in answers


async def test_a_changed_multiple_choice_counts_only_after_done(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    chat = reader(dispatcher, bot, 5003)
    await answer_survey(chat, survey, source.payload)
    surveys = SurveyRepository(db)
    (before,) = await surveys.completed_answers(survey.id)
    interests = build_questionnaire(survey.config).question(INTERESTS)
    assert interests is not None
    unticked = next(
        o.value
        for o in interests.options
        if o.value not in before[INTERESTS] and o.value != "other"
    )
    await chat.press_data(
        ReaderCb(
            action=ReaderAction.TOGGLE,
            survey_id=survey.id,
            question=INTERESTS,
            option=[o.value for o in interests.options].index(unticked),
        ).pack()
    )
    (during,) = await surveys.completed_answers(survey.id)
    assert during[INTERESTS] == before[INTERESTS]
    await chat.press_data(
        ReaderCb(action=ReaderAction.DONE, survey_id=survey.id, question=INTERESTS).pack()
    )
    (after,) = await surveys.completed_answers(survey.id)
    assert after[INTERESTS] == [*before[INTERESTS], unticked]


async def test_forget_deletes_every_answer_after_confirmation(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    other, other_source = await survey_with_link(db, library)
    chat = reader(dispatcher, bot, 5002)
    await answer_survey(chat, survey, source.payload)
    await chat.send(f"/start {other_source.payload}")
    surveys = SurveyRepository(db)
    assert (await surveys.response_counts(survey.id))[0] == 1

    assert chat.texts(await chat.send("/forget")) == [ru("survey.forget.confirm")]
    texts = chat.texts(await chat.press_data(ForgetCb(action=ForgetAction.CANCEL).pack()))
    assert texts == [ru("survey.forget.cancelled")]
    assert (await surveys.response_counts(survey.id))[0] == 1

    await chat.send("/forget")
    texts = chat.texts(await chat.press(ru("survey.forget.confirm_button")))
    assert texts == [ru.plural("survey.forget.done", 2)]
    assert await surveys.response_counts(survey.id) == (0, 0)
    assert await surveys.response_counts(other.id) == (0, 0)
    assert chat.texts(await chat.send("/forget")) == [ru("survey.forget.nothing")]
    # Old buttons of the deleted response do nothing but explain.
    requests = await chat.press_data(
        ReaderCb(action=ReaderAction.BEGIN, survey_id=survey.id).pack()
    )
    assert chat.alerts(requests) == [ru("survey.reader.old_button")]


async def test_bad_links_get_their_own_message(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    surveys = SurveyRepository(db)
    chat = reader(dispatcher, bot, 5003)
    assert chat.texts(await chat.send("/start sv_short")) == [ru("survey.link.malformed")]
    assert chat.texts(await chat.send(f"/start {new_payload()}")) == [ru("survey.link.unknown")]

    expired, expired_source = await survey_with_link(db, library)
    await db.execute(
        "UPDATE surveys SET closes_at = '2000-01-01T00:00:00.000Z' WHERE id = ?", (expired.id,)
    )
    await db.commit()
    assert chat.texts(await chat.send(f"/start {expired_source.payload}")) == [
        ru("survey.link.expired")
    ]

    closed, closed_source = await survey_with_link(db, library)
    await surveys.close_survey(closed.id)
    assert chat.texts(await chat.send(f"/start {closed_source.payload}")) == [
        ru("survey.link.closed")
    ]

    full, full_source = await survey_with_link(
        db, library, SurveyConfig(title="Один ответ", response_cap=1)
    )
    first = reader(dispatcher, bot, 5004)
    await first.send(f"/start {full_source.payload}")
    assert chat.texts(await chat.send(f"/start {full_source.payload}")) == [ru("survey.link.full")]
    # The one who got in may go on.
    texts = first.texts(await first.send(f"/start {full_source.payload}"))
    assert texts[0] == ru("survey.reader.resume")
    assert await surveys.response_counts(full.id) == (1, 0)


async def test_readers_reach_no_staff_command(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    chat = reader(dispatcher, bot, 5005)
    await answer_survey(chat, survey, source.payload)
    seen: list[object] = []
    for command in ("/results", "/survey", "/export", "/strategies"):
        requests = await chat.send(command)
        seen += requests
        assert chat.texts(requests) == [ru("access.staff_only")], command
    # Staff buttons pressed by a reader (forged data): refused with an alert, nothing shown.
    for action in ("res", "csv", "xlsx", "charts", "apply", "close", "closeyes", "sources"):
        requests = await chat.press_data(f"ss:{action}:{survey.id}:")
        seen += requests
        assert chat.alerts(requests) == [ru("cb.unknown")], action
        assert all(isinstance(r, AnswerCallbackQuery) for r in requests), action
    assert not [r for r in seen if isinstance(r, SendDocument | SendPhoto)]
    assert survey.title not in " ".join(chat.texts(seen))
    stored = await SurveyRepository(db).get_survey(survey.id)
    assert stored is not None and stored.is_open


async def test_a_button_of_an_older_question_shows_the_current_one_and_changes_nothing(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    """A reader whose screen was never replaced (the bot stopped mid-update) or who scrolled
    up presses an older question's button: the press is answered, the current question comes
    again with its buttons, nothing stored changes; the walk then goes on as before."""
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    questions = build_questionnaire(survey.config).questions
    chat = reader(dispatcher, bot, 5010)
    await chat.send(f"/start {source.payload}")
    await chat.press(ru("survey.reader.start_button"))
    first_screen, _ = chat.last_keyboard()
    await answer_question(chat, survey, questions[0], [0])
    await answer_question(chat, survey, questions[1], [0])
    current = chat.last_text()
    buttons = chat.button_texts()
    ((response,),) = await db.execute_fetchall("SELECT id FROM responses")
    before = await SurveyRepository(db).answers(int(response))

    for stale in (ReaderAction.PICK, ReaderAction.SKIP, ReaderAction.BACK):
        old = ReaderCb(
            action=stale, survey_id=survey.id, question=questions[0].id, option=1
        ).pack()
        requests = await chat.press_data(old, first_screen)
        assert chat.alerts(requests) == [ru("cb.stale")], stale
        assert chat.texts(requests) == [current], stale
        assert chat.button_texts() == buttons
        assert await SurveyRepository(db).answers(int(response)) == before

    # The current question's own buttons still work, and the answers count once.
    await answer_question(chat, survey, questions[2], [0])
    assert ru("survey.reader.progress", current=4, total=len(questions)) in chat.last_text()
    for question in questions[3:]:
        await answer_question(chat, survey, question, [0])
    texts = chat.texts(await chat.press(ru("survey.reader.send_button")))
    assert texts[-1] == ru("survey.reader.thanks")
    surveys = SurveyRepository(db)
    (answers,) = await surveys.completed_answers(survey.id)
    assert answers[questions[0].id] == before[questions[0].id]
    assert await surveys.response_counts(survey.id) == (1, 1)
