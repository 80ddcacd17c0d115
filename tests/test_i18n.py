"""Every message a user can see exists, translated, in both languages."""

from __future__ import annotations

import ast
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from gettext import GNUTranslations
from pathlib import Path
from typing import Any

import pytest
from aiogram.utils.i18n import I18n
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import bot.i18n as i18n_module
from bot.domain.method import STRATEGY_METHOD
from bot.i18n import LOCALES_DIR, SUPPORTED_LOCALES, Translator, pick_locale

ROOT = Path(__file__).resolve().parent.parent
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[A-Za-z0-9_/+\-]+)+$")


def catalog(locale: str) -> dict[str, object]:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return {
            message.id if isinstance(message.id, str) else message.id[0]: message.string
            for message in read_po(file)
            if message.id
        }


def keys_in_code() -> set[str]:
    """String literals passed to a translator: t("key"), _("key"), t.plural("key", n)."""
    found: set[str] = set()
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            first = node.args[0]
            if (
                name in {"t", "_", "plural", "gettext"}
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and KEY.match(first.value)
            ):
                found.add(first.value)
    return found


def keys_of_schema() -> set[str]:
    keys: set[str] = set()
    for step in STRATEGY_METHOD.steps:
        keys.add(step.title_key)
        for question in step.questions:
            keys |= {question.text_key, f"{question.text_key}.short"}
            keys |= {question.option_key(option.value) for option in question.options}
            keys |= {value for name, value in question.params.items() if name.endswith("_key")}
    return keys


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_is_complete(locale: str) -> None:
    messages = catalog(locale)
    empty = [
        key
        for key, text in messages.items()
        if not text or (isinstance(text, tuple) and not all(text))
    ]
    assert not empty, f"untranslated in {locale}: {empty}"
    missing = (keys_in_code() | keys_of_schema()) - set(messages)
    assert not missing, f"missing in {locale}: {sorted(missing)}"


def test_both_catalogs_have_the_same_keys() -> None:
    assert set(catalog("ru")) == set(catalog("en"))


def test_placeholders_match_between_languages() -> None:
    ru, en = catalog("ru"), catalog("en")
    field = re.compile(r"{(\w+)}")
    for key, text in ru.items():
        other = en.get(key)
        if isinstance(text, str) and isinstance(other, str):
            assert set(field.findall(text)) == set(field.findall(other)), key


def test_compiled_locales_are_available(i18n: I18n) -> None:
    assert set(SUPPORTED_LOCALES) <= set(i18n.available_locales)
    assert Translator(i18n, "ru")("step.goals") == "Цели и задачи"
    assert Translator(i18n, "en")("step.goals") == "Goals and objectives"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ru", "ru"), ("en-US", "en"), ("be", "ru"), ("kk", "ru"), ("de", "en"), (None, "ru")],
)
def test_locale_from_telegram_language_code(code: str | None, expected: str) -> None:
    assert pick_locale(code, "ru") == expected


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_key_is_defined_twice(locale: str) -> None:
    text = (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    keys = re.findall(r'^msgid "(.+)"$', text, flags=re.MULTILINE)
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates, f"defined twice in {locale}: {duplicates}"


def test_two_compiles_at_once_both_succeed_and_leave_whole_catalogs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes starting together compile the same catalogs at the same moment.

    Both are held inside ``write_mo`` until the other is there too, so every catalog is
    written by both at once, deterministically: with one fixed temporary name the second
    rename found its file gone (FileNotFoundError) or renamed the other's half-written one.
    """
    source = tmp_path / "locales"
    for locale in SUPPORTED_LOCALES:
        folder = source / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        po = (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").read_bytes()
        (folder / "messages.po").write_bytes(po)
    target = tmp_path / "compiled"
    together = threading.Barrier(2, timeout=30)
    real_write_mo = write_mo

    def write_mo_together(file: Any, catalog: Any) -> None:
        together.wait()  # both compiles are writing this catalog now
        real_write_mo(file, catalog)
        together.wait()  # and both have written it before either renames

    monkeypatch.setattr(i18n_module, "write_mo", write_mo_together)
    with ThreadPoolExecutor(2) as pool:
        runs = [pool.submit(i18n_module.compile_locales, source, target) for _ in range(2)]
        results = [run.result() for run in runs]

    assert all(len(written) == len(SUPPORTED_LOCALES) for written in results)
    for locale in SUPPORTED_LOCALES:
        folder = target / locale / "LC_MESSAGES"
        assert sorted(p.name for p in folder.iterdir()) == ["messages.mo"]  # no leftovers
        with (folder / "messages.mo").open("rb") as mo:
            assert GNUTranslations(mo).gettext("step.goals") == catalog(locale)["step.goals"]
