"""Admins see the network: last week's posts per library, the followers KPI, quiet plans;
the library's own digest gets its line; /stats shows the same totals."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram.methods import SendMessage

from bot.i18n import Translator
from bot.outbox.repository import Outbox
from bot.plan.checkin import CheckinNumbers
from bot.scheduling.digest import WeeklyDigest
from bot.scheduling.plan_jobs import plan_digest_section
from bot.scheduling.scheduler import JobRun
from tests.conftest import ADMIN_ID
from tests.ops.fakes import utc
from tests.plan.conftest import PlanWorld
from tests.profiles import WIZARD_RURAL_RU, WIZARD_US_PUBLIC


async def three_weeks(world: PlanWorld) -> tuple[int, int]:
    """Rural (Moscow) keeps its plan, the US library lets it go quiet for three weeks."""
    rural, _ = await world.finished_strategy(100, WIZARD_RURAL_RU)
    us, _ = await world.finished_strategy(200, WIZARD_US_PUBLIC, language="en")
    for week in range(3):
        world.clock.set(utc(2026, 1, 5 + 7 * week, 12))
        await world.plans.extend(rural.id)
        await world.plans.extend(us.id)
    # Rural: every post of the week of 12 January posted but one; a January check-in behind.
    week2 = await world.repo.plans.between(rural.id, date(2026, 1, 12), date(2026, 1, 18))
    for post in week2[1:]:
        await world.repo.plans.finish(post.id, "posted")
    for post in await world.repo.plans.between(rural.id, date(2026, 1, 19), date(2026, 1, 25)):
        await world.repo.plans.finish(post.id, "posted")
    await world.plans.save_checkin(
        rural.id, "2026-01", CheckinNumbers({"ok": 300, "vk": 0}, {}, {})
    )
    return rural.id, us.id


async def test_admins_get_every_library_and_the_quiet_ones_once(world: PlanWorld) -> None:
    rural, us = await three_weeks(world)
    world.clock.set(utc(2026, 1, 26, 8, 59))
    await world.scheduler.tick()  # the slot missed while the clock jumped runs once now
    await world.sender.send_due()

    def digests() -> list[SendMessage]:
        return [
            r
            for r in world.bot.session.requests
            if isinstance(r, SendMessage)
            and r.chat_id == ADMIN_ID
            and "Планы публикаций" in r.text
        ]

    missed = len(digests())
    world.clock.set(utc(2026, 1, 26, 9, 0))  # Monday 09:00
    await world.scheduler.tick()
    await world.sender.send_due()
    world.build()
    await world.scheduler.tick()
    await world.sender.send_due()
    assert len(digests()) == missed + 1
    digest = digests()[-1]
    rural_week = await world.repo.plans.between(rural, date(2026, 1, 19), date(2026, 1, 25))
    us_week = await world.repo.plans.between(us, date(2026, 1, 19), date(2026, 1, 25))
    text = digest.text
    assert (
        f"Сельская библиотека &lt;им. Пушкина&gt; &amp; филиал: на прошлой неделе "
        f"{len(rural_week)} из {len(rural_week)}; подписчики отстают от плана"
    ) in text
    us_line = f"Maple Falls Public Library: на прошлой неделе 0 из {len(us_week)}"
    assert f"{us_line}; цифр по подписчикам нет" in text
    assert "⚠️ План затих (три недели никто не отмечал посты): Maple Falls Public Library" in text
    assert (
        f"На прошлой неделе опубликовано {len(rural_week)} из {len(rural_week) + len(us_week)}"
        in text
    )
    assert "отстают — 1. Затихли на три недели: 1." in text


async def test_stats_show_the_same_totals(world: PlanWorld) -> None:
    _, us = await three_weeks(world)
    world.clock.set(utc(2026, 1, 26, 12))
    admin = world.user(ADMIN_ID, "en", "Admin")
    await admin.send("/language")
    await admin.press("English")
    await admin.send("/stats")
    text = admin.last_text()
    summary = await world.plans.network()
    assert summary.quiet[0].library_id == us
    assert (
        f"Plans: 2. Last week {summary.posted} of {summary.planned} planned posts were "
        "published. Followers goal: on track 0, behind 1. Quiet for three weeks: 1."
    ) in text
    plans_part = text.split("Plans:", 1)[1].split("\n\n", 1)[0]
    assert "Maple Falls" not in plans_part  # totals only (the libraries are listed below)


async def test_the_librarys_own_digest_has_its_line(world: PlanWorld) -> None:
    rural, _ = await three_weeks(world)
    world.clock.set(utc(2026, 1, 26, 6))
    digest = WeeklyDigest(
        world.db,
        Outbox(world.db, now=world.clock.now),
        lambda locale: Translator(world.i18n, locale),
        sections=[plan_digest_section(world.plans)],
    )
    library = await world.repo.libraries.get(rural)
    assert library is not None
    run = JobRun("digest", str(rural), utc(2026, 1, 26, 6), world.clock.now())
    assert await digest(run, library) == 1
    text = await digest.render(library, world.t("en"))
    assert "<b>Posting plan</b>\nСельская библиотека" in text
    assert "followers behind" in text
    assert date(2026, 1, 26) - timedelta(days=7) == date(2026, 1, 19)
