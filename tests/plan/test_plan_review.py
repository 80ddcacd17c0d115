"""The end of the period: owners invited to review once, and "New period" copies the answers."""

from __future__ import annotations

from aiogram.methods import SendMessage, SendPhoto

from bot.services.wizard import WizardService
from tests.conftest import ADMIN_ID
from tests.ops.fakes import utc
from tests.plan.conftest import PlanWorld
from tests.profiles import WIZARD_RURAL_RU

SHORT = {**WIZARD_RURAL_RU, "goal_horizon": "3m"}


def reviews(world: PlanWorld, chat_id: int) -> list[SendMessage]:
    return [
        r
        for r in world.bot.session.requests
        if isinstance(r, SendMessage) and r.chat_id == chat_id and "Период стратегии" in r.text
    ]


async def test_owners_are_invited_once_when_the_horizon_ends(world: PlanWorld) -> None:
    library, strategy = await world.finished_strategy(100, SHORT)
    await world.repo.users.upsert(101, "Ольга", "ru")
    await world.repo.libraries.add_member(library.id, 101)
    plan = await world.repo.plans.get(library.id)
    assert plan is not None
    assert plan.ends_on.isoformat() == "2026-04-04"  # three months from Monday 5 January
    await world.plans.save_checkin(library.id, "2026-03", {"ok": 600, "vk": 40}, None)

    await_times = [utc(2026, 4, 4, 20), utc(2026, 4, 5, 6, 59), utc(2026, 4, 5, 7, 0)]
    for moment in await_times[:2]:
        world.clock.set(moment)
        await world.scheduler.tick()
        await world.sender.send_due()
    assert not reviews(world, 100)
    world.clock.set(await_times[2])  # 10:00 in Moscow, the day after the end
    await world.scheduler.tick()
    await world.sender.send_due()
    world.build()
    for minute in (5, 10):
        world.clock.set(utc(2026, 4, 5, 7, minute))
        await world.scheduler.tick()
        await world.sender.send_due()
    (review,) = reviews(world, 100)
    assert not reviews(world, 101)  # an editor, not an owner
    assert not reviews(world, ADMIN_ID)
    assert "Период стратегии закончился 4 апреля" in review.text
    # Baseline 340 and the strategy's three months' target: 640 met it.
    goals = await world.plans.goals(library.id)
    assert goals is not None
    assert goals.baseline == 340
    assert goals.target is not None
    assert goals.target < 640
    assert f"✅ Подписчики: цель достигнута — 640 при цели {goals.target}." in review.text
    assert any(isinstance(r, SendPhoto) and r.chat_id == 100 for r in world.bot.session.requests)

    # "New period": the answers copied, the wizard opened on the copy.
    anna = world.user(100)
    markup = review.reply_markup
    assert markup is not None
    (button,) = [b for row in markup.inline_keyboard for b in row]  # type: ignore[union-attr]
    assert button.text == "🔁 Новый период"
    await anna.press_data(button.callback_data or "")
    assert any("Скопировал ответы стратегии" in x for x in anna.texts())
    strategies = await world.repo.strategies.of_library(library.id)
    assert len(strategies) == 2
    copy = strategies[-1]
    assert not copy.is_complete
    assert await WizardService(world.repo).answers(copy.id) == await world.repo.answers.all(
        strategy.id
    )


async def test_new_period_is_for_owners_only(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, SHORT)
    await world.repo.users.upsert(101, "Ольга", "ru")
    await world.repo.libraries.add_member(library.id, 101)
    olga = world.user(101, name="Ольга")
    requests = await olga.press_data(f"pl:np:0:{library.id}")
    assert olga.alerts(requests)
    assert len(await world.repo.strategies.of_library(library.id)) == 1
