"""Five libraries answer the whole wizard through the Dispatcher and get the advice the rules
call for, written out here by hand (the engine's own tests check the same profiles in depth)."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Dispatcher
from aiogram.utils.i18n import I18n

from bot.advice import build_advice
from bot.advice.text import to_plain
from bot.db.repositories import Repositories
from bot.i18n import Translator
from tests.advice.profiles import PROFILES
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.wizard_driver import complete_wizard

MANDATORY_RU = (
    "Официальные страницы во ВКонтакте и в Одноклассниках для вашей библиотеки обязательны"
)

EXPECTED: dict[tuple[str, str], tuple[list[str], list[str]]] = {
    # (profile, language): (lines the librarian must see, lines they must not see)
    ("rural_ru", "ru"): (
        [
            MANDATORY_RU,
            "Одноклассники — основная площадка",
            "Никогда не ведите страницу библиотеки как личный профиль",
        ],
        ["Instagram — ", "Facebook — ", "Telegram — основная"],
    ),
    ("rural_ru", "en"): (
        [
            "Official pages on VK and Odnoklassniki are mandatory for your library",
            "Odnoklassniki (OK) is your main network",
        ],
        ["Instagram is", "Facebook is"],
    ),
    ("youth_ru", "ru"): (
        [
            "ВКонтакте — основная площадка",
            "Telegram — дополнительная площадка",
            "Не продвигайте эти страницы",  # they are on Instagram: the 72-FZ warning
        ],
        ["Instagram — основная", "Instagram — дополнительная"],
    ),
    ("children_ru", "ru"): (
        ["ВКонтакте — основная площадка", "ВКонтакте — открытая группа"],
        ["Instagram — ", "TikTok — основная"],
    ),
    ("university_ru", "ru"): (
        [
            "Telegram — основная площадка",
            "Telegram — канал",
            # A university library is a department: the duty is the university's (270-FZ).
            "официальные страницы во ВКонтакте и Одноклассниках — обязанность учреждения",
        ],
        ["Одноклассники — основная", MANDATORY_RU],
    ),
    ("us_public", "en"): (
        [
            "Facebook is your main network",
            "Instagram is an extra network",
            "Facebook: an organisation Page, not a personal profile",
        ],
        ["270-FZ", "Odnoklassniki", "mandatory"],
    ),
}


@pytest.mark.parametrize(("name", "language"), list(EXPECTED))
async def test_library_gets_the_advice_the_rules_call_for(
    name: str,
    language: str,
    dispatcher: Dispatcher,
    repo: Repositories,
    i18n: I18n,
) -> None:
    profile: dict[str, Any] = PROFILES[name]
    chat = ChatUser(dispatcher, MockedBot(), 500, language_code=language)
    await chat.send("/start")
    await complete_wizard(chat, profile, Translator(i18n, language))

    (strategy,) = await repo.strategies.of_user(500)
    assert strategy.is_complete
    stored = await repo.answers.all(strategy.id)
    # What the Dispatcher stored is what the engine tests were written for.
    assert build_advice(stored) == build_advice(profile)

    seen = to_plain("\n".join(chat.texts()))
    must, must_not = EXPECTED[(name, language)]
    for line in must:
        assert line in seen, line
    advice_part = seen[seen.index(Translator(i18n, language)("msg.completed")) :]
    for line in must_not:
        assert line not in advice_part, line
