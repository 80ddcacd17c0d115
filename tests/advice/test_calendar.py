"""The content calendar: its length, public holidays kept free, library dates marked."""

from __future__ import annotations

import dataclasses
import functools
from datetime import date, datetime, timedelta
from typing import Any

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from bot.advice import StrategyAdvice, build_advice
from bot.advice.knowledge import sources as knowledge_sources
from bot.advice.knowledge.calendar_dates import LIBRARY_DATES, DateKind, dates_between
from bot.advice.models import Source
from bot.documents import build_calendar_ics
from bot.documents.calendar_ics import LITERARY_RUBRIC, plan_calendar
from bot.documents.common import CALENDAR_WEEKS, horizon_weeks
from bot.i18n import Translator, create_i18n
from tests.advice.profiles import ENGINE_RURAL_RU, ENGINE_US_PUBLIC, PROFILES

START = date(2026, 12, 7)  # a Monday
COUNTRY_PROFILES: dict[str, dict[str, Any]] = {
    "ru": ENGINE_RURAL_RU,
    "us": ENGINE_US_PUBLIC,
    "by": {**ENGINE_RURAL_RU, "lib_country": "by", "lib_tz": "Europe/Minsk"},
    "kz": {**ENGINE_RURAL_RU, "lib_country": "kz", "lib_tz": "Asia/Almaty"},
}
ISO = {"ru": "RU", "us": "US", "by": "BY", "kz": "KZ"}


@pytest.fixture(params=["ru", "en"])
def t(request: pytest.FixtureRequest) -> Translator:
    return Translator(create_i18n(), request.param)


@functools.cache
def advice_of(country: str) -> StrategyAdvice:
    return build_advice(COUNTRY_PROFILES[country])


def with_literary_rubric(advice: StrategyAdvice) -> StrategyAdvice:
    return dataclasses.replace(advice, rubrics=(*advice.rubrics, LITERARY_RUBRIC))


def posting_events(calendar: Calendar) -> list[Any]:
    return [
        event
        for event in calendar.walk("VEVENT")
        if isinstance(event.decoded("dtstart"), datetime)
    ]


def date_events(calendar: Calendar) -> list[Any]:
    return [
        event
        for event in calendar.walk("VEVENT")
        if not isinstance(event.decoded("dtstart"), datetime)
    ]


def slots_in(advice: StrategyAdvice, weeks: int) -> int:
    return sum(len(advice.weeks[week % len(advice.weeks)]) for week in range(weeks))


@pytest.mark.parametrize("weeks", CALENDAR_WEEKS)
@pytest.mark.parametrize("country", ["ru", "us"])
def test_calendar_covers_the_chosen_weeks(country: str, weeks: int) -> None:
    t = Translator(create_i18n(), "ru")
    advice = advice_of(country)
    calendar = Calendar.from_ical(build_calendar_ics(advice, t, START, weeks))
    events = posting_events(calendar)
    days = sorted(event.decoded("dtstart").date() for event in events)
    end = START + timedelta(weeks=weeks)
    assert days[0] >= START and days[-1] < end
    # The last week has posts too: the calendar runs to its end, not for four weeks.
    assert days[-1] >= end - timedelta(days=7)
    plan = plan_calendar(advice, START, weeks, locale="ru")
    assert len(events) == len(plan.posts)
    assert len(plan.posts) + len(plan.dropped) == slots_in(advice, weeks)
    assert t.plural("doc.ics.caldesc", weeks, start="07.12.2026") in str(calendar["description"])


def test_strategy_horizon_sets_the_default_length() -> None:
    assert horizon_weeks({"goal_horizon": "3m"}) == 13
    assert horizon_weeks({"goal_horizon": "6m"}) == 26
    assert horizon_weeks({"goal_horizon": "12m"}) == 52
    assert horizon_weeks({}) == 13


@settings(max_examples=25, deadline=None)
@given(
    country=st.sampled_from(sorted(COUNTRY_PROFILES)),
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    weeks=st.sampled_from((4, 13)),
)
def test_no_post_falls_on_a_public_holiday(country: str, start: date, weeks: int) -> None:
    t = Translator(create_i18n(), "en")
    advice = advice_of(country)
    public = holidays.country_holidays(ISO[country], years=range(start.year, start.year + 2))
    plan = plan_calendar(advice, start, weeks, locale="en")
    calendar = Calendar.from_ical(build_calendar_ics(advice, t, start, weeks))
    events = posting_events(calendar)
    assert len(events) == len(plan.posts)
    for event in events:
        day = event.decoded("dtstart").date()
        assert day not in public, (day, public.get(day))
    # A moved post says from where and why; a left-out one is listed in the description.
    for post in plan.moved:
        assert post.moved_from is not None and post.moved_from in public
        assert post.day.weekday() < 5 and 0 < (post.day - post.moved_from).days <= 7
        event = next(
            e
            for e in events
            if e.decoded("dtstart").date() == post.day
            and post.slot.time in str(e["uid"])
            and post.slot.network in str(e["uid"])
        )
        assert post.moved_from.strftime("%d.%m.%Y") in str(event["description"])
    description = str(calendar["description"])
    for dropped in plan.dropped:
        assert dropped.day in public
        assert dropped.day.strftime("%d.%m.%Y") in description
    # One post per network per day, moved ones included.
    keys = [(post.day, post.slot.network) for post in plan.posts]
    assert len(keys) == len(set(keys))
    assert len(plan.posts) + len(plan.dropped) == slots_in(advice, weeks)


