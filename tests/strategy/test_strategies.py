"""Several strategies per library: list, open, copy for next year, delete with confirmation."""

from __future__ import annotations

from aiogram.utils.i18n import I18n

from bot.db.repositories import Repositories
from bot.i18n import Translator
from tests.chat import ChatUser
from tests.profiles import WIZARD_RURAL_RU
from tests.wizard_driver import complete_wizard, wizard_position


async def finished(chat: ChatUser, t: Translator) -> None:
    await chat.send("/start")
    await complete_wizard(chat, WIZARD_RURAL_RU, t)


async def test_copy_for_next_year_carries_every_answer(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, "ru")
    await finished(anna, t)
    await anna.send("/strategies")
    await anna.press(t("btn.strategy_copy"))
    original, copy = sorted(await repo.strategies.of_user(anna.user.id), key=lambda s: s.id)
    assert copy.title.endswith("(копия)")
    assert not copy.is_complete
    assert await repo.answers.all(copy.id) == await repo.answers.all(original.id)
    # Everything is answered, so the copy opens at the review, ready to edit.
    assert (await wizard_position(anna))[0] == "Wizard:review"


async def test_delete_asks_first(anna: ChatUser, repo: Repositories, i18n: I18n) -> None:
    t = Translator(i18n, "ru")
    await finished(anna, t)
    await anna.send("/strategies")
    await anna.press(t("btn.strategy_delete"))
    await anna.press(t("btn.keep_it"))
    assert len(await repo.strategies.of_user(anna.user.id)) == 1
    await anna.send("/strategies")
    await anna.press(t("btn.strategy_delete"))
    texts = anna.texts(await anna.press(t("btn.confirm_delete")))
    assert texts == [t("msg.deleted")]
    assert await repo.strategies.of_user(anna.user.id) == []


async def test_reopen_a_finished_strategy(anna: ChatUser, repo: Repositories, i18n: I18n) -> None:
    t = Translator(i18n, "ru")
    await finished(anna, t)
    await anna.send("/strategies")
    await anna.press("📂")
    await anna.press(t("btn.edit_strategy"))
    (strategy,) = await repo.strategies.of_user(anna.user.id)
    assert not strategy.is_complete
    assert (await wizard_position(anna))[0] == "Wizard:review"


async def test_nobody_else_reaches_a_strategy(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, "ru")
    await finished(anna, t)
    (strategy,) = await repo.strategies.of_user(anna.user.id)
    await john.send("/start")
    for action in ("open", "copy", "delete", "delete_yes", "reopen"):
        requests = await john.press_data(f"sg:{action}:{strategy.id}")
        texts = john.texts(requests) + john.alerts(requests)
        assert "Сельская" not in " ".join(texts), action
    assert (await repo.strategies.get(strategy.id)) is not None
    assert len(await repo.strategies.of_user(john.user.id)) == 1  # only John's own draft
