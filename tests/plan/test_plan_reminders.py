"""The week's posts at the library's weekly local time and a reminder an hour before each
post: once each, across a time-zone change and a restart, never to who left or blocked."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram.exceptions import TelegramForbiddenError
from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup

from bot.db.plan_repository import PlanPost
from bot.services.plan_texts import post_headline
from tests.ops.fakes import utc
from tests.plan.conftest import PlanWorld
from tests.profiles import RURAL_RU, US_PUBLIC


def sent(world: PlanWorld, chat_id: int, containing: str = "") -> list[SendMessage]:
    return [
        r
        for r in world.bot.session.requests
        if isinstance(r, SendMessage) and r.chat_id == chat_id and containing in r.text
    ]


def reminders(world: PlanWorld, chat_id: int, post: PlanPost | None = None) -> list[SendMessage]:
    out = []
    for request in sent(world, chat_id, "⏰"):
        markup = request.reply_markup
        assert isinstance(markup, InlineKeyboardMarkup)
        data = [b.callback_data for row in markup.inline_keyboard for b in row]
        if post is None or f"pl:posted:{post.id}:" in data:
            out.append(request)
    return out


async def tick_at(world: PlanWorld, moment: datetime) -> None:
    world.clock.set(moment)
    await world.scheduler.tick()
    await world.sender.send_due()


async def test_week_posts_at_monday_nine_local_once_across_a_restart(world: PlanWorld) -> None:
    await world.finished_strategy(100, RURAL_RU)
    await tick_at(world, utc(2026, 1, 5, 5, 1))  # the scheduler learns the slot: 06:00 UTC
    await tick_at(world, utc(2026, 1, 5, 5, 59))
    assert not sent(world, 100, "Посты этой недели")
    await tick_at(world, utc(2026, 1, 5, 6, 0))  # 09:00 in Moscow
    (week,) = sent(world, 100, "Посты этой недели")
    assert "Неделя 5 января — 11 января" in week.text
    assert "Вт, 6 января, 09:00 · ВКонтакте" in week.text

    world.build()  # a restart: new scheduler, service and sender on the same database
    await tick_at(world, utc(2026, 1, 5, 6, 30))
    await tick_at(world, utc(2026, 1, 8, 12))
    assert len(sent(world, 100, "Посты этой недели")) == 1
    await tick_at(world, utc(2026, 1, 12, 6, 0))  # next Monday
    assert len(sent(world, 100, "Посты этой недели")) == 2


async def test_weekly_time_is_a_setting_per_library(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, RURAL_RU)
    anna = world.user(100)
    t = world.t("ru")
    await anna.send("/plan")
    await anna.press(t("plan.btn.week_time"))
    await anna.press(t("plan.weekday.4"), exact=True)  # Friday
    await anna.press("15:00", exact=True)
    assert "пятницу" in anna.last_text() or "Пт, 15:00" in anna.last_text()
    plan = await world.repo.plans.get(library.id)
    assert plan is not None
    assert (plan.week_weekday, plan.week_hour) == (4, 15)
    await tick_at(world, utc(2026, 1, 5, 6, 0))
    await tick_at(world, utc(2026, 1, 5, 6, 1))
    assert not sent(world, 100, "Посты этой недели")  # not on Monday any more
    await tick_at(world, utc(2026, 1, 9, 12, 0))  # Friday 15:00 in Moscow
    assert len(sent(world, 100, "Посты этой недели")) == 1


async def test_reminder_an_hour_before_each_post_with_buttons(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, RURAL_RU)
    posts = await world.posts(library.id)
    first = posts[0]  # Tuesday 6 January, 09:00 Moscow = 06:00 UTC
    assert (first.day.isoformat(), first.time) == ("2026-01-06", "09:00")
    await tick_at(world, utc(2026, 1, 6, 4, 59))
    assert not reminders(world, 100, first)
    await tick_at(world, utc(2026, 1, 6, 5, 0))
    (reminder,) = reminders(world, 100, first)
    assert "Через час по плану пост" in reminder.text
    assert f"<b>{post_headline(first, world.t('ru'))}</b>" in reminder.text
    labels = [b.text for row in reminder.reply_markup.inline_keyboard for b in row]  # type: ignore[union-attr]
    assert labels[:3] == ["Опубликовано ✅", "Позже", "Пропустить"]
    for minute in range(1, 60, 10):
        await tick_at(world, utc(2026, 1, 6, 5, minute))
    assert len(reminders(world, 100, first)) == 1


async def test_later_reminds_again_in_an_hour_skip_and_posted_stop_reminders(
    world: PlanWorld,
) -> None:
    library, _ = await world.finished_strategy(100, RURAL_RU)
    anna = world.user(100)
    first, second, third = (await world.posts(library.id))[:3]
    await tick_at(
        world, utc(2026, 1, 6, 5, 0)
    )  # both Tuesday posts' reminders (09:00, 10:00 is 06:00 UTC)
    assert len(reminders(world, 100, first)) == 1
    await anna.press_data(f"pl:later:{first.id}:")
    await tick_at(world, utc(2026, 1, 6, 5, 59))
    assert len(reminders(world, 100, first)) == 1
    await tick_at(world, utc(2026, 1, 6, 6, 2))
    assert len(reminders(world, 100, first)) == 2  # "Later": an hour after the press
    await tick_at(world, utc(2026, 1, 6, 6, 30))
    assert len(reminders(world, 100, first)) == 2

    # "Skip" before the reminder: none comes; "Posted": none either.
    await anna.press_data(f"pl:skip:{second.id}:")
    await anna.press_data(f"pl:posted:{third.id}:")
    await tick_at(world, utc(2026, 1, 8, 6, 0))
    # The 10:00 post was reminded with the 09:00 one; after "Skip" it is not reminded again.
    assert len(reminders(world, 100, second)) == (1 if second.day == first.day else 0)
    assert not reminders(world, 100, third)


async def test_a_moved_post_is_reminded_on_its_new_day(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, RURAL_RU)
    anna = world.user(100)
    first = (await world.posts(library.id))[0]
    new_day = first.day + timedelta(days=2)  # Thursday
    await anna.press_data(f"pl:mv:{first.id}:{new_day.isoformat()}")
    await tick_at(world, utc(2026, 1, 6, 5, 0))
    assert not reminders(world, 100, first)
    await tick_at(world, utc(2026, 1, 8, 5, 0))  # Thursday 08:00 Moscow
    assert len(reminders(world, 100, first)) == 1


async def test_reminders_follow_a_time_zone_change_and_a_restart_once_each(
    world: PlanWorld,
) -> None:
    library, _ = await world.finished_strategy(100, RURAL_RU)
    posts = await world.posts(library.id)
    tuesday = [p for p in posts if p.day.isoformat() == "2026-01-06"]
    thursday = [p for p in posts if p.day.isoformat() == "2026-01-08"]
    await tick_at(world, utc(2026, 1, 6, 6, 0))  # Moscow: both Tuesday reminders are due
    for post in tuesday:
        assert len(reminders(world, 100, post)) == 1

    # The library moves to Yekaterinburg (UTC+5), and the bot restarts.
    await world.repo.libraries.update_profile(
        library.id,
        name=library.name,
        settlement=library.settlement,
        region=library.region,
        country=library.country,
        timezone="Asia/Yekaterinburg",
        is_state=library.is_state,
    )
    world.build()
    await tick_at(world, utc(2026, 1, 6, 7, 0))
    for post in tuesday:
        assert len(reminders(world, 100, post)) == 1  # not again for the new zone
    (post,) = thursday  # 10:00 Yekaterinburg = 05:00 UTC; reminder at 04:00 UTC
    await tick_at(world, utc(2026, 1, 8, 3, 59))
    assert not reminders(world, 100, post)
    await tick_at(world, utc(2026, 1, 8, 4, 0))
    assert len(reminders(world, 100, post)) == 1
    world.build()
    await tick_at(world, utc(2026, 1, 8, 4, 30))
    await tick_at(world, utc(2026, 1, 8, 6, 0))
    assert len(reminders(world, 100, post)) == 1


async def test_only_opted_in_current_members_who_did_not_block(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, RURAL_RU)
    t = world.t("ru")
    for colleague in (101, 102, 103):
        await world.repo.users.upsert(colleague, "Коллега", "ru")
        await world.repo.libraries.add_member(library.id, colleague)
    olga, lena = world.user(101, name="Ольга"), world.user(102, name="Лена")
    for chat in (olga, lena):
        await chat.send("/plan")
        await chat.press(t("plan.btn.reminders_on"))
    # 103 never opted in.
    posts = await world.posts(library.id)
    world.bot.session.fail_next(SendMessage, TelegramForbiddenError)  # Anna's... see below
    await tick_at(world, utc(2026, 1, 6, 5, 0))
    first = posts[0]
    # The first reminder of the run went to Anna and failed: she blocked the bot.
    assert (await world.repo.users.get(100)).blocked_bot  # type: ignore[union-attr]
    assert len(reminders(world, 101, first)) == 1
    assert len(reminders(world, 102, first)) == 1
    assert not reminders(world, 103, first)

    # Lena leaves the team.
    assert await world.repo.libraries.remove_member(library.id, 102)
    anna_calls = len([r for r in world.bot.session.requests if getattr(r, "chat_id", None) == 100])
    thursday = next(p for p in posts if p.day.isoformat() == "2026-01-08")
    await tick_at(world, utc(2026, 1, 8, 6, 0))
    assert len(reminders(world, 101, thursday)) == 1
    assert not reminders(world, 102, thursday)
    # A user who blocked the bot is not tried again.
    assert (
        len([r for r in world.bot.session.requests if getattr(r, "chat_id", None) == 100])
        == anna_calls
    )


async def test_reminders_in_english(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(200, US_PUBLIC, language="en")
    first = (await world.posts(library.id))[0]  # Monday 5 January 08:30 Chicago = 14:30 UTC
    await tick_at(world, utc(2026, 1, 5, 13, 29))
    assert not reminders(world, 200, first)
    await tick_at(world, utc(2026, 1, 5, 13, 30))
    (reminder,) = reminders(world, 200, first)
    assert "A post is due in an hour" in reminder.text
    labels = [b.text for row in reminder.reply_markup.inline_keyboard for b in row]  # type: ignore[union-attr]
    assert labels[:3] == ["Posted ✅", "Later", "Skip"]
