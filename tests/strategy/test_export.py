"""/export and the file buttons: DOCX, calendar and week picture of a finished strategy."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.methods import SendChatAction, SendDocument, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from docx import Document
from icalendar import Calendar
from PIL import Image

from bot.advice import STEP_IDS, AudienceData
from bot.config import Settings
from bot.db.engine import Database
from bot.db.repositories import Repositories
from bot.documents.common import CALENDAR_WEEKS, HORIZON_WEEKS
from bot.factory import create_dispatcher
from bot.i18n import Translator
from bot.services.reports import AudienceSource, file_stem, next_monday
from bot.storage import DatabaseStorage
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.profiles import WIZARD_RURAL_RU, WIZARD_US_PUBLIC
from tests.wizard_driver import complete_wizard


def files_of(requests: list[Any]) -> dict[str, bytes]:
    """Sent files by extension ("png" for the photo)."""
    out: dict[str, bytes] = {}
    for request in requests:
        if isinstance(request, SendDocument | SendPhoto):
            sent = request.document if isinstance(request, SendDocument) else request.photo
            assert isinstance(sent, BufferedInputFile)
            out[(sent.filename or "").rsplit(".", 1)[-1]] = sent.data
    return out


def headings(data: bytes) -> list[str]:
    document = Document(BytesIO(data))
    return [
        p.text
        for p in document.paragraphs
        if p.style is not None and str(p.style.name).startswith("Heading")
    ]


async def test_export_sends_docx_calendar_and_week_picture(anna: ChatUser, i18n: I18n) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    moscow = ZoneInfo("Europe/Moscow")
    earliest = next_monday(datetime.now(moscow).date())
    requests = await anna.send("/export")
    latest = next_monday(datetime.now(moscow).date())
    files = files_of(requests)
    assert set(files) == {"docx", "ics", "png"}
    # "Sending a file…" is shown before any file goes.
    first_file = min(i for i, r in enumerate(requests) if isinstance(r, SendDocument | SendPhoto))
    actions = [i for i, r in enumerate(requests) if isinstance(r, SendChatAction)]
    assert actions and actions[0] < first_file
    assert requests[actions[0]].action == "upload_document"

    found = headings(files["docx"])
    for step_id in ("library", *STEP_IDS):
        assert t(f"step.{step_id}") in found, step_id

    calendar = Calendar.from_ical(files["ics"])
    # Posting slots (library dates of the literary calendar are all-day events).
    events = [e for e in calendar.walk("VEVENT") if isinstance(e.decoded("dtstart"), datetime)]
    assert events
    for event in events:
        assert str(event["dtstart"].params["TZID"]) == "Europe/Moscow"
        begin = event.decoded("dtstart")
        assert begin.utcoffset() is not None
    # From the next Monday in the library's zone, for the strategy's horizon.
    weeks = HORIZON_WEEKS[WIZARD_RURAL_RU["goal_horizon"]]
    first = min(event.decoded("dtstart") for event in events).date()
    assert earliest <= first < latest + timedelta(days=7)
    last = max(event.decoded("dtstart") for event in events).date()
    assert earliest + timedelta(weeks=weeks - 1) <= last < latest + timedelta(weeks=weeks)

    image = Image.open(BytesIO(files["png"]))
    assert image.format == "PNG" and image.size == (1200, 800)
    photos = [r for r in requests if isinstance(r, SendPhoto)]
    assert len(photos) == 1


async def test_export_in_english_and_from_a_file_button(john: ChatUser, i18n: I18n) -> None:
    t = Translator(i18n, "en")
    await john.send("/start")
    await complete_wizard(john, WIZARD_US_PUBLIC, t)
    requests = await john.press(t("advice.btn.ics"))
    files = files_of(requests)
    assert set(files) == {"ics"}
    calendar = Calendar.from_ical(files["ics"])
    zones = {str(e["dtstart"].params["TZID"]) for e in calendar.walk("VEVENT")}
    assert zones == {"America/Chicago"}
    requests = await john.press(t("advice.btn.docx"))
    assert t("step.networks") in headings(files_of(requests)["docx"])


async def test_export_without_a_library_is_refused(anna: ChatUser, i18n: I18n) -> None:
    t = Translator(i18n, "ru")
    requests = await anna.send("/export")
    assert anna.texts(requests) == [t("access.staff_only")]
    assert not files_of(requests)


async def test_export_with_only_a_draft_says_what_to_do(anna: ChatUser, i18n: I18n) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t, stop_at_step=3)
    requests = await anna.send("/export")
    assert anna.texts(requests) == [t("advice.export.none")]


async def test_several_finished_strategies_are_offered_to_pick(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    await anna.send("/strategies")
    await anna.press(t("btn.strategy_copy"))
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    strategies = await repo.strategies.of_user(anna.user.id)
    assert len(strategies) == 2 and all(s.is_complete for s in strategies)
    requests = await anna.send("/export")
    assert anna.texts(requests) == [t("advice.export.pick")]
    assert not files_of(requests)
    data = [b.callback_data for row in requests[-1].reply_markup.inline_keyboard for b in row]
    assert sorted(data) == sorted(f"exp:{s.id}:all" for s in strategies)
    requests = await anna.press_data(f"exp:{strategies[-1].id}:all")
    assert set(files_of(requests)) == {"docx", "ics", "png"}


def chat_with_audience(
    db: Database, i18n: I18n, settings: Settings, source: AudienceSource
) -> ChatUser:
    dispatcher = create_dispatcher(
        repo=Repositories(db),
        storage=DatabaseStorage(db),
        i18n=i18n,
        settings=settings,
        audience_source=source,
    )
    return ChatUser(dispatcher, MockedBot(), 100)


async def test_survey_audience_comes_from_the_seam(
    db: Database, repo: Repositories, i18n: I18n, settings: Settings
) -> None:
    asked: list[int] = []

    async def survey(strategy_id: int) -> AudienceData | None:
        asked.append(strategy_id)
        return AudienceData(sample_size=40, age={"18_24": 0.6, "25_34": 0.4})

    anna = chat_with_audience(db, i18n, settings, survey)
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    (strategy,) = await repo.strategies.of_user(anna.user.id)
    assert set(asked) == {strategy.id}
    # The audience step speaks of the survey's readers, not of the answers' pensioners.
    text = "\n".join(anna.texts())
    assert "По опросу 40 читателей" in text
    assert "<b>Молодёжь 18–24 лет</b>" in text


async def test_a_failing_survey_source_does_not_cost_the_advice(
    db: Database, i18n: I18n, settings: Settings
) -> None:
    async def broken(strategy_id: int) -> AudienceData | None:
        raise RuntimeError("survey database is down")

    anna = chat_with_audience(db, i18n, settings, broken)
    t = Translator(i18n, "ru")
    await anna.send("/start")
    with anna.tolerating("audience source failed") as logged:
        await complete_wizard(anna, WIZARD_RURAL_RU, t)
    assert logged == ["audience source failed for strategy 1"]
    assert any(f"<b>{t('step.page')}</b>" in text for text in anna.texts())
    assert not any(t("error.generic") in text for text in anna.texts())
    assert any(isinstance(r, SendMessage) for r in anna.bot.session.requests)


def test_file_names_and_calendar_start() -> None:
    assert file_stem("Молодёжная библиотека «Точка»") == "molodezhnaya-biblioteka-tochka"
    assert file_stem("!!!") == "library"
    assert file_stem("Maple Falls Public Library") == "maple-falls-public-library"
    assert next_monday(date(2026, 11, 26)) == date(2026, 11, 30)  # Thursday
    assert next_monday(date(2026, 11, 30)) == date(2026, 12, 7)  # a Monday: the next one
    assert next_monday(date(2026, 11, 29)) == date(2026, 11, 30)  # Sunday


def calendar_message(requests: list[Any]) -> SendDocument:
    return next(
        r
        for r in requests
        if isinstance(r, SendDocument)
        and isinstance(r.document, BufferedInputFile)
        and (r.document.filename or "").endswith(".ics")
    )


async def test_calendar_length_is_picked_with_a_button(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    (strategy,) = await repo.strategies.of_user(anna.user.id)
    moscow = ZoneInfo("Europe/Moscow")
    earliest = next_monday(datetime.now(moscow).date())
    sent = calendar_message(await anna.send("/export"))
    mondays = {earliest, next_monday(datetime.now(moscow).date())}
    horizon = HORIZON_WEEKS[WIZARD_RURAL_RU["goal_horizon"]]

    def caption(weeks: int) -> set[str]:
        return {
            t.plural("advice.file.ics_weeks", weeks, date=day.strftime("%d.%m.%Y"))
            for day in mondays
        }

    assert sent.caption is not None
    assert sent.caption.split("\n")[0] in caption(horizon)
    markup = sent.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    buttons = {b.text: b.callback_data for row in markup.inline_keyboard for b in row}
    # The horizon's length was sent; the other lengths are offered.
    others = [n for n in CALENDAR_WEEKS if n != horizon]
    assert set(buttons) == {t.plural("advice.btn.weeks", n) for n in others}
    assert buttons[t.plural("advice.btn.weeks", 4)] == f"cal:{strategy.id}:4"

    requests = await anna.press_data(f"cal:{strategy.id}:4")
    files = files_of(requests)
    assert set(files) == {"ics"}
    calendar = Calendar.from_ical(files["ics"])
    posts = [e for e in calendar.walk("VEVENT") if isinstance(e.decoded("dtstart"), datetime)]
    days = sorted(e.decoded("dtstart").date() for e in posts)
    assert (days[-1] - days[0]).days < 28
    sent = calendar_message(requests)
    assert sent.caption is not None
    assert sent.caption.split("\n")[0] in caption(4)
    # The pick is remembered: the next /export sends four weeks again.
    stored = await repo.strategies.get(strategy.id)
    assert stored is not None and stored.calendar_weeks == 4
    sent = calendar_message(await anna.send("/export"))
    assert sent.caption is not None
    assert sent.caption.split("\n")[0] in caption(4)


async def test_a_calendar_length_the_bot_does_not_offer_is_refused(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    (strategy,) = await repo.strategies.of_user(anna.user.id)
    requests = await anna.press_data(f"cal:{strategy.id}:5")
    assert anna.alerts(requests) == [t("advice.cb.gone")]
    assert not files_of(requests)
