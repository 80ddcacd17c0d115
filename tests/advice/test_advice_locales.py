"""Every advice and document key exists in ru and en, and its placeholders are filled."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from bot.advice import AudienceData, build_advice
from bot.i18n import LOCALES_DIR
from tests.advice.helpers import all_messages
from tests.advice.profiles import PROFILES

OWN_PREFIXES = ("advice.", "doc.")
ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = (ROOT / "bot" / "advice", ROOT / "bot" / "documents")


def catalog(locale: str) -> dict[str, Any]:
    path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        return {
            str(m.id if isinstance(m.id, str) else m.id[0]): m.string
            for m in read_po(po_file, locale=locale)
            if m.id
        }


CATALOGS = {locale: catalog(locale) for locale in ("ru", "en")}


def placeholders(text: str | tuple[str, ...]) -> set[str]:
    texts = text if isinstance(text, tuple) else (text,)
    return {name for t in texts for _, name, _, _ in string.Formatter().parse(t) if name}


def own_keys() -> set[str]:
    return {k for k in CATALOGS["ru"] if k.startswith(OWN_PREFIXES)}


def variants() -> list[dict[str, Any]]:
    out = []
    for profile in PROFILES.values():
        out.append(profile)
        for key, values in {
            "cnt_tone": ("friendly", "official", "expert", "playful"),
            "com_negative": ("public_calm", "private", "rules_only", "no_plan"),
            "aud_geo": ("settlement", "district", "region", "country"),
            "lib_country": ("ru", "by", "kz", "uz", "kg", "us", "other"),
            "res_budget": ("none", "small"),
            "com_paid": ("no", "regular"),
        }.items():
            out += [{**profile, key: value} for value in values]
    return out


def test_own_keys_are_in_both_catalogs_and_not_empty() -> None:
    assert own_keys()
    for key in own_keys():
        for locale, messages in CATALOGS.items():
            assert key in messages, (locale, key)
            text = messages[key]
            texts = text if isinstance(text, tuple) else (text,)
            assert all(texts), (locale, key)


def test_ru_and_en_use_the_same_placeholders() -> None:
    for key in own_keys():
        assert placeholders(CATALOGS["ru"][key]) == placeholders(CATALOGS["en"][key]), key


def test_every_produced_advice_key_exists_and_gets_its_placeholders() -> None:
    survey = AudienceData(sample_size=10, age={"18_24": 1.0}, networks={"vk": 0.5})
    seen: set[str] = set()
    for answers in variants():
        for audience in (None, survey):
            for message in all_messages(build_advice(answers, audience=audience)):
                if message.key.startswith("opt."):
                    continue  # option labels belong to the wizard's catalog
                seen.add(message.key)
                assert message.key in CATALOGS["ru"], message.key
                needed = placeholders(CATALOGS["ru"][message.key])
                assert needed <= set(message.params), (message.key, needed)
    assert len(seen) > 150


@pytest.mark.parametrize("directory", CODE_DIRS, ids=["advice", "documents"])
def test_literal_keys_in_code_exist(directory: Path) -> None:
    pattern = re.compile(r'"((?:advice|doc)\.[a-z0-9_.]+[a-z0-9_])"')
    for path in directory.rglob("*.py"):
        for key in pattern.findall(path.read_text(encoding="utf-8")):
            assert key in CATALOGS["ru"], (path, key)
