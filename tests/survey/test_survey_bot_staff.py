"""Staff side through the real Dispatcher: create, link + QR, results, files, step 2, polls."""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import UTC, datetime
from functools import partial
from typing import Any

import zxingcpp
from aiogram import Dispatcher
from aiogram.enums import ChatAction
from aiogram.methods import (
    GetChat,
    GetChatMember,
    SendChatAction,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    SendPoll,
)
from aiogram.types import Poll, PollOption, Update
from aiogram.utils.i18n import I18n
from openpyxl import load_workbook
from PIL import Image

from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.db.surveys import SurveyRepository
from bot.domain.questions import Kind, Question
from bot.i18n import Translator
from bot.outbox.repository import Outbox
from bot.outbox.sender import OutboxSender
from bot.scheduling.jobs import close_due_surveys
from bot.services.notifier import Notifier
from bot.survey.questions import GENDER, SurveyConfig
from bot.survey.stats import SMALL_SAMPLE
from handlers.strategy.states import Wizard
from handlers.survey.common import StaffCb
from tests.chat import ChatUser
from tests.conftest import ADMIN_ID
from tests.mocked_bot import MockedBot
from tests.ops.fakes import FakeClock
from tests.profiles import RURAL_RU
from tests.survey.bot_helpers import (
    STAFF_ID,
    answer_survey,
    documents,
    reader,
    sent_to,
    staff_library,
    survey_with_link,
)
from tests.survey.test_survey_poster import assert_a4_poster_of
from tests.wizard_driver import answer_current, complete_wizard, wizard_position

_readers = itertools.count(20_000)


def _two_groups(question: Question, reader: int) -> list[int]:
    """Half the readers pick the first option, half the second: groups large enough to show."""
    if question.kind is Kind.MULTI:
        return [0]
    return [reader % 2]


async def _answer(
    dispatcher: Dispatcher, bot: MockedBot, survey: Any, payload: str, n: int
) -> None:
    for number in range(n):
        chat = reader(dispatcher, bot, next(_readers))
        await answer_survey(chat, survey, payload, number=number, choose=_two_groups)


