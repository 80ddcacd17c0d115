"""Admins see the network: last week's posts per library, every KPI of each plan with the
numbers it is judged on, quiet plans; the library's own digest gets its lines; /stats shows
the same."""

from __future__ import annotations

import re
from datetime import date

from aiogram.methods import SendMessage
from aiogram.utils.i18n import I18n
from hypothesis import given
from hypothesis import strategies as st

from bot.db.plan_repository import Metric
from bot.i18n import Translator
from bot.outbox.repository import Outbox
from bot.plan.checkin import CheckinNumbers
from bot.plan.progress import Goals, Kpi, KpiReading, KpiState, reach_progress
from bot.scheduling.digest import WeeklyDigest
from bot.scheduling.plan_jobs import plan_digest_section
from bot.scheduling.scheduler import JobRun
from bot.services.plan_texts import kpi_line, kpi_readings
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


def line_due(start: date, baseline: int, end: date, target: int, day: date) -> int:
    """Where the straight line from the start to the target stands on ``day``."""
    return round(baseline + (target - baseline) * (day - start).days / (end - start).days)


def assert_block(lines: list[str], block: list[str]) -> None:
    """``block`` stands in ``lines`` as it is, one line after another."""
    start = lines.index(block[0])
    assert lines[start : start + len(block)] == block


async def test_admins_get_every_kpi_of_every_library_and_the_quiet_ones_once(
    world: PlanWorld,
) -> None:
    rural, us = await three_weeks(world)
    # Rural's January in full: reach and interactions on OK, the events' visitors.
    await world.plans.save_checkin(
        rural, "2026-01", CheckinNumbers({"ok": 300, "vk": 0}, {"ok": 45}, {"ok": 3}, None, 80, 12)
    )
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
    lines = digests()[-1].text.split("\n")
    rural_week = await world.repo.plans.between(rural, date(2026, 1, 19), date(2026, 1, 25))
    us_week = await world.repo.plans.between(us, date(2026, 1, 19), date(2026, 1, 25))
    assert (len(rural_week), len(us_week)) == (3, 10)  # the plural forms below
    goals = await world.plans.goals(rural)
    assert goals is not None and goals.target is not None
    # January's numbers are judged on 1 February, the check-in day.
    due = line_due(goals.start, goals.baseline, goals.end, goals.target, date(2026, 2, 1))
    rural_lines = [
        "Сельская библиотека &lt;им. Пушкина&gt; &amp; филиал: на прошлой неделе "
        "опубликовано 3 из 3 запланированных постов",
        f"  · Подписчики: 300 — отстают, до {due}, нужных к этому времени, не хватает "
        f"{due - 300} подписчиков (в начале {goals.baseline}, цель {goals.target})",
        # 45 of 300 is 15%: five points short of the strategy's 20%.
        "  · Охват (Одноклассники): 45 на пост, подписчиков 300 = 15% — отстаёт, до цели 20% "
        "не хватает 5 пунктов",
        # 3 / 300 = 1%; OK has no norm, so the target is the first month grown by 20%.
        "  · ER (Одноклассники): реакций на пост — 3 при 300 подписчиках = 1% — первый месяц, "
        "от него считается цель 1,2%; оценки ещё нет",
        # The first month of a share is where its line starts: on track by definition.
        "  · Из соцсетей: 12 из 80 посетителей мероприятий = 15% — по плану (к этому времени "
        "нужно 15%, цель 35%)",
    ]
    assert_block(lines, rural_lines)
    us_lines = [
        "Maple Falls Public Library: на прошлой неделе опубликовано 0 из 10 запланированных "
        "постов",
        "  · Подписчики: цель — 3000 подписчиков; цифр ещё нет",
        "  · Охват: цель — 20% подписчиков на пост; цифр ещё нет",
        "  · ER (Facebook): цель — 0,1%; цифр ещё нет",
        "  · Переходы по ссылкам: цель — 87 переходов в месяц; цифр ещё нет",
    ]
    assert_block(lines, us_lines)
    assert lines[-1] == (
        "⚠️ План затих (три недели никто не отмечал посты): Maple Falls Public Library"
    )
    # Totals over both plans: behind = rural's followers and reach; on track = its visitors;
    # no numbers = rural's ER baseline and the US plan's four.
    assert (
        "2 плана. На прошлой неделе опубликовано 3 из 13 запланированных постов. Показатели: "
        "по плану — 1, отстают — 2, цифр ещё нет — 5. Затихли на три недели: 1."
    ) in lines