def test_new_year_holidays_in_russia_move_or_drop_posts() -> None:
    t = Translator(create_i18n(), "ru")
    advice = advice_of("ru")
    plan = plan_calendar(advice, date(2026, 12, 28), 4, locale="ru")
    assert plan.moved or plan.dropped
    assert not any(date(2027, 1, 1) <= post.day <= date(2027, 1, 8) for post in plan.posts)
    calendar = Calendar.from_ical(build_calendar_ics(advice, t, date(2026, 12, 28), 4))
    moved = [e for e in posting_events(calendar) if "Перенесено с" in str(e["description"])]
    assert len(moved) == len(plan.moved)


def test_a_country_without_a_known_calendar_says_so(t: Translator) -> None:
    advice = dataclasses.replace(advice_of("ru"), country="other")
    calendar = Calendar.from_ical(build_calendar_ics(advice, t, START, 4))
    assert t("doc.ics.no_holidays") in str(calendar["description"])


def test_library_dates_are_marked_when_the_plan_has_the_literary_rubric(t: Translator) -> None:
    advice = advice_of("ru")
    assert LITERARY_RUBRIC in advice.rubrics
    start = date(2027, 5, 3)
    calendar = Calendar.from_ical(build_calendar_ics(advice, t, start, 13))
    marked = {event.decoded("dtstart"): str(event["summary"]) for event in date_events(calendar)}
    assert t("libdate.library_day_ru") in marked[date(2027, 5, 27)]
    assert t("libdate.pushkin_day_ru") in marked[date(2027, 6, 6)]
    assert t.plural("libdate.akhmatova", 2027 - 1889) in marked[date(2027, 6, 23)]
    for event in date_events(calendar):
        assert "http" in str(event["description"])  # the source of the date
    plan = plan_calendar(advice, start, 13, locale=t.locale)
    assert (
        len(date_events(calendar))
        == len(plan.library_dates)
        == len(dates_between("ru", start, start + timedelta(weeks=13)))
    )


def test_no_library_dates_without_the_rubric(t: Translator) -> None:
    advice = build_advice(PROFILES["youth_ru"])
    assert LITERARY_RUBRIC not in advice.rubrics
    calendar = Calendar.from_ical(build_calendar_ics(advice, t, date(2027, 5, 3), 13))
    assert date_events(calendar) == []


def test_us_library_dates_are_american(t: Translator) -> None:
    advice = with_literary_rubric(advice_of("us"))
    calendar = Calendar.from_ical(build_calendar_ics(advice, t, date(2027, 3, 29), 4))
    titles = [str(event["summary"]) for event in date_events(calendar)]
    assert any(t("libdate.national_library_week") in title for title in titles)
    assert not any(t("libdate.library_day_ru") in title for title in titles)


def test_dates_between_is_sorted_bounded_and_per_country() -> None:
    start, end = date(2026, 1, 1), date(2028, 1, 1)
    for country in ("ru", "by", "kz", "uz", "kg", "us", "other", "unknown"):
        found = dates_between(country, start, end)
        days = [occurrence.day for occurrence in found]
        assert days == sorted(days)
        assert all(start <= day < end for day in days)
        expected = "other" if country == "unknown" else country
        assert all(expected in occurrence.entry.countries for occurrence in found)
    russian = {o.entry.id for o in dates_between("ru", start, end)}
    american = {o.entry.id for o in dates_between("us", start, end)}
    assert "library_day_ru" in russian and "library_day_ru" not in american
    assert "national_library_week" in american and "national_library_week" not in russian
    assert "book_day" in russian & american
    # The fourth Monday of October.
    school = [o.day for o in dates_between("us", start, end) if o.entry.id == "school_library_day"]
    assert school == [date(2026, 10, 26), date(2027, 10, 25)]
    assert all(day.weekday() == 0 for day in school)
    pushkin = next(
        o
        for o in dates_between("by", date(2049, 1, 1), date(2050, 1, 1))
        if o.entry.id == "pushkin"
    )
    assert pushkin.years == 250 and pushkin.jubilee


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_every_library_date_has_a_title_and_a_dated_source(locale: str) -> None:
    t = Translator(create_i18n(), locale)
    for entry in LIBRARY_DATES:
        title = (
            t.plural(entry.title_key, 5) if entry.kind is DateKind.BIRTHDAY else t(entry.title_key)
        )
        assert title != entry.title_key
        source = entry.source
        assert source.year.isdigit() and source.url.startswith("http")
        assert t(f"source.{source.id}") != f"source.{source.id}"


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_every_knowledge_source_has_a_title_in_both_languages(locale: str) -> None:
    t = Translator(create_i18n(), locale)
    sources = [value for value in vars(knowledge_sources).values() if isinstance(value, Source)]
    assert sources
    missing = [s.id for s in sources if t(f"source.{s.id}") == f"source.{s.id}"]
    assert not missing, missing
