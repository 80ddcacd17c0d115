"""Public holidays of the library's country, from the ``holidays`` package.

The package is kept up to date by its maintainers with each country's official calendar,
including Russia's transferred days off; a hand-written list would go stale within a year.
"""

from __future__ import annotations

from datetime import date

COUNTRY_CODES = {"ru": "RU", "by": "BY", "kz": "KZ", "uz": "UZ", "kg": "KG", "us": "US"}
"""``lib_country`` values to ISO codes; "other" has no calendar the bot can know."""
LANGUAGES = {"ru": ("ru", "ru_KG"), "en": ("en_US",)}
"""Holiday names in the reader's language where the package has them."""


def knows_holidays(country: str) -> bool:
    return country in COUNTRY_CODES


def public_holidays(country: str, start: date, end: date, locale: str) -> dict[date, str]:
    """Holidays from ``start`` up to, not including, ``end``: date -> name."""
    code = COUNTRY_CODES.get(country)
    if code is None or end <= start:
        return {}
    # Imported on first use: most runs never build one, and the bot starts lighter.
    import holidays

    years = range(start.year, end.year + 1)
    probe = holidays.country_holidays(code, years=start.year)
    supported = probe.supported_languages
    language = next(
        (name for name in LANGUAGES.get(locale, ()) if name in supported),
        "en_US" if "en_US" in supported else None,
    )
    calendar = holidays.country_holidays(code, years=years, language=language)
    return {day: str(name) for day, name in sorted(calendar.items()) if start <= day < end}
