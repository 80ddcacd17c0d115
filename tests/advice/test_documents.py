"""DOCX, iCalendar and PNG built from real strategies open in their own libraries."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from icalendar import Calendar
from PIL import Image

from bot.advice import build_advice
from bot.documents import build_calendar_ics, build_strategy_docx, build_week_png
from bot.documents.calendar_ics import plan_calendar
from bot.documents.common import rubric_name
from bot.i18n import Translator, create_i18n
from tests.advice.profiles import ENGINE_US_PUBLIC, PROFILES

START = date(2026, 12, 2)  # a Wednesday: the first week wraps around the weekend


@pytest.fixture(params=["ru", "en"])
def t(request: pytest.FixtureRequest) -> Translator:
    return Translator(create_i18n(), request.param)


@pytest.mark.parametrize("name", list(PROFILES))
def test_docx_holds_every_step_the_kpis_the_plan_and_sources(name: str, t: Translator) -> None:
    answers: dict[str, Any] = PROFILES[name]
    advice = build_advice(answers)
    data = build_strategy_docx(answers, advice, t, today=date(2026, 11, 26))
    document = Document(BytesIO(data))
    headings = [
        p.text
        for p in document.paragraphs
        if p.style is not None and str(p.style.name).startswith("Heading")
    ]
    for step_id in ("library", *[s.step_id for s in advice.steps]):
        assert t(f"step.{step_id}") in headings
    assert t("doc.sources_title") in headings
    title = document.paragraphs[0].text
    assert answers["lib_name"] in title
    text = "\n".join(p.text for p in document.paragraphs)
    for source in advice.sources:
        assert source.url in text
    # Answers table per step, KPI table, scores table, content plan table.
    assert len(document.tables) >= 4
    headers = [[c.text for c in table.rows[0].cells] for table in document.tables]
    assert [t("doc.col.day"), t("doc.col.time"), t("doc.col.network"), t("doc.col.rubric")] in (
        headers
    )
    kpi_header = [
        t(h)
        for h in (
            "doc.col.goal",
            "doc.col.metric",
            "doc.col.baseline",
            "doc.col.target",
            "doc.col.how",
        )
    ]
    kpi_table = document.tables[headers.index(kpi_header)]
    assert len(kpi_table.rows) == len(advice.kpis) + 1


@pytest.mark.parametrize("name", list(PROFILES))
def test_calendar_has_four_weeks_of_slots_in_the_library_zone(name: str, t: Translator) -> None:
    advice = build_advice(PROFILES[name])
    calendar = Calendar.from_ical(build_calendar_ics(advice, t, START))
    # Posting slots carry a time; library dates are all-day events.
    events = [e for e in calendar.walk("VEVENT") if isinstance(e.decoded("dtstart"), datetime)]
    plan = plan_calendar(advice, START, 4, locale=t.locale)
    assert len(events) == len(plan.posts)
    assert len(plan.posts) + len(plan.dropped) == 4 * len(advice.slots)
    zones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert zones == [advice.timezone]
    zone = ZoneInfo(advice.timezone)
    first, last = datetime.combine(START, datetime.min.time(), zone), None
    last = first + timedelta(days=28)
    for event in events:
        begin = event.decoded("dtstart")
        assert str(event["dtstart"].params["TZID"]) == advice.timezone
        assert begin.tzinfo is not None
        assert first <= begin < last
        assert begin.strftime("%H:%M") in {slot.time for slot in advice.slots}
    uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
    assert len(set(uids)) == len(uids)


def test_calendar_is_reproducible_and_rotates_rubrics(t: Translator) -> None:
    advice = build_advice(ENGINE_US_PUBLIC)
    one = build_calendar_ics(advice, t, START)
    assert one == build_calendar_ics(advice, t, START)
    calendar = Calendar.from_ical(one)
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    weekly = {(s.network, s.rubric) for s in advice.slots}
    assert len(summaries) > len(weekly)  # later weeks bring other rubrics


@pytest.mark.parametrize("name", ["rural_ru", "us_public"])
def test_week_picture_is_a_png_of_fixed_size(name: str, t: Translator) -> None:
    data = build_week_png(build_advice(PROFILES[name]), t)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (1200, 800)
    # Not a blank canvas: the cells are coloured.
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None
    assert len(colours) > 20


def test_a_rubric_the_librarian_typed_keeps_her_words(t: Translator) -> None:
    assert rubric_name("own:Вечера с самоваром", t) == "Вечера с самоваром"
    assert rubric_name("events", t) == t("opt.rubric.events")
