"""Library dates for the literary-calendar rubric: library days, book days, writers' birthdays.

A small table, each row with the country profiles it belongs to and the source that fixes
the date (the decree or the body that keeps the observance, an encyclopedia for birth
dates). Pure: the calendar export marks these dates, weekly drafts can suggest posts for them.

Titles are locale keys (``libdate.<id>``), so one table serves both languages; a birthday's
title takes the anniversary (``years``) as its plural number.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.advice.knowledge.sources import ru_act
from bot.advice.models import Source

CIS = frozenset({"ru", "by", "kz", "uz", "kg"})
ALL = frozenset({"ru", "by", "kz", "uz", "kg", "us", "other"})


class DateKind(StrEnum):
    DAY = "day"
    """An observance on one day."""
    MONTH = "month"
    """An observance for a whole month; marked on its first day."""
    BIRTHDAY = "birthday"
    """A writer's birthday; ``since`` is the year of birth."""


@dataclass(frozen=True, slots=True)
class LibraryDate:
    id: str
    kind: DateKind
    month: int
    day: int
    """Day of the month; 0 with ``weekday`` set means "the ``nth`` such weekday"."""
    countries: frozenset[str]
    source: Source
    since: int
    """Year the observance was established, or the year of birth."""
    weekday: int | None = None
    """0 = Monday, for observances on the n-th weekday of a month."""
    nth: int = 0

    @property
    def title_key(self) -> str:
        return f"libdate.{self.id}"

    def on(self, year: int) -> date | None:
        """The date in ``year``, or None before the observance existed."""
        if year < self.since or (self.kind is DateKind.BIRTHDAY and year == self.since):
            return None
        if self.weekday is None:
            return date(year, self.month, self.day)
        first = date(year, self.month, 1)
        offset = (self.weekday - first.weekday()) % 7
        return first + timedelta(days=offset + 7 * (self.nth - 1))


@dataclass(frozen=True, slots=True)
class DateOccurrence:
    """One library date on the calendar."""

    day: date
    entry: LibraryDate

    @property
    def years(self) -> int:
        """Years since birth (or since the observance was established)."""
        return self.day.year - self.entry.since

    @property
    def jubilee(self) -> bool:
        """A round anniversary (every 25 years), which libraries mark with more than a post."""
        return self.entry.kind is DateKind.BIRTHDAY and self.years % 25 == 0


DECREE_LIBRARY_DAY = ru_act("decree_539_1995", "539", "27.05.1995")
DECREE_PUSHKIN_DAY = ru_act("decree_506_1997", "506", "21.05.1997")
RESOLUTION_SLAVONIC = ru_act("resolution_568_1991", "568-1", "30.01.1991")
UNESCO_BOOK_DAY = Source(
    "unesco_book_day", "1995", "https://www.unesco.org/en/days/world-book-and-copyright"
)
UNESCO_LITERACY = Source("unesco_literacy", "1966", "https://www.unesco.org/en/days/literacy")
UNESCO_POETRY = Source("unesco_poetry", "1999", "https://www.unesco.org/en/days/world-poetry")
UNESCO_MOTHER_LANGUAGE = Source(
    "unesco_mother_language", "1999", "https://www.unesco.org/en/days/mother-language"
)
IBBY_BOOK_DAY = Source(
    "ibby_book_day",
    "1967",
    "https://www.ibby.org/awards-activities/activities/international-childrens-book-day",
)
IASL_DAY = Source("iasl_day", "2008", "https://iasl-online.org/")
ALA_NLW = Source(
    "ala_nlw", "1958", "https://www.ala.org/conferencesevents/celebrationweeks/natlibraryweek"
)
ALA_CARD = Source(
    "ala_card", "1987", "https://www.ala.org/conferencesevents/celebrationweeks/card"
)
POETS_MONTH = Source("poets_month", "1996", "https://poets.org/national-poetry-month")
NEA_READ_ACROSS = Source(
    "nea_read_across",
    "1998",
    "https://www.nea.org/professional-excellence/student-engagement/read-across-america",
)
BRE = Source("bre_writers", "2023", "https://bigenc.ru/")
BRITANNICA = Source("britannica_writers", "2024", "https://www.britannica.com/")


def _day(
    id_: str, when: tuple[int, int], countries: frozenset[str], source: Source, since: int
) -> LibraryDate:
    month, day = when
    return LibraryDate(id_, DateKind.DAY, month, day, countries, source, since)


def _month(
    id_: str, month: int, countries: frozenset[str], source: Source, since: int
) -> LibraryDate:
    return LibraryDate(id_, DateKind.MONTH, month, 1, countries, source, since)


def _born(id_: str, born: date, countries: frozenset[str], source: Source) -> LibraryDate:
    return LibraryDate(id_, DateKind.BIRTHDAY, born.month, born.day, countries, source, born.year)