async def test_stats_show_every_kpi_with_its_numbers(world: PlanWorld) -> None:
    rural, us = await three_weeks(world)
    await world.plans.save_checkin(us, "2025-12", CheckinNumbers({}, {}, {}, clicks=20))
    await world.plans.save_checkin(
        us,
        "2026-01",
        CheckinNumbers(
            {"facebook": 1500, "instagram": 1410},
            {"facebook": 150, "instagram": 50},
            {"facebook": 3},
            clicks=30,
        ),
    )
    world.clock.set(utc(2026, 1, 26, 12))
    admin = world.user(ADMIN_ID, "en", "Admin")
    await admin.send("/language")
    await admin.press("English")
    await admin.send("/stats")
    lines = admin.last_text().split("\n")
    goals = await world.plans.goals(us)
    assert goals is not None and goals.target is not None and goals.clicks_target is not None
    followers = 1500 + 1410
    due = line_due(goals.start, goals.baseline, goals.end, goals.target, date(2026, 2, 1))
    assert due > followers
    # Clicks: the line runs from the first check-in (December's 20, on 1 January).
    clicks_due = line_due(date(2026, 1, 1), 20, goals.end, goals.clicks_target, date(2026, 2, 1))
    assert clicks_due > 30
    us_lines = [
        "Maple Falls Public Library: last week 0 of 10 planned posts published",
        f"  · Followers: {followers} — behind, {due - followers} followers short of the {due} "
        f"due by now (at the start {goals.baseline}, target {goals.target})",
        "  · Reach (Facebook): 150 per post, followers 1500 = 10% — behind, 10 points short of "
        "the target of 20%",
        # 50 / 1410 = 3.5%, shown rounded as the verdict takes it.
        "  · Reach (Instagram): 50 per post, followers 1410 = 4% — behind, 16 points short of "
        "the target of 20%",
        "  · ER (Facebook): interactions per post 3 with 1500 followers = 0.2% — the target of "
        "0.1% is met",
        f"  · Link visits this month: 30 — behind, {clicks_due - 30} visits short of the "
        f"{clicks_due} due by now (target {goals.clicks_target} a month)",
    ]
    assert_block(lines, us_lines)
    rural_lines = [
        "Сельская библиотека &lt;им. Пушкина&gt; &amp; филиал: last week 3 of 3 planned posts "
        "published",
        "  · Followers: 300 — behind, 40 followers short of the 340 due by now (at the start "
        "340, target 340)",
        "  · Reach: target 20% of followers per post; no numbers yet",
        "  · ER (Odnoklassniki (OK)): target +20% over the first month; no numbers yet",
        "  · Visitors from social networks: target 35% of event visitors; no numbers yet",
    ]
    assert_block(lines, rural_lines)
    summary = await world.plans.network()
    assert summary.quiet[0].library_id == us
    assert (
        f"2 plans. Last week {summary.posted} of {summary.planned} planned posts were "
        "published. KPIs: on track 1, behind 5, no numbers yet 3. Quiet for three weeks: 1."
    ) in lines
    assert rural != us


async def test_the_librarys_own_digest_has_its_lines(world: PlanWorld) -> None:
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
    assert "\n  · Followers: 300 — behind, 40 followers short of the 340 due by now" in text
    assert "\n  · Visitors from social networks: target 35% of event visitors" in text


REACH_LINE = re.compile(
    r"Reach \(VK\): (\d+) per post(?:, followers (\d+)| with (\d+) followers?) = (\d+)% — "
    r"(?:behind, (\d+) points? short of the target of (\d+)%|the target of (\d+)% is met)"
)
FOLLOWERS_LINE = re.compile(
    r"(?:Followers: (\d+) — behind, (\d+) followers? short of the (\d+) due by now "
    r"\(at the start \d+, target \d+\)"
    r"|(\d+) followers? — on track \(at the start \d+, due by now (\d+), target (\d+)\)"
    r"|(\d+) followers? — the target of (\d+) is met)"
)


