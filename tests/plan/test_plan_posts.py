"""The week's posts from a finished strategy, /plan, and what staff do with each post."""

from __future__ import annotations

from datetime import date, timedelta

from bot.advice import build_advice
from bot.clock import to_db
from bot.plan.slots import planned_slots
from bot.services.plan_texts import post_headline, when_label
from tests.plan.conftest import PlanWorld
from tests.profiles import RURAL_RU, US_PUBLIC
from tests.wizard_driver import complete_wizard

MONDAY = date(2026, 1, 5)


def expected_slots(
    answers: dict[str, object], start: date, end: date
) -> list[tuple[str, str, str, str]]:
    advice = build_advice(answers)
    return [
        (s.day.isoformat(), s.time, s.network, s.rubric)
        for s in planned_slots(advice.weeks, MONDAY, start, end)
    ]


async def test_finished_wizard_yields_this_and_next_weeks_posts(world: PlanWorld) -> None:
    anna = world.user(100)
    t = world.t("ru")
    await anna.send("/start")
    await complete_wizard(anna, RURAL_RU, t)
    assert any("План постов на эту и следующую неделю готов" in text for text in anna.texts())

    (library,) = await world.repo.libraries.of_user(100)
    posts = await world.posts(library.id)
    stored = [(p.day.isoformat(), p.time, p.network, p.rubric) for p in posts]
    # Monday 08:00 in Moscow: the whole of this week and the next, as the schedule says.
    assert stored == expected_slots(RURAL_RU, MONDAY, MONDAY + timedelta(days=13))
    assert stored, "the schedule has posts"
    assert {p.network for p in posts} <= set(build_advice(RURAL_RU).chosen_networks)
    # The one who finished gets the reminders.
    assert await world.repo.plans.subscribers(library.id) == [100]

    await anna.send("/plan")
    text = anna.last_text()
    assert "Неделя 5 января — 11 января" in text
    assert "Неделя 12 января — 18 января" in text
    assert f"• Вт, 6 января, 09:00 · ВКонтакте: {post_headline(posts[0], t)}" in text
    assert post_headline(posts[0], t).strip()
    await anna.press_data(f"pl:open:{posts[0].id}:")
    # The library's name is shown escaped inside the draft.
    assert "Сельская библиотека &lt;им. Пушкина&gt; &amp; филиал" in anna.last_text()