async def test_staff_create_a_survey_and_a_link_with_a_qr_code(
    db: Database, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    texts = anna.texts(await anna.send("/survey"))
    assert ru("survey.staff.list_empty") in texts[0]
    assert anna.texts(await anna.press(ru("survey.staff.create_button"))) == [
        ru("survey.staff.ask_title", max=120)
    ]
    assert anna.texts(await anna.send("x" * 121)) == [ru("invalid.too_long", max=120, given=121)]
    # Zero-width spaces, a joiner and a Hangul filler: nothing a reader would see.
    assert anna.texts(await anna.send("\u200b\u200d\u3164\u200b")) == [ru("invalid.no_letters")]
    await anna.send("Что <вам> интересно")
    await anna.press(ru("survey.q.gender.short"), exact=True)
    assert any(label.startswith("⬜") for label in anna.button_texts())
    texts = anna.texts(await anna.press(ru("survey.staff.next_button")))
    assert texts == [ru("survey.staff.ask_places", max=12)]
    assert anna.texts(await anna.send("\n".join(f"Село {n}" for n in range(13)))) == [
        ru("survey.staff.places_invalid", max=12, max_len=60)
    ]
    await anna.send("Село Ивановка,\n\n  Деревня   Петровка ; село ивановка, \u200b, Никольское")
    for bad in ("31.02.2099", "01.01.2000", "завтра"):
        assert anna.texts(await anna.send(bad)) == [ru("survey.staff.closes_at_invalid")], bad
    await anna.send("31.12.2099")
    assert anna.texts(await anna.send("0")) == [ru("survey.staff.cap_invalid", max=100_000)]
    texts = anna.texts(await anna.send("300"))
    assert texts[0] == ru("survey.staff.created", title="Что &lt;вам&gt; интересно")
    assert "31.12.2099" in texts[1]

    (survey,) = await SurveyRepository(anna.dispatcher["repo"].db).of_library(library.id)
    assert survey.title == "Что <вам> интересно"
    assert survey.config.disabled == {GENDER}
    assert survey.config.places == ("Село Ивановка", "Деревня Петровка", "Никольское")
    assert survey.response_cap == 300
    assert survey.config.closes_at is not None
    assert survey.config.closes_at.astimezone(UTC) == datetime(
        2099, 12, 31, 23, 59, 59, 999999, tzinfo=UTC
    )

    await anna.press(ru("survey.staff.add_source_button"))
    await anna.press(ru("survey.source.poster"), exact=True)
    requests = await anna.send("Афиша у входа")
    (text,) = anna.texts(requests)
    link = re.search(r"https://t\.me/\w+\?start=(sv_[\w-]+)", text)
    assert link is not None, text
    ((filename, png),) = documents(requests)
    assert filename.endswith(".png")
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert decoded.text == link.group(0)
    # The new link's message offers its printable poster.
    ((poster_name, pdf),) = documents(await anna.press(ru("survey.poster.button")))
    assert poster_name.endswith(".pdf")
    assert_a4_poster_of(pdf, link.group(0))
    (source,) = await SurveyRepository(anna.dispatcher["repo"].db).sources(survey.id)
    assert (source.kind, source.label, source.payload) == (
        "poster",
        "Афиша у входа",
        link.group(1),
    )

    # The link works for a reader, and shows the staff's place names.
    chat = reader(anna.dispatcher, anna.bot, 7000)
    await chat.send(f"/start {link.group(1)}")
    await chat.press(ru("survey.reader.start_button"))
    assert "Деревня Петровка" in chat.button_texts()


async def test_cancel_leaves_the_survey_editor_and_keeps_the_wizard(
    anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, RURAL_RU, ru, stop_at_step=2)
    state, data = await wizard_position(anna)
    assert (state, data["question"]) == (Wizard.question.state, "aud_source")

    texts = anna.texts(await anna.press(ru("opt.aud_source.survey"), exact=True))
    assert texts[0] == ru("survey.wizard.offer")
    state, data = await wizard_position(anna)
    assert (state, data["question"]) == (Wizard.question.state, "aud_geo")

    await anna.press_data(StaffCb(a="new").pack())
    texts = anna.texts(await anna.send("Опрос для читателей"))
    assert texts == [ru("survey.staff.questions")]
    assert await wizard_position(anna) == (state, data)
    assert anna.texts(await anna.send("/cancel")) == [ru("survey.staff.cancelled")]
    assert await wizard_position(anna) == (state, data)
    # The wizard goes on from where it was.
    texts = anna.texts(await anna.send("/start"))
    assert ru("q.aud_geo") in texts[-1]
    await answer_current(anna, {**RURAL_RU, "aud_source": "survey"}, ru)
    state, data = await wizard_position(anna)
    assert data["question"] != "aud_geo"


async def test_results_files_and_the_audience_step(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    repo = Repositories(db)
    library = await staff_library(db)
    strategy = await repo.strategies.create(library.id, STAFF_ID)
    survey, source = await survey_with_link(db, library)
    await _answer(dispatcher, bot, survey, source.payload, 12)

    await anna.send("/results")
    requests = await anna.press(survey.title)
    summary = "\n".join(anna.texts(requests))
    assert ru("survey.staff.results_title", title=survey.title) in summary
    assert ru("survey.staff.small_sample", n=12, min=SMALL_SAMPLE) in summary
    assert ru.plural("survey.staff.responses", 12) in summary

    requests = await anna.press(ru("survey.staff.export_csv_button"))
    ((name, data),) = documents(requests)
    assert name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    # A summary table, never a row per reader.
    assert rows[0] == [ru("survey.export.col.respondents"), "12"]
    assert rows[2] == [
        ru("survey.export.col.question"),
        ru("survey.export.col.answer"),
        ru("survey.export.col.people"),
        ru("survey.export.col.percent"),
    ]
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", cell) for row in rows for cell in row)

    requests = await anna.press(ru("survey.staff.export_xlsx_button"))
    ((name, data),) = documents(requests)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]][:2] == rows[0]

    requests = await anna.press(ru("survey.staff.charts_button"))
    # One album (media group), announced with "sending a photo…", not a photo per chart.
    assert not [r for r in requests if isinstance(r, SendPhoto)]
    (album,) = [r for r in requests if isinstance(r, SendMediaGroup)]
    assert 5 <= len(album.media) <= 10
    assert album.media[0].caption == ru("survey.staff.charts_caption", title=survey.title)
    actions = [r for r in requests if isinstance(r, SendChatAction)]
    assert actions and actions[0].action == ChatAction.UPLOAD_PHOTO
    assert requests.index(actions[0]) < requests.index(album)

    (text,) = anna.texts(await anna.press(ru("survey.staff.sources_button")))
    assert "12" in text and "Афиша" in text

    # The list of links ends with a poster button per link; "apply" is on the card above.
    assert anna.button_texts() == [
        ru("survey.poster.button_for", source="Плакат или афиша: Афиша")
    ]
    # Twelve answers are enough to look at, not to fill a strategy with.
    texts = anna.texts(await anna.press_data(StaffCb(a="apply", s=survey.id).pack()))
    assert texts == [ru.plural("survey.staff.apply_too_few", 30, count=12)]
    assert "aud_source" not in await repo.answers.all(strategy.id)


