"""The monthly check-in: numbers stored, the chart read back, a verdict per KPI."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from aiogram.methods import GetChatMemberCount, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from bot.db.plan_repository import Metric, MonthNumbers
from bot.documents.progress_png import TARGET_COLOUR, TargetLine, build_progress_png
from bot.domain.translate import decimal_text
from bot.plan.checkin import (
    ATTENDEES,
    ATTENDEES_SOCIAL,
    CLICKS,
    FOLLOWERS,
    INTERACTIONS,
    REACH,
    Ask,
    CheckinNumbers,
    after_skip,
    checkin_asks,
    numbers_from,
)
from bot.plan.progress import (
    Goals,
    Verdict,
    adherence,
    engagement_rate,
    er_progress,
    expected_on,
    follower_progress,
    line_progress,
    next_checkin,
    reach_progress,
    social_share,
)
from tests.advice.test_advice_locales import CATALOGS, placeholders
from tests.ops.fakes import utc
from tests.plan.conftest import PlanWorld
from tests.plan.test_plan_channel import WITH_TELEGRAM, link_by_username
from tests.profiles import WIZARD_US_PUBLIC

START, END = date(2026, 1, 5), date(2027, 1, 4)
FIELDS = (FOLLOWERS, REACH, INTERACTIONS, CLICKS, ATTENDEES, ATTENDEES_SOCIAL)


@given(
    baseline=st.integers(0, 5000),
    growth=st.integers(1, 5000),
    actual=st.integers(0, 20000),
    days=st.integers(0, 400),
)
def test_follower_verdict_is_the_straight_line_rule(
    baseline: int, growth: int, actual: int, days: int
) -> None:
    target = baseline + growth
    day = START + timedelta(days=days)
    earlier = (START - timedelta(days=1), baseline)
    result = follower_progress(baseline, target, START, END, [earlier, (day, actual)])
    assert result is not None
    expected = expected_on(baseline, target, START, END, day)
    assert baseline <= expected <= target
    if actual >= target:
        assert result.verdict is Verdict.MET
    elif actual >= expected:
        assert result.verdict is Verdict.ON_TRACK
    else:
        assert result.verdict is Verdict.BEHIND
        assert result.gap == expected - actual > 0
    # More followers never make the verdict worse.
    better = follower_progress(baseline, target, START, END, [(day, actual + 1)])
    order = [Verdict.BEHIND, Verdict.ON_TRACK, Verdict.MET]
    assert better is not None
    assert order.index(better.verdict) >= order.index(result.verdict)


def test_the_latest_check_in_decides_and_none_before_the_first() -> None:
    assert follower_progress(100, 200, START, END, []) is None
    history = [(date(2026, 3, 1), 90), (date(2026, 2, 1), 500)]
    result = follower_progress(100, 200, START, END, history)
    assert result is not None
    assert (result.verdict, result.actual) == (Verdict.BEHIND, 90)


def test_reach_and_adherence() -> None:
    assert reach_progress(1000, 250, 20).verdict is Verdict.MET
    behind = reach_progress(1000, 150, 20)
    assert (behind.verdict, behind.actual) == (Verdict.BEHIND, 15)
    weeks = adherence(
        [
            (date(2026, 1, 6), "posted"),
            (date(2026, 1, 8), "skipped"),
            (date(2026, 1, 13), "posted"),
            (date(2026, 1, 14), "posted"),
            (date(2026, 1, 20), "planned"),  # after today: not counted
        ],
        today=date(2026, 1, 18),
    )
    assert [(w.monday, w.planned, w.posted, w.share) for w in weeks] == [
        (date(2026, 1, 5), 2, 1, 50),
        (date(2026, 1, 12), 2, 2, 100),
    ]


def test_check_in_on_the_first_at_ten_local() -> None:
    moscow = ZoneInfo("Europe/Moscow")
    assert next_checkin(utc(2026, 1, 5), moscow) == utc(2026, 2, 1, 7)
    assert next_checkin(utc(2026, 2, 1, 7), moscow) == utc(2026, 3, 1, 7)
    assert next_checkin(utc(2026, 12, 15), moscow) == utc(2027, 1, 1, 7)


def red_pixels(png: bytes) -> int:
    image = Image.open(BytesIO(png)).convert("RGB")
    red = tuple(int(TARGET_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    raw = image.tobytes()
    pixels = (raw[i : i + 3] for i in range(0, len(raw), 3))
    return sum(
        1
        for pixel in pixels
        if all(abs(channel - want) <= 10 for channel, want in zip(pixel, red, strict=True))
    )


def test_chart_is_a_png_with_the_target_line(world: PlanWorld) -> None:
    t = world.t("ru")
    series = {
        "vk": [(START, 0), (date(2026, 2, 1), 50)],
        "ok": [(START, 340), (date(2026, 2, 1), 345)],
    }
    png = build_progress_png(series, TargetLine(START, 340, END, 900), t)
    image = Image.open(BytesIO(png))
    assert (image.format, image.size) == ("PNG", (1200, 700))
    assert red_pixels(png) > 500
    assert red_pixels(build_progress_png(series, None, t)) == 0


def photos(world: PlanWorld, chat_id: int) -> list[bytes]:
    out = []
    for request in world.bot.session.requests:
        if isinstance(request, SendPhoto) and request.chat_id == chat_id:
            assert isinstance(request.photo, BufferedInputFile)
            out.append(request.photo.data)
    return out


async def test_monthly_check_in_stores_numbers_and_answers_with_chart_and_verdicts(
    world: PlanWorld,
) -> None:
    library, _ = await world.finished_strategy(100, WITH_TELEGRAM)
    await world.repo.users.upsert(101, "Ольга", "ru")
    await world.repo.libraries.add_member(library.id, 101)  # an editor: not asked
    await link_by_username(world, library.id)
    anna = world.user(100)

    # 1 February, 10:00 in Moscow: the owner is invited, once.
    world.clock.set(utc(2026, 2, 1, 6, 59))
    await world.scheduler.tick()
    await world.sender.send_due()
    world.clock.set(utc(2026, 2, 1, 7, 0))
    await world.scheduler.tick()
    await world.sender.send_due()
    world.build()
    await world.scheduler.tick()
    await world.sender.send_due()
    invites = [
        r
        for r in world.bot.session.requests
        if isinstance(r, SendMessage) and "Пора подвести итоги месяца" in r.text
    ]
    assert [r.chat_id for r in invites] == [100]

    # The channel's count comes from Telegram; VK and OK are typed.
    world.bot.add_result_for(GetChatMemberCount, result=130)
    anna = world.user(100)
    await anna.press(world.t("ru")("plan.btn.checkin"))
    assert any("Telegram: 130 подписчиков — посчитал сам" in x for x in anna.texts())
    # The plan's other networks, in the strategy's order.
    assert anna.last_text() == "Сколько сейчас подписчиков: Одноклассники? Пришлите число."
    await anna.send("пятьдесят")
    assert "Нужно целое число" in anna.last_text()
    await anna.send("345")
    assert anna.last_text() == "Сколько сейчас подписчиков: ВКонтакте? Пришлите число."
    await anna.send("50")
    goals = await world.plans.goals(library.id)
    assert goals is not None
    ru = world.t("ru")
    # A post's average reach, network by network; any of them may be skipped.
    reach = {"ok": "80", "vk": "12", "telegram": None}
    assert set(goals.networks) == set(reach)
    for network in goals.networks:
        assert anna.last_text().startswith(f"Средний охват поста — {ru(f'opt.net.{network}')}:")
        given = reach[network]
        await (anna.press("Пропустить") if given is None else anna.send(given))
    # Engagement on the main network (goal a), then the month's event visitors (goal d).
    main = goals.er_network
    assert main == goals.networks[0]
    assert anna.last_text().startswith(f"Вовлечённость — {ru(f'opt.net.{main}')}:")
    await anna.send("9")
    assert "на мероприятия библиотеки за месяц" in anna.last_text()
    await anna.send("40")
    assert "узнали о мероприятии из соцсетей" in anna.last_text()
    await anna.send("50")
    assert anna.last_text() == (
        "Из соцсетей не может прийти больше, чем пришло всего (40). Пришлите число ещё раз."
    )
    await anna.send("12")

    metrics = await world.repo.plans.metrics(library.id)
    followers = {"ok": 345, "telegram": 130, "vk": 50}
    assert metrics == [
        Metric(
            n,
            "2026-01",
            followers[n],
            None if reach[n] is None else int(reach[n] or 0),
            9 if n == main else None,
        )
        for n in ("ok", "telegram", "vk")
    ]
    assert await world.repo.plans.month_numbers(library.id) == [
        MonthNumbers("2026-01", None, 40, 12)
    ]
    report = next(x for x in reversed(anna.texts()) if "Прогресс по целям" in x)
    # Baseline 340 (OK) + 120 (Telegram) = 460; a village caps the strategy's target at what
    # it has, so 525 has met it.
    assert (goals.baseline, goals.target) == (460, 460)
    assert "✅ Подписчики: цель достигнута — 525 при цели 460." in report
    assert (
        "✅ Охват (Одноклассники): в среднем пост видят 80, подписчиков — 345; "
        "это 23% при цели 20%, цель достигнута."
    ) in report
    assert "Охват (ВКонтакте): в среднем пост видят 12, подписчиков — 50; это 24%" in report
    assert "Охват (Telegram)" not in report  # skipped
    rate = engagement_rate(9, followers[str(main)])
    assert goals.er_target is None  # no norm for OK: growth over the first month
    growth = round(rate * (1 + goals.er_growth_pct / 100), 1)
    assert (
        f"реакций на пост в среднем — 9, подписчиков — {followers[str(main)]}; "
        f"ER {decimal_text(rate, ru)}%. Это первый месяц: цель на период — "
        f"{decimal_text(growth, ru)}%."
    ) in report
    assert goals.attendance_pct is not None
    assert (
        "🟢 Посетители из соцсетей: идёте по плану — 12 из 40, это 30%, к этому времени "
        f"нужно было 30% (цель {goals.attendance_pct}%)."
    ) in report
    assert "План публикаций за последние недели: опубликовано 0 из" in report
    (png,) = photos(world, 100)
    assert Image.open(BytesIO(png)).format == "PNG"
    assert red_pixels(png) > 500


async def test_behind_and_in_english(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(200, WIZARD_US_PUBLIC, language="en")
    goals = await world.plans.goals(library.id)
    assert goals is not None
    assert goals.target is not None
    # A month in, no growth at all.
    await world.plans.save_checkin(
        library.id, "2026-01", CheckinNumbers({"facebook": 2100, "instagram": 800}, {}, {})
    )
    world.clock.set(utc(2026, 2, 1, 16))
    john = world.user(200, "en", "John")
    await john.send("/progress")
    report = next(x for x in reversed(john.texts()) if "Progress against" in x)
    expected = expected_on(goals.baseline, goals.target, goals.start, goals.end, date(2026, 2, 1))
    assert (
        f"🟠 Followers: behind by {expected - 2900}, 2900 where {expected} were due by now"
        in report
    )
    assert len(photos(world, 200)) == 1


DAYS = st.dates(min_value=date(2026, 2, 1), max_value=date(2027, 1, 1))


@given(
    history=st.lists(
        st.tuples(DAYS, st.integers(0, 5000), st.integers(1, 100_000)),
        min_size=1,
        max_size=12,
        unique_by=lambda row: row[0],
    ),
    target=st.none() | st.floats(0.1, 20).map(lambda x: round(x, 1)),
    growth=st.integers(0, 100),
)
def test_engagement_verdicts_follow_from_the_numbers_they_show(
    history: list[tuple[date, int, int]], target: float | None, growth: int
) -> None:
    result = er_progress(history, target, growth)
    assert result is not None
    _, interactions, followers = max(history)
    # Recomputed from the sentence's inputs: interactions per post and followers.
    assert result.actual == round(100 * interactions / followers, 1)
    first = engagement_rate(*min(history)[1:])
    want = target if target is not None else round(first * (1 + growth / 100), 1)
    assert result.target == want
    if target is None and len(history) == 1:
        assert result.verdict is None  # the first month is the baseline
    else:
        assert result.verdict is (Verdict.MET if result.actual >= want else Verdict.BEHIND)


@given(
    history=st.lists(
        st.tuples(DAYS, st.integers(0, 10_000)), min_size=1, max_size=12, unique_by=lambda r: r[0]
    ),
    target=st.integers(1, 10_000),
)
def test_clicks_and_shares_are_judged_on_the_line_from_their_first_month(
    history: list[tuple[date, int]], target: int
) -> None:
    result = line_progress(target, END, history)
    assert result is not None
    first_day, first = min(history)
    day, actual = max(history)
    assert result.actual == actual
    assert result.expected == expected_on(first, target, first_day, END, day)
    if actual >= target:
        assert result.verdict is Verdict.MET
    else:
        assert result.verdict is (
            Verdict.ON_TRACK if actual >= result.expected else Verdict.BEHIND
        )
        assert result.gap == max(result.expected - actual, 0)
    assert line_progress(target, END, []) is None


@given(attendees=st.integers(0, 5000), data=st.data())
def test_the_share_from_social_networks_recomputes(attendees: int, data: st.DataObject) -> None:
    social = data.draw(st.integers(0, attendees))
    share = social_share(attendees, social)
    assert share == (round(100 * social / attendees) if attendees else 0)
    assert 0 <= share <= 100


def _goals(**changes: object) -> Goals:
    base: dict[str, object] = {
        "networks": ("vk", "ok", "telegram"),
        "baseline": 100,
        "target": 200,
        "reach_pct": 20,
        "start": START,
        "end": END,
    }
    return Goals(**{**base, **changes})  # type: ignore[arg-type]


def test_the_check_in_asks_what_the_strategys_kpis_need() -> None:
    plain = checkin_asks(_goals(), {"telegram": 130})
    assert [a.key for a in plain] == [
        "followers:vk",
        "followers:ok",
        "reach:vk",
        "reach:ok",
        "reach:telegram",
    ]
    assert not plain[0].optional and plain[2].optional
    every = checkin_asks(
        _goals(er_network="vk", clicks_target=50, attendance_pct=25), {"telegram": 130}
    )
    assert [a.field for a in every][-4:] == [INTERACTIONS, CLICKS, ATTENDEES, ATTENDEES_SOCIAL]
    # Without the visitors, the share of them from social networks is not asked.
    tail = every[-2:]
    assert after_skip(tail, tail[0]) == []
    assert after_skip(every[-3:], every[-3]) == tail


def test_answers_become_the_numbers_by_kind() -> None:
    given = {
        Ask(FOLLOWERS, "vk").key: 300,
        Ask(REACH, "vk").key: 60,
        Ask(INTERACTIONS, "vk").key: 7,
        Ask(CLICKS).key: 12,
        Ask(ATTENDEES).key: 40,
        Ask(ATTENDEES_SOCIAL).key: 10,
    }
    assert numbers_from(given) == CheckinNumbers({"vk": 300}, {"vk": 60}, {"vk": 7}, 12, 40, 10)


def test_reach_per_network_is_drawn_on_the_chart(world: PlanWorld) -> None:
    t = world.t("ru")
    series = {"vk": [(START, 100), (date(2026, 2, 1), 150)]}
    reach = {"vk": [(date(2026, 2, 1), 900)]}
    assert build_progress_png(series, None, t, reach) != build_progress_png(series, None, t)


def test_every_question_and_verdict_of_the_check_in_has_its_text_in_both_languages() -> None:
    keys = [f"plan.checkin.ask_{field}" for field in FIELDS]
    keys += [f"plan.progress.{kpi}.{v}" for kpi in ("er", "reach") for v in ("met", "behind")]
    keys += [
        f"plan.progress.{kpi}.{verdict}"
        for kpi in ("followers", "clicks", "attendance")
        for verdict in Verdict
    ]
    keys.append("plan.progress.er.baseline")
    for key in keys:
        ru, en = CATALOGS["ru"].get(key), CATALOGS["en"].get(key)
        assert ru and en, key
        assert placeholders(ru) == placeholders(en), key
