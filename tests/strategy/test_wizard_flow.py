"""The whole wizard through the real Dispatcher, in both languages."""

from __future__ import annotations

from aiogram.utils.i18n import I18n

from bot.db.repositories import Repositories
from bot.domain.method import STRATEGY_METHOD
from bot.i18n import Translator
from tests.chat import ChatUser
from tests.profiles import WIZARD_RURAL_RU, WIZARD_US_PUBLIC
from tests.wizard_driver import complete_wizard, wizard_position


async def test_whole_wizard_in_russian(anna: ChatUser, repo: Repositories, i18n: I18n) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)

    texts = anna.texts()
    for number, step in enumerate(STRATEGY_METHOD.steps[1:], start=1):
        assert any(f"Шаг {number} из 7 · {t(step.title_key)}" in text for text in texts), step.id
    # The library's name is shown back escaped, never as raw HTML.
    assert any("Сельская библиотека &lt;им. Пушкина&gt; &amp; филиал" in text for text in texts)
    assert any("Стратегия сохранена" in text for text in texts)

    (strategy,) = await repo.strategies.of_user(anna.user.id)
    assert strategy.is_complete
    stored = await repo.answers.all(strategy.id)
    assert stored == WIZARD_RURAL_RU
    library = await repo.libraries.get(strategy.library_id)
    assert library is not None
    assert (library.country, library.timezone, library.is_state) == ("ru", "Europe/Moscow", True)
    assert await wizard_position(anna) == (None, {})


async def test_whole_wizard_in_english(john: ChatUser, repo: Repositories, i18n: I18n) -> None:
    t = Translator(i18n, "en")
    await john.send("/start")
    assert "Hello!" in john.texts()[0]
    await complete_wizard(john, WIZARD_US_PUBLIC, t)

    texts = john.texts()
    assert any("Step 3 of 7 · Choice of networks" in text for text in texts)
    assert not any("Шаг" in text for text in texts)
    (strategy,) = await repo.strategies.of_user(john.user.id)
    stored = await repo.answers.all(strategy.id)
    assert stored == WIZARD_US_PUBLIC
    library = await repo.libraries.get(strategy.library_id)
    assert library is not None
    assert (library.name, library.timezone) == ("Maple Falls Public Library", "America/Chicago")