@given(
    followers=st.integers(1, 10**6),
    reach=st.integers(0, 10**6),
    target=st.integers(1, 100),
)
def test_a_reach_line_can_be_recomputed_from_what_it_shows(
    i18n: I18n, followers: int, reach: int, target: int
) -> None:
    reading = KpiReading(
        Kpi.REACH, target, reach_progress(followers, reach, target), "vk", (reach, followers)
    )
    line = kpi_line(reading, Translator(i18n, "en"))
    found = REACH_LINE.fullmatch(line)
    assert found, line
    shown_reach, behind_followers, met_followers, share, gap, behind_target, met_target = (
        found.groups()
    )
    shown_followers = behind_followers or met_followers
    assert (int(shown_reach), int(shown_followers)) == (reach, followers)
    assert int(share) == round(100 * int(shown_reach) / int(shown_followers))
    if gap is not None:
        assert int(share) < int(behind_target) == target
        assert int(gap) == target - int(share)
    else:
        assert int(share) >= int(met_target) == target
    assert reading.state is (KpiState.BEHIND if gap is not None else KpiState.ON_TRACK)
    # The Russian line says the same numbers.
    ru = kpi_line(reading, Translator(i18n, "ru"))
    assert f"{reach} на пост" in ru and f"= {share}%" in ru


@given(
    baseline=st.integers(0, 10**5),
    growth=st.integers(0, 10**5),
    actual=st.integers(0, 2 * 10**5),
    days=st.integers(0, 400),
)
def test_a_followers_line_shows_the_numbers_of_its_verdict(
    i18n: I18n, baseline: int, growth: int, actual: int, days: int
) -> None:
    start, end = date(2026, 1, 5), date(2027, 1, 4)
    goals = Goals(("vk",), baseline, baseline + growth, None, start, end)
    month = date.fromordinal(start.toordinal() + days)
    metrics = [Metric("vk", f"{month.year:04d}-{month.month:02d}", actual, None)]
    (reading,) = kpi_readings(goals, metrics, [])
    line = kpi_line(reading, Translator(i18n, "en"))
    found = FOLLOWERS_LINE.fullmatch(line)
    assert found, line
    behind, gap, due, on_track, on_track_due, on_track_target, met, met_target = found.groups()
    if behind is not None:
        assert int(behind) == actual and int(gap) == int(due) - actual > 0
        assert reading.state is KpiState.BEHIND
    elif on_track is not None:
        assert int(on_track_due) <= actual == int(on_track) < int(on_track_target)
        assert reading.state is KpiState.ON_TRACK
    else:
        assert int(met) == actual >= int(met_target) == baseline + growth
        assert reading.state is KpiState.ON_TRACK


async def test_a_large_network_reaches_the_admins_in_parts_telegram_accepts(
    world: PlanWorld,
) -> None:
    libraries = 25
    for number in range(libraries):
        await world.finished_strategy(7_300_000_000 + number, WIZARD_US_PUBLIC, language="en")
    world.clock.set(utc(2026, 1, 5, 9, 0))  # Monday 09:00 UTC: the admins' weekly view
    await world.scheduler.tick()
    await world.sender.send_due()
    sent = [
        r.text
        for r in world.bot.session.requests
        if isinstance(r, SendMessage) and r.chat_id == ADMIN_ID
    ]
    assert len(sent) > 1
    assert all(len(part) <= 4096 for part in sent)
    assert sent[0].startswith("<b>Планы публикаций библиотек</b>\n25 планов.")
    whole = "\n".join(sent)
    assert whole.count("Maple Falls Public Library: на прошлой неделе") == libraries
    assert whole.count("  · Переходы по ссылкам: цель —") == libraries
    # Every part was accepted: nothing is left in the outbox to retry.
    assert await world.sender.send_due() == 0