RU = frozenset({"ru"})
US = frozenset({"us"})
# Russian classics are read and marked in Russian-language libraries across the region;
# Pushkin's birthday in Russia is already Pushkin Day.
CIS_BUT_RU = CIS - RU

LIBRARY_DATES: tuple[LibraryDate, ...] = (
    # Library and book days.
    _day("library_day_ru", (5, 27), RU, DECREE_LIBRARY_DAY, 1995),
    _day("pushkin_day_ru", (6, 6), RU, DECREE_PUSHKIN_DAY, 1997),
    _day("slavonic_literature", (5, 24), RU, RESOLUTION_SLAVONIC, 1991),
    _day("book_day", (4, 23), ALL, UNESCO_BOOK_DAY, 1995),
    _day("children_book_day", (4, 2), ALL, IBBY_BOOK_DAY, 1967),
    _day("literacy_day", (9, 8), ALL, UNESCO_LITERACY, 1966),
    _day("poetry_day", (3, 21), ALL, UNESCO_POETRY, 1999),
    _day("mother_language_day", (2, 21), ALL, UNESCO_MOTHER_LANGUAGE, 1999),
    LibraryDate("school_library_day", DateKind.DAY, 10, 0, ALL, IASL_DAY, 2008, 0, 4),
    _month("national_library_week", 4, US, ALA_NLW, 1958),
    _month("poetry_month", 4, US, POETS_MONTH, 1996),
    _month("library_card_month", 9, US, ALA_CARD, 1987),
    _day("read_across_america", (3, 2), US, NEA_READ_ACROSS, 1998),
    # Writers' birthdays (Gregorian dates).
    _born("pushkin", date(1799, 6, 6), CIS_BUT_RU, BRE),
    _born("krylov", date(1769, 2, 13), CIS, BRE),
    _born("gogol", date(1809, 4, 1), CIS, BRE),
    _born("lermontov", date(1814, 10, 15), CIS, BRE),
    _born("turgenev", date(1818, 11, 9), CIS, BRE),
    _born("dostoevsky", date(1821, 11, 11), CIS, BRE),
    _born("nekrasov", date(1821, 12, 10), CIS, BRE),
    _born("tolstoy", date(1828, 9, 9), CIS, BRE),
    _born("chekhov", date(1860, 1, 29), CIS, BRE),
    _born("chukovsky", date(1882, 3, 31), CIS, BRE),
    _born("marshak", date(1887, 11, 3), CIS, BRE),
    _born("akhmatova", date(1889, 6, 23), CIS, BRE),
    _born("bulgakov", date(1891, 5, 15), CIS, BRE),
    _born("tsvetaeva", date(1892, 10, 8), CIS, BRE),
    _born("yesenin", date(1895, 10, 3), CIS, BRE),
    _born("kupala", date(1882, 7, 7), frozenset({"by"}), BRE),
    _born("kolas", date(1882, 11, 3), frozenset({"by"}), BRE),
    _born("abai", date(1845, 8, 10), frozenset({"kz"}), BRE),
    _born("navoi", date(1441, 2, 9), frozenset({"uz"}), BRE),
    _born("aitmatov", date(1928, 12, 12), frozenset({"kg", "kz"}), BRE),
    _born("poe", date(1809, 1, 19), US, BRITANNICA),
    _born("whitman", date(1819, 5, 31), US, BRITANNICA),
    _born("dickinson", date(1830, 12, 10), US, BRITANNICA),
    _born("alcott", date(1832, 11, 29), US, BRITANNICA),
    _born("twain", date(1835, 11, 30), US, BRITANNICA),
    _born("hemingway", date(1899, 7, 21), US, BRITANNICA),
    _born("steinbeck", date(1902, 2, 27), US, BRITANNICA),
    _born("bradbury", date(1920, 8, 22), US, BRITANNICA),
    _born("harper_lee", date(1926, 4, 28), US, BRITANNICA),
    _born("angelou", date(1928, 4, 4), US, BRITANNICA),
    _born("morrison", date(1931, 2, 18), US, BRITANNICA),
)


def _years(start: date, end: date) -> Iterator[int]:
    return iter(range(start.year, end.year + 1))


def dates_between(country: str, start: date, end: date) -> list[DateOccurrence]:
    """Library dates of ``country`` (a value of ``lib_country``) from ``start`` up to, not
    including, ``end``, in date order. An unknown country gets the international ones."""
    country = country if country in ALL else "other"
    found = [
        DateOccurrence(day, entry)
        for entry in LIBRARY_DATES
        if country in entry.countries
        for year in _years(start, end)
        if (day := entry.on(year)) is not None and start <= day < end
    ]
    return sorted(found, key=lambda occurrence: (occurrence.day, occurrence.entry.id))
