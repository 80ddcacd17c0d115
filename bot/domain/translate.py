"""What pure code needs to speak, without the machinery that compiles and loads catalogs.

``bot.i18n`` implements it on top of aiogram's I18n; pure packages (domain, advice,
documents, survey) depend only on this protocol, so they load without aiogram.
"""

from __future__ import annotations

from typing import Protocol


class Translate(Protocol):
    """What pure code needs to speak: a key and its placeholders in, text out."""

    locale: str

    def __call__(self, key: str, /, **params: object) -> str: ...

    def plural(self, key: str, n: int, /, **params: object) -> str: ...


def decimal_text(value: float | None, t: Translate) -> str:
    """At most one decimal, without trailing zeros; a decimal comma in Russian (12,5)."""
    text = f"{value or 0.0:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if t.locale == "ru" else text