async def test_plan_in_english(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(200, US_PUBLIC, language="en")
    john = world.user(200, "en", "John")
    await john.send("/plan")
    text = john.last_text()
    # Sunday evening in Chicago: this week has no posts left, the next one is full.
    assert "Week of December 29 – January 4</b>\nNo posts." in text
    assert "Week of January 5 – January 11" in text
    posts = await world.posts(library.id)
    headline = post_headline(posts[0], world.t("en"))
    assert f"Mon, January 5, 08:30 · Facebook: {headline}" in text
    await john.press_data(f"pl:open:{posts[0].id}:")
    assert "Facebook · rubric “Question to readers”" in john.last_text()
    assert "Status: planned." in john.last_text()
    assert john.button_texts()[:2] == ["Posted ✅", "Skip"]


async def test_posted_skip_later_move_and_edit_change_what_is_stored(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, RURAL_RU)
    anna = world.user(100)
    t = world.t("ru")
    await anna.send("/plan")
    first, second, third, fourth = (await world.posts(library.id))[:4]

    await anna.press(
        t("plan.btn.post", when=when_label(first, t), network=t(f"opt.net.{first.network}"))
    )
    assert "Статус: запланирован." in anna.last_text()
    await anna.press(t("plan.btn.posted"))
    assert (await world.repo.plans.post(first.id)).status == "posted"  # type: ignore[union-attr]
    assert "Статус: опубликован ✅" in anna.last_text()

    await anna.press_data(f"pl:skip:{second.id}:")
    assert (await world.repo.plans.post(second.id)).status == "skipped"  # type: ignore[union-attr]
    # Pressed twice: nothing changes, and the librarian is told why.
    requests = await anna.press_data(f"pl:posted:{second.id}:")
    assert "уже опубликован или пропущен" in anna.alerts(requests)[0]
    assert (await world.repo.plans.post(second.id)).status == "skipped"  # type: ignore[union-attr]

    requests = await anna.press_data(f"pl:later:{third.id}:")
    assert "напомню через час" in anna.alerts(requests)[0]
    snoozed = await world.repo.plans.post(third.id)
    assert snoozed is not None
    assert snoozed.snooze_until == to_db(world.clock.now() + timedelta(hours=1))

    # Move: the day list, then a day; the time stays.
    await anna.press_data(f"pl:open:{fourth.id}:")
    await anna.press(t("plan.btn.move"))
    new_day = fourth.day + timedelta(days=1)
    await anna.press_data(f"pl:mv:{fourth.id}:{new_day.isoformat()}")
    moved = await world.repo.plans.post(fourth.id)
    assert moved is not None
    assert (moved.day, moved.time, moved.edited) == (new_day, fourth.time, True)
    # A day in the past or far away is refused, and nothing moves.
    requests = await anna.press_data(f"pl:mv:{fourth.id}:2025-12-31")
    assert "ближайших 14 дней" in anna.alerts(requests)[0]
    assert (await world.repo.plans.post(fourth.id)).day == new_day  # type: ignore[union-attr]

    # Edit: press (on the card the move left), then the new text; HTML is shown escaped.
    await anna.press(t("plan.btn.edit"))
    await anna.send("Вечер <самовара> & стихов")
    edited = await world.repo.plans.post(fourth.id)
    assert edited is not None
    assert edited.text == "Вечер <самовара> & стихов"
    assert "Вечер &lt;самовара&gt; &amp; стихов" in anna.last_text()
    # Afterwards text is no longer taken as the post's text.
    await anna.send("просто сообщение")
    assert (await world.repo.plans.post(fourth.id)).text == "Вечер <самовара> & стихов"  # type: ignore[union-attr]

    # A photo attached by sending it (from the card shown after the edit).
    await anna.press(t("plan.btn.edit"))
    await anna.send_photo()
    assert (await world.repo.plans.post(fourth.id)).photo == "p"  # type: ignore[union-attr]
    assert "🖼 Фото приложено." in anna.last_text()


async def test_too_long_text_is_refused_and_kept_waiting(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, RURAL_RU)
    anna = world.user(100)
    post = (await world.posts(library.id))[0]
    await anna.press_data(f"pl:edit:{post.id}:")
    await anna.send("а" * 4001)
    assert "Слишком длинно: 4001" in anna.last_text()
    await anna.send("Короче")
    assert (await world.repo.plans.post(post.id)).text == "Короче"  # type: ignore[union-attr]


async def test_outsider_cannot_touch_anothers_post(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, RURAL_RU)
    post = (await world.posts(library.id))[0]
    await world.finished_strategy(300, US_PUBLIC)
    other = world.user(300, "en", "Eve")
    for action in ("posted", "skip", "later", "edit", "pub", "open", "move"):
        requests = await other.press_data(f"pl:{action}:{post.id}:")
        assert other.alerts(requests)
    stored = await world.repo.plans.post(post.id)
    assert stored == post
    # Nobody outside the team even gets /plan.
    stranger = world.user(400)
    await stranger.send("/plan")
    assert stranger.last_text() == world.t("ru")("access.staff_only")


async def test_editing_the_strategy_keeps_done_and_hand_edited_posts(world: PlanWorld) -> None:
    library, strategy = await world.finished_strategy(100, RURAL_RU)
    posts = await world.posts(library.id)
    done, edited, untouched = posts[0], posts[1], posts[2]
    await world.repo.plans.finish(done.id, "posted")
    await world.repo.plans.set_text(edited.id, "Мой текст")

    # The librarian changes her networks and finishes again (Wednesday now).
    world.clock.set(world.clock.now() + timedelta(days=2))
    await world.repo.answers.save(strategy.id, "net_considered", ["telegram"])
    await world.repo.strategies.reopen(strategy.id)
    await world.repo.strategies.mark_complete(strategy.id)
    again = await world.repo.strategies.get(strategy.id)
    assert again is not None
    await world.plans.refresh(again)

    after = {p.id: p for p in await world.posts(library.id)}
    assert after[done.id].status == "posted"
    assert after[edited.id].text == "Мой текст"
    changed = {**RURAL_RU, "net_considered": ["telegram"]}
    wednesday = MONDAY + timedelta(days=2)
    future = [
        (p.day.isoformat(), p.time, p.network, p.rubric)
        for p in after.values()
        if p.day >= wednesday and not p.edited and p.status == "planned"
    ]
    expected = [
        s
        for s in expected_slots(changed, wednesday, MONDAY + timedelta(days=13))
        if s not in {(p.day.isoformat(), p.time, p.network, p.rubric) for p in (done, edited)}
    ]
    assert sorted(future) == sorted(expected)
    # Past untouched posts stay as history; only future ones were regenerated.
    if untouched.day < wednesday:
        assert untouched.id in after


async def test_a_sticker_while_a_text_is_awaited_is_answered_and_changes_nothing(
    world: PlanWorld,
) -> None:
    library, _ = await world.finished_strategy(100, RURAL_RU)
    anna = world.user(100)
    post = (await world.posts(library.id))[0]
    await anna.press_data(f"pl:edit:{post.id}:")
    await anna.send_sticker()
    assert anna.last_text() == world.t("ru")("plan.edit.expected")
    await anna.send("/cancel")
    assert anna.last_text() == world.t("ru")("plan.edit.cancelled")
    assert await world.repo.plans.post(post.id) == post
