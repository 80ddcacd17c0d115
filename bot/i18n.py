"""Translations: compiling ``locales/`` on demand and a context-free translator.

Messages are keyed (``q.lib_name``, ``advice.networks.vk_mandatory``) so that the
declarative schema and the advice engine can derive keys; both catalogs carry every key,
and a test fails on a missing or empty one. Placeholders use ``{name}`` and are filled
after translation, as aiogram's i18n docs require.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from aiogram.utils.i18n import I18n
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.domain.translate import Translate

__all__ = [
    "LOCALES_DIR",
    "SUPPORTED_LOCALES",
    "Translate",  # re-exported: wiring and handlers get it here with the Translator
    "Translator",
    "compile_locales",
    "create_i18n",
    "pick_locale",
]

_SOURCE_LOCALES = Path(__file__).resolve().parent.parent / "locales"
_PACKAGED_LOCALES = Path(__file__).resolve().parent / "locales"
# The catalogs: bot/locales/ inside an installed wheel (setup.py puts locales/ there), else
# locales/ beside the package in a checkout, an editable install and the image.
LOCALES_DIR = _PACKAGED_LOCALES if _PACKAGED_LOCALES.is_dir() else _SOURCE_LOCALES
DOMAIN = "messages"
SUPPORTED_LOCALES = ("ru", "en")


def compiled_dir(locales_dir: Path) -> Path:
    """Where the ``.mo`` files go: next to the catalogs when that folder is writable (a
    checkout, the image at build time), else a per-user cache (a wheel in a read-only venv).
    """
    if os.access(locales_dir, os.W_OK):
        return locales_dir
    for cache in (os.environ.get("XDG_CACHE_HOME"), Path.home() / ".cache"):
        if cache and os.access(cache, os.W_OK):
            return Path(cache) / "library-smm-bot" / "locales"
    return Path(tempfile.gettempdir()) / f"library-smm-bot-{os.getuid()}" / "locales"


def compile_locales(locales_dir: Path = LOCALES_DIR, target: Path | None = None) -> list[Path]:
    """Compile every ``.po`` whose ``.mo`` is missing or older; return what was written.

    Runs at start-up and in the test session, so nobody compiles catalogs by hand. The
    ``.mo`` files land in ``target`` (default :func:`compiled_dir`) in the same layout.
    """
    target = compiled_dir(locales_dir) if target is None else target
    written = []
    for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = target / po_path.relative_to(locales_dir).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        _write_atomically(mo_path, catalog)
        written.append(mo_path)
    return written


def _write_atomically(mo_path: Path, catalog: Catalog) -> None:
    """Write ``mo_path`` through a temporary file of its own, then rename it into place.

    Two processes starting at once (the bot and its tests, two instances) may compile the
    same catalog together: each writes its own uniquely named file, and the rename is
    atomic, so a reader sees the old file or a whole new one, never half of one, and
    neither process removes the other's file from under it.
    """
    handle, name = tempfile.mkstemp(prefix=f".{mo_path.name}.", suffix=".tmp", dir=mo_path.parent)
    tmp_path = Path(name)
    try:
        with os.fdopen(handle, "wb") as mo_file:
            write_mo(mo_file, catalog)
        os.chmod(tmp_path, 0o644)  # mkstemp makes it 0600; the catalogs are not secret
        tmp_path.replace(mo_path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def create_i18n(default_locale: str = "ru", locales_dir: Path = LOCALES_DIR) -> I18n:
    target = compiled_dir(locales_dir)
    compile_locales(locales_dir, target)
    return I18n(path=target, default_locale=default_locale, domain=DOMAIN)


def pick_locale(language_code: str | None, default: str) -> str:
    """The supported locale closest to Telegram's ``language_code`` ("en-US" -> "en")."""
    if language_code:
        base = language_code.split("-")[0].lower()
        if base in SUPPORTED_LOCALES:
            return base
        # Readers from Belarus, Kazakhstan, Uzbekistan, Kyrgyzstan and Ukraine mostly read
        # Russian; everyone else gets English.
        if base in {"be", "kk", "uz", "ky", "uk"}:
            return "ru"
        return "en"
    return default


class Translator:
    """Translates for one locale without aiogram's context (documents, console, tasks)."""

    def __init__(self, i18n: I18n, locale: str) -> None:
        self._i18n = i18n
        self.locale = locale if locale in i18n.available_locales else i18n.default_locale

    def __call__(self, key: str, /, **params: object) -> str:
        text = self._i18n.gettext(key, locale=self.locale)
        return text.format(**params) if params else text

    def plural(self, key: str, n: int, /, **params: object) -> str:
        text = self._i18n.gettext(key, key, n, locale=self.locale)
        return text.format(n=n, **params)
