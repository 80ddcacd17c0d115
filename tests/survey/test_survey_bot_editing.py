"""Staff edit an open survey from its card, through the real Dispatcher."""

from __future__ import annotations

from datetime import date

from aiogram import Dispatcher
from aiogram.fsm.storage.base import StorageKey
from aiogram.utils.i18n import I18n

from bot.clock import to_db
from bot.db.engine import Database
from bot.db.surveys import SurveyRepository
from bot.i18n import Translator
from bot.survey.models import LinkProblem, Resolved, Survey
from bot.survey.questions import AGE, GENDER, SurveyConfig, end_of_day
from handlers.survey.callbacks import ReaderAction, ReaderCb, StaffCb
from handlers.survey.common import EDITOR_DESTINY
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.survey.bot_helpers import answer_survey, reader, staff_library, survey_with_link

OTHER_STAFF_ID = 300


async def _stored(db: Database, survey: Survey) -> Survey:
    fresh = await SurveyRepository(db).get_survey(survey.id)
    assert fresh is not None
    return fresh


async def _editor_state(chat: ChatUser) -> str | None:
    key = StorageKey(
        bot_id=chat.bot.id, chat_id=chat.chat.id, user_id=chat.user.id, destiny=EDITOR_DESTINY
    )
    return await chat.dispatcher.fsm.storage.get_state(key)


async def _edit(chat: ChatUser, survey: Survey, field: str, t: Translator) -> list[str]:
    """Open the survey's card, its edit menu and one setting's editor, by buttons."""
    await chat.press_data(StaffCb(action="card", survey_id=survey.id).pack())
    await chat.press(t("survey.edit.button"), exact=True)
    return chat.texts(await chat.press(t(f"survey.edit.{field}_button"), exact=True))


async def _newcomer(db: Database, payload: str) -> Resolved | LinkProblem:
    """What the link tells a reader who has not started the survey yet."""
    return await SurveyRepository(db).resolve_payload(payload)


async def _start_only(
    dispatcher: Dispatcher, bot: MockedBot, survey: Survey, payload: str, user_id: int
) -> None:
    chat = reader(dispatcher, bot, user_id)
    await chat.send(f"/start {payload}")
    await chat.press_data(ReaderCb(action=ReaderAction.BEGIN, survey_id=survey.id).pack())


async def test_rename_shows_on_the_card_and_to_readers(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)

    await anna.send("/survey")
    await anna.press(survey.title)
    texts = anna.texts(await anna.press(ru("survey.edit.button"), exact=True))
    menu = ru("survey.edit.menu", title=survey.title)
    assert texts == [f"{menu}\n\n{ru('survey.edit.questions_open')}"]
    texts = anna.texts(await anna.press(ru("survey.edit.title_button"), exact=True))
    assert texts == [ru("survey.edit.ask_title", title=survey.title, max=120)]
    # /cancel leaves the editor and changes nothing.
    assert anna.texts(await anna.send("/cancel")) == [ru("survey.staff.cancelled")]
    assert await _editor_state(anna) is None
    assert (await _stored(db, survey)).title == survey.title

    await _edit(anna, survey, "title", ru)
    assert anna.texts(await anna.send("x" * 121)) == [ru("invalid.too_long", max=120, given=121)]
    texts = anna.texts(await anna.send("Летнее   <чтение>"))
    assert texts[0] == ru("survey.edit.saved")
    assert texts[1].startswith("<b>Летнее &lt;чтение&gt;</b>")
    assert ru("survey.edit.button") in anna.button_texts()
    assert await _editor_state(anna) is None
    stored = await _stored(db, survey)
    assert (stored.title, stored.config.title) == ("Летнее <чтение>", "Летнее <чтение>")

    chat = reader(dispatcher, bot, 40_001)
    (greeting,) = chat.texts(await chat.send(f"/start {source.payload}"))
    assert "Летнее &lt;чтение&gt;" in greeting