async def test_nothing_is_broken_down_below_the_minimum(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, source = await survey_with_link(
        db, library, SurveyConfig(title="Мало", disabled=frozenset({GENDER}))
    )
    await _answer(dispatcher, bot, survey, source.payload, 3)
    await anna.send("/results")
    summary = "\n".join(anna.texts(await anna.press(survey.title)))
    too_few = ru.plural("survey.staff.too_few", 10, count=3)
    assert too_few in summary
    assert ru("survey.staff.results_line_hidden", label="", min=5)[3:] not in summary
    for button in ("survey.staff.charts_button", "survey.staff.export_csv_button",
                   "survey.staff.export_xlsx_button"):  # fmt: skip
        requests = await anna.press(ru(button))
        assert anna.texts(requests) == [too_few]
        assert not documents(requests)
        assert not [r for r in requests if isinstance(r, SendPhoto)]
    (text,) = anna.texts(await anna.press(ru("survey.staff.sources_button")))
    assert ru.plural("survey.staff.sources_too_few", 10, count=3) in text
    assert "Афиша" not in text


async def test_milestones_cap_and_closing_date_send_results_once(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    repo = Repositories(db)
    library = await staff_library(db)
    capped, capped_source = await survey_with_link(
        db, library, SurveyConfig(title="Двое", response_cap=2)
    )
    await _answer(dispatcher, bot, capped, capped_source.payload, 2)
    surveys = SurveyRepository(db)
    stored = await surveys.get_survey(capped.id)
    assert stored is not None and not stored.is_open

    dated, dated_source = await survey_with_link(db, library)
    await _answer(dispatcher, bot, dated, dated_source.payload, 10)
    notifier = Notifier(
        Outbox(db),
        repo,
        partial(Translator, i18n),
        admin_ids=frozenset({ADMIN_ID}),
        default_locale="ru",
    )
    assert await close_due_surveys(repo, notifier) == []
    await db.execute(
        "UPDATE surveys SET closes_at = '2000-01-01T00:00:00.000Z' WHERE id = ?", (dated.id,)
    )
    await db.commit()
    assert await close_due_surveys(repo, notifier) == [dated.id]
    assert await close_due_surveys(repo, notifier) == []

    bot.session.clear()
    clock = FakeClock()
    await OutboxSender(bot, db, monotonic=clock.monotonic, sleep=clock.sleep).drain()
    for recipient in (STAFF_ID, ADMIN_ID):
        texts = sent_to(bot, recipient)
        for survey in (capped, dated):
            notice = ru("survey.staff.closed_notice", title=survey.title)
            assert [text for text in texts if text.startswith(notice)] != [], recipient
            assert len([text for text in texts if text.startswith(notice)]) == 1
    charts = [r for r in bot.session.requests_of(SendDocument) if r.chat_id == STAFF_ID]
    assert charts  # of the survey with ten answers; two answers give none
    assert all(str(capped.id) not in (r.caption or "") for r in charts)
    assert not [r for r in bot.session.requests_of(SendDocument) if r.chat_id == ADMIN_ID]
    assert not [r for r in bot.session.requests_of(SendMessage) if "milestone" in r.text]


def _member(user_id: int, status: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": user_id == 42, "first_name": "X"}
    if status == "administrator":
        rights = [
            "can_be_edited",
            "is_anonymous",
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_promote_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
            "can_send_welcome_messages",
        ]
        return {"status": status, "user": user, **dict.fromkeys(rights, False)}
    if status == "creator":
        return {"status": status, "user": user, "is_anonymous": False}
    return {"status": status, "user": user}


async def test_pulse_poll_in_a_channel_is_posted_checked_and_counted(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, _ = await survey_with_link(db, library)
    channel = {"id": -1001, "type": "channel", "title": "Библиотека <канал>"}
    gifts = "unlimited_gifts limited_gifts unique_gifts premium_subscription gifts_from_channels"
    full_channel = {
        **channel,
        "accent_color_id": 0,
        "max_reaction_count": 0,
        "accepted_gift_types": dict.fromkeys(gifts.split(), False),
    }

    await anna.press_data(StaffCb(a="pulse", s=survey.id).pack())
    assert anna.texts(await anna.send("просто текст")) == [ru("survey.pulse.chat_invalid")]
    # The bot is no admin there.
    bot.add_result_for(GetChat, result=full_channel)
    bot.add_result_for(GetChatMember, result=_member(bot.id, "member"))
    assert anna.texts(await anna.send("@library_channel")) == [ru("survey.pulse.bot_not_admin")]
    # The user is no admin there.
    bot.add_result_for(GetChat, result=full_channel)
    bot.add_result_for(GetChatMember, result=_member(bot.id, "administrator"))
    bot.add_result_for(GetChatMember, result=_member(anna.user.id, "member"))
    assert anna.texts(await anna.send("@library_channel")) == [ru("survey.pulse.user_not_admin")]

    bot.add_result_for(GetChat, result=full_channel)
    bot.add_result_for(GetChatMember, result=_member(bot.id, "administrator"))
    bot.add_result_for(GetChatMember, result=_member(anna.user.id, "creator"))
    await anna.send("@library_channel")
    await anna.send("Что почитать летом?")
    assert anna.texts(await anna.send("одно")) == [
        ru("survey.pulse.options_invalid", min=2, max=12)
    ]
    options = ["Детективы", "Фантастику", "Классику"]
    poll_json = {
        "id": "poll-1",
        "question": "Что почитать летом?",
        "options": [
            {"text": o, "voter_count": 0, "persistent_id": str(i)} for i, o in enumerate(options)
        ],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": True,
        "members_only": False,
    }
    bot.add_result_for(
        SendPoll,
        result={"message_id": 5, "date": 0, "chat": channel, "poll": poll_json},
    )
    texts = anna.texts(await anna.send("\n".join(options)))
    assert texts == [ru("survey.pulse.posted_in", chat="Библиотека &lt;канал&gt;")]
    (sent,) = bot.session.requests_of(SendPoll)
    assert sent.is_anonymous is True and sent.chat_id == -1001

    counts = [9, 6, 2]
    poll = Poll(
        id="poll-1",
        question="Что почитать летом?",
        options=[
            PollOption(text=o, voter_count=c, persistent_id=str(i))
            for i, (o, c) in enumerate(zip(options, counts, strict=True))
        ],
        total_voter_count=17,
        is_closed=False,
        is_anonymous=True,
        type="regular",
        allows_multiple_answers=False,
        allows_revoting=True,
        members_only=False,
    )
    await dispatcher.feed_update(bot, Update(update_id=900_001, poll=poll))
    # Someone else's poll is ignored.
    await dispatcher.feed_update(
        bot, Update(update_id=900_002, poll=poll.model_copy(update={"id": "other"}))
    )
    stored = await SurveyRepository(db).pulse_poll("poll-1")
    assert stored is not None
    assert (stored.counts, stored.total_voters) == (counts, 17)

    await anna.send("/results")
    text = "\n".join(anna.texts(await anna.press(survey.title)))
    assert "Что почитать летом?" in text
    assert "Детективы — 9" in text
    assert ru("survey.pulse.results_line_hidden", option="Классику", min=5) in text
    # 17 - 9 would give the small group away: the next smallest is hidden too.
    assert ru("survey.pulse.results_line_paired", option="Фантастику") in text
    assert "— 6" not in text


async def test_closing_a_survey_by_hand_asks_once_then_closes_and_sends_the_results(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    await _answer(dispatcher, bot, survey, source.payload, 6)

    await anna.send("/results")
    await anna.press(survey.title)
    asked = await anna.press(ru("survey.staff.close_button"), exact=True)
    assert anna.texts(asked) == [ru("survey.staff.close_confirm", title=survey.title)]
    stored = await SurveyRepository(db).get_survey(survey.id)
    assert stored is not None and stored.is_open  # asking closes nothing

    done = await anna.press(ru("survey.staff.close_button"), exact=True)
    assert anna.texts(done) == [ru("survey.staff.closed_done")]
    stored = await SurveyRepository(db).get_survey(survey.id)
    assert stored is not None and not stored.is_open
    # The results go to the library's staff through the outbox, once.
    bot.session.clear()
    clock = FakeClock()
    await OutboxSender(bot, db, monotonic=clock.monotonic, sleep=clock.sleep).drain()
    notice = ru("survey.staff.closed_notice", title=survey.title)
    assert [text for text in sent_to(bot, STAFF_ID) if text.startswith(notice)] != []

    # The old confirmation pressed again closes nothing twice; readers are told it is closed.
    again = await anna.press_data(StaffCb(a="closeyes", s=survey.id).pack())
    assert anna.texts(again) == [ru("survey.staff.already_closed")]
    late = reader(dispatcher, bot, next(_readers))
    assert late.texts(await late.send(f"/start {source.payload}")) == [ru("survey.link.closed")]
