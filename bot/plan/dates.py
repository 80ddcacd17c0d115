"""A small sourced table of library and literary dates for the "literary dates" rubric.

Birthdays are in the Gregorian calendar (new style for Russian writers). Each row names where
it was checked. ``dates_between`` has the shape a fuller calendar would offer, so it can be
swapped for one without touching its callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

RU = frozenset({"ru", "cis"})
ALL = frozenset({"ru", "cis", "intl"})
INTL = frozenset({"intl"})

WIKI_RU = "https://ru.wikipedia.org/wiki/"
WIKI_EN = "https://en.wikipedia.org/wiki/"


@dataclass(frozen=True, slots=True)
class LiteraryDate:
    key: str
    """Locale key ``plan.date.<key>``: who was born, or which day it is."""
    month: int
    day: int
    year: int | None
    """Birth year for a birthday (the anniversary counts from it); None for a yearly day."""
    profiles: frozenset[str]
    """Knowledge profiles ("ru", "cis", "intl") whose readers would expect it."""
    source: str


@dataclass(frozen=True, slots=True)
class DatedEvent:
    on: date
    date: LiteraryDate

    @property
    def years(self) -> int | None:
        return None if self.date.year is None else self.on.year - self.date.year


TABLE: tuple[LiteraryDate, ...] = (
    LiteraryDate("tolkien", 1, 3, 1892, ALL, WIKI_EN + "J._R._R._Tolkien"),
    LiteraryDate("poe", 1, 19, 1809, INTL, WIKI_EN + "Edgar_Allan_Poe"),
    LiteraryDate("carroll", 1, 27, 1832, ALL, WIKI_EN + "Lewis_Carroll"),
    LiteraryDate("chekhov", 1, 29, 1860, ALL, WIKI_RU + "Чехов,_Антон_Павлович"),
    LiteraryDate("dickens", 2, 7, 1812, ALL, WIKI_EN + "Charles_Dickens"),
    LiteraryDate("verne", 2, 8, 1828, ALL, WIKI_EN + "Jules_Verne"),
    LiteraryDate("krylov", 2, 13, 1769, RU, WIKI_RU + "Крылов,_Иван_Андреевич"),
    LiteraryDate("barto", 2, 17, 1906, RU, WIKI_RU + "Барто,_Агния_Львовна"),
    LiteraryDate(
        "mother_language_day", 2, 21, None, ALL, WIKI_EN + "International_Mother_Language_Day"
    ),
    LiteraryDate("seuss", 3, 2, 1904, INTL, WIKI_EN + "Dr._Seuss"),
    LiteraryDate("poetry_day", 3, 21, None, ALL, WIKI_EN + "World_Poetry_Day"),
    LiteraryDate("chukovsky", 3, 31, 1882, RU, WIKI_RU + "Чуковский,_Корней_Иванович"),
    LiteraryDate("gogol", 4, 1, 1809, RU, WIKI_RU + "Гоголь,_Николай_Васильевич"),
    LiteraryDate(
        "children_book_day", 4, 2, None, ALL, WIKI_EN + "International_Children%27s_Book_Day"
    ),
    LiteraryDate("book_day", 4, 23, None, ALL, WIKI_EN + "World_Book_Day"),
    LiteraryDate("bulgakov", 5, 15, 1891, RU, WIKI_RU + "Булгаков,_Михаил_Афанасьевич"),
    LiteraryDate(
        "slavic_literature_day",
        5,
        24,
        None,
        RU,
        WIKI_RU + "День_славянской_письменности_и_культуры",
    ),
    LiteraryDate("library_day", 5, 27, None, RU, WIKI_RU + "Общероссийский_день_библиотек"),
    LiteraryDate("pushkin", 6, 6, 1799, RU, WIKI_RU + "Пушкин,_Александр_Сергеевич"),
    LiteraryDate("akhmatova", 6, 23, 1889, RU, WIKI_RU + "Ахматова,_Анна_Андреевна"),
    LiteraryDate("hemingway", 7, 21, 1899, INTL, WIKI_EN + "Ernest_Hemingway"),
    LiteraryDate("literacy_day", 9, 8, None, ALL, WIKI_EN + "International_Literacy_Day"),
    LiteraryDate("tolstoy", 9, 9, 1828, ALL, WIKI_RU + "Толстой,_Лев_Николаевич"),
    LiteraryDate("yesenin", 10, 3, 1895, RU, WIKI_RU + "Есенин,_Сергей_Александрович"),
    LiteraryDate("tsvetaeva", 10, 8, 1892, RU, WIKI_RU + "Цветаева,_Марина_Ивановна"),
    LiteraryDate("lermontov", 10, 15, 1814, RU, WIKI_RU + "Лермонтов,_Михаил_Юрьевич"),
    LiteraryDate("marshak", 11, 3, 1887, RU, WIKI_RU + "Маршак,_Самуил_Яковлевич"),
    LiteraryDate("turgenev", 11, 9, 1818, RU, WIKI_RU + "Тургенев,_Иван_Сергеевич"),
    LiteraryDate("dostoevsky", 11, 11, 1821, ALL, WIKI_RU + "Достоевский,_Фёдор_Михайлович"),
    LiteraryDate("lindgren", 11, 14, 1907, ALL, WIKI_EN + "Astrid_Lindgren"),
    LiteraryDate("nosov", 11, 23, 1908, RU, WIKI_RU + "Носов,_Николай_Николаевич"),
    LiteraryDate("twain", 11, 30, 1835, INTL, WIKI_EN + "Mark_Twain"),
    LiteraryDate("austen", 12, 16, 1775, INTL, WIKI_EN + "Jane_Austen"),
)


def _on(entry: LiteraryDate, year: int) -> date | None:
    try:
        return date(year, entry.month, entry.day)
    except ValueError:  # no 29 February this year
        return None


def dates_between(profile: str, start: date, end: date) -> list[DatedEvent]:
    """Dates from ``start`` to ``end`` (inclusive) for readers of ``profile``, in order;
    round anniversaries (every fifth year) first on the same day."""
    found: list[DatedEvent] = []
    for year in range(start.year, end.year + 1):
        for entry in TABLE:
            on = _on(entry, year)
            if on is not None and start <= on <= end and profile in entry.profiles:
                found.append(DatedEvent(on, entry))
    return sorted(found, key=lambda e: (e.on, not (e.years and e.years % 5 == 0)))


def nearest_date(profile: str, day: date, days: int = 7) -> DatedEvent | None:
    """The first date of the week from ``day``, preferring a round anniversary."""
    events = dates_between(profile, day, day + timedelta(days=days - 1))
    round_ones = [e for e in events if e.years and e.years % 5 == 0]
    chosen = round_ones or events
    return chosen[0] if chosen else None