async def test_moving_the_closing_date_changes_what_links_answer(
    db: Database, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    # The date has passed and the scheduler has not closed the survey yet.
    await db.execute(
        "UPDATE surveys SET closes_at = '2000-01-01T00:00:00.000Z' WHERE id = ?", (survey.id,)
    )
    await db.commit()
    assert await _newcomer(db, source.payload) is LinkProblem.EXPIRED

    assert await _edit(anna, survey, "closes", ru) == [ru("survey.staff.ask_closes_at")]
    for bad in ("01.01.2000", "31.02.2099", "завтра"):
        assert anna.texts(await anna.send(bad)) == [ru("survey.staff.closes_at_invalid")], bad
    texts = anna.texts(await anna.send("31.12.2099"))
    assert texts[0] == ru("survey.edit.saved")
    assert "31.12.2099" in texts[1]
    assert isinstance(await _newcomer(db, source.payload), Resolved)
    stored = await _stored(db, survey)
    assert stored.config.closes_at == end_of_day(date(2099, 12, 31), library.timezone)
    assert stored.closes_at == to_db(stored.config.closes_at)

    await _edit(anna, survey, "closes", ru)
    texts = anna.texts(await anna.press(ru("survey.staff.no_deadline_button"), exact=True))
    assert texts[0] == ru("survey.edit.saved")
    assert ru("survey.staff.no_deadline") in texts[1]
    stored = await _stored(db, survey)
    assert stored.closes_at is None and stored.config.closes_at is None


async def test_the_cap_is_never_below_the_readers_who_started(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, source = await survey_with_link(
        db, library, SurveyConfig(title="Трое", response_cap=3)
    )
    await answer_survey(reader(dispatcher, bot, 41_001), survey, source.payload)
    await _start_only(dispatcher, bot, survey, source.payload, 41_002)
    await _start_only(dispatcher, bot, survey, source.payload, 41_003)
    assert await _newcomer(db, source.payload) is LinkProblem.FULL

    texts = await _edit(anna, survey, "cap", ru)
    assert texts == [f"{ru('survey.staff.ask_cap')}\n\n{ru('survey.edit.cap_minimum', started=3)}"]
    assert anna.texts(await anna.send("2")) == [ru("survey.edit.refused.cap_too_low", started=3)]
    assert (await _stored(db, survey)).response_cap == 3
    # Still editing the cap: a bigger number is taken.
    texts = anna.texts(await anna.send("5"))
    assert texts[0] == ru("survey.edit.saved")
    assert (await _stored(db, survey)).response_cap == 5
    assert isinstance(await _newcomer(db, source.payload), Resolved)

    # Full again, then the cap removed: the survey takes new readers.
    await _edit(anna, survey, "cap", ru)
    await anna.send("3")
    assert await _newcomer(db, source.payload) is LinkProblem.FULL
    await _edit(anna, survey, "cap", ru)
    texts = anna.texts(await anna.press(ru("survey.staff.no_cap_button"), exact=True))
    assert texts[0] == ru("survey.edit.saved")
    assert (await _stored(db, survey)).response_cap is None
    assert isinstance(await _newcomer(db, source.payload), Resolved)


async def test_a_cap_already_reached_closes_the_survey(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    for number in range(2):
        chat = reader(dispatcher, bot, 42_001 + number)
        await answer_survey(chat, survey, source.payload, number=number)

    await _edit(anna, survey, "cap", ru)
    texts = anna.texts(await anna.send("2"))
    assert texts[0] == ru("survey.edit.closed_by_cap")
    assert ru("survey.edit.button") not in anna.button_texts()
    assert not (await _stored(db, survey)).is_open
    assert await _newcomer(db, source.payload) is LinkProblem.CLOSED


async def test_questions_and_places_change_only_before_the_first_completed_answer(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    # A reader who only started does not lock the questions.
    await _start_only(dispatcher, bot, survey, source.payload, 43_001)

    assert await _edit(anna, survey, "questions", ru) == [ru("survey.edit.questions")]
    await anna.press(ru("survey.q.gender.short"), exact=True)
    assert ru("survey.edit.save_button") in anna.button_texts()
    texts = anna.texts(await anna.press(ru("survey.edit.save_button"), exact=True))
    assert texts[0] == ru("survey.edit.saved")
    assert (await _stored(db, survey)).config.disabled == {GENDER}

    await _edit(anna, survey, "places", ru)
    assert anna.texts(await anna.send("Село Ивановка\nДеревня Петровка"))[0] == ru(
        "survey.edit.saved"
    )
    stored = await _stored(db, survey)
    assert stored.config.places == ("Село Ивановка", "Деревня Петровка")
    assert stored.config.disabled == {GENDER}

    # Staff open the questions, a reader sends answers meanwhile: the change is refused.
    await _edit(anna, survey, "questions", ru)
    await anna.press(ru("survey.q.age.short"), exact=True)
    await answer_survey(reader(dispatcher, bot, 43_002), stored, source.payload)
    # The save button of the questions screen (the reader's keyboard came after it).
    texts = anna.texts(await anna.press_data(StaffCb(action="qnext").pack()))
    assert texts == [ru("survey.edit.refused.answered")]
    assert await _editor_state(anna) is None
    stored = await _stored(db, survey)
    assert AGE not in stored.config.disabled and stored.config.disabled == {GENDER}

    # From now on the menu offers no questions or places, and old buttons say why.
    await anna.press_data(StaffCb(action="card", survey_id=survey.id).pack())
    texts = anna.texts(await anna.press(ru("survey.edit.button"), exact=True))
    assert texts[0].endswith(ru("survey.edit.questions_locked"))
    assert ru("survey.edit.questions_button") not in anna.button_texts()
    assert ru("survey.edit.places_button") not in anna.button_texts()
    for field in ("questions", "places"):
        requests = await anna.press_data(
            StaffCb(action="ed", survey_id=survey.id, value=field).pack()
        )
        assert anna.alerts(requests) == [ru("survey.edit.refused.answered")]
    assert await _editor_state(anna) is None
    # The title still changes.
    await anna.press(ru("survey.edit.title_button"), exact=True)
    assert anna.texts(await anna.send("Новое имя"))[0] == ru("survey.edit.saved")
    assert (await _stored(db, survey)).config.places == stored.config.places


async def test_staff_of_another_library_cannot_edit(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, _ = await survey_with_link(db, library, SurveyConfig(title="Наш", response_cap=9))
    await staff_library(db, OTHER_STAFF_ID)
    other = ChatUser(dispatcher, bot, OTHER_STAFF_ID, first_name="Борис")

    for data in (
        StaffCb(action="edit", survey_id=survey.id),
        *(
            StaffCb(action="ed", survey_id=survey.id, value=field)
            for field in ("title", "cap", "questions")
        ),
    ):
        requests = await other.press_data(data.pack())
        assert other.alerts(requests) == [ru("survey.staff.not_member")]
        assert other.texts(requests) == []
    assert await _editor_state(other) is None
    # Typing now goes nowhere near the survey.
    await other.send("Чужое название")
    assert await _stored(db, survey) == survey


async def test_a_closed_survey_cannot_be_edited(db: Database, anna: ChatUser, i18n: I18n) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    survey, _ = await survey_with_link(db, library)

    # The editor was open when the survey closed.
    await _edit(anna, survey, "title", ru)
    assert await SurveyRepository(db).close_survey(survey.id)
    assert anna.texts(await anna.send("Поздно")) == [ru("survey.edit.refused.closed")]
    assert await _editor_state(anna) is None
    closed = await _stored(db, survey)
    assert closed.title == survey.title

    await anna.press_data(StaffCb(action="card", survey_id=survey.id).pack())
    assert ru("survey.edit.button") not in anna.button_texts()
    # Stale buttons from when it was open get a polite answer and change nothing.
    for data in (
        StaffCb(action="edit", survey_id=survey.id),
        StaffCb(action="ed", survey_id=survey.id, value="cap"),
    ):
        requests = await anna.press_data(data.pack())
        assert anna.alerts(requests) == [ru("survey.edit.closed")]
        assert anna.texts(requests) == []
    assert await _editor_state(anna) is None
    assert await _stored(db, survey) == closed
