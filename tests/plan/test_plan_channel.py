"""Linking the library's channel and publishing approved Telegram posts to it: once, at
their time, and never after the approval is withdrawn, the link removed or rights lost."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram.methods import GetChat, GetChatMember, SendMessage, SendPhoto
from aiogram.types import Chat, MessageOriginChannel

from bot.db.plan_repository import PlanPost
from tests.ops.fakes import utc
from tests.plan.conftest import PlanWorld
from tests.profiles import WIZARD_RURAL_RU

WITH_TELEGRAM = {
    **WIZARD_RURAL_RU,
    "res_hours": 8,
    "net_current": ["ok", "telegram"],
    "net_url_telegram": "@berezovka_lib",
    "net_subs_telegram": 120,
}
CHANNEL_ID = -1001234567890
BOT_USER = {"id": 42, "is_bot": True, "first_name": "Bot"}


def admin(user: dict[str, Any], *, can_post: bool = True) -> dict[str, Any]:
    return {
        "status": "administrator",
        "user": user,
        "can_be_edited": False,
        "is_anonymous": False,
        "can_manage_chat": True,
        "can_delete_messages": True,
        "can_manage_video_chats": False,
        "can_restrict_members": False,
        "can_promote_members": False,
        "can_change_info": False,
        "can_invite_users": True,
        "can_post_stories": False,
        "can_edit_stories": False,
        "can_delete_stories": False,
        "can_send_welcome_messages": False,
        "can_post_messages": can_post,
    }


def owner(user_id: int) -> dict[str, Any]:
    return {
        "status": "creator",
        "user": {"id": user_id, "is_bot": False, "first_name": "Анна"},
        "is_anonymous": False,
    }


def member(user: dict[str, Any]) -> dict[str, Any]:
    return {"status": "member", "user": user}


def channel_chat() -> dict[str, Any]:
    return {
        "id": CHANNEL_ID,
        "type": "channel",
        "title": "Берёзовка читает",
        "username": "berezovka_lib",
    }


def full_info() -> dict[str, Any]:
    """getChat's answer (ChatFullInfo) for the channel."""
    return {
        **channel_chat(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def to_channel(world: PlanWorld) -> list[SendMessage | SendPhoto]:
    return [
        r
        for r in world.bot.session.requests
        if isinstance(r, SendMessage | SendPhoto) and r.chat_id == CHANNEL_ID
    ]


def to_user(world: PlanWorld, chat_id: int, containing: str) -> list[SendMessage]:
    return [
        r
        for r in world.bot.session.requests
        if isinstance(r, SendMessage) and r.chat_id == chat_id and containing in r.text
    ]


async def tick_at(world: PlanWorld, moment: datetime) -> None:
    world.clock.set(moment)
    await world.scheduler.tick()
    await world.sender.send_due()


async def link_by_username(world: PlanWorld, library_id: int) -> None:
    anna = world.user(100)
    world.bot.add_result_for(GetChat, result=full_info())
    world.bot.add_result_for(GetChatMember, result=admin(BOT_USER))
    world.bot.add_result_for(GetChatMember, result=owner(100))
    await anna.press_data(f"pl:chan:0:{library_id}")
    await anna.send("@berezovka_lib")


async def telegram_post(world: PlanWorld, library_id: int) -> PlanPost:
    posts = await world.posts(library_id)
    # Tuesday 6 January, 10:00 in Moscow = 07:00 UTC.
    post = next(p for p in posts if p.network == "telegram")
    assert (post.day.isoformat(), post.time) == ("2026-01-06", "10:00")
    return post


async def test_link_by_username_checks_both_rights(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, WITH_TELEGRAM)
    anna = world.user(100)
    t = world.t("ru")
    await anna.send("/plan")
    await anna.press(t("plan.btn.channel"))
    assert "Перешлите сюда любой пост" in anna.last_text()

    # The bot is only a member: refused, nothing stored, still waiting for a channel.
    world.bot.add_result_for(GetChat, result=full_info())
    world.bot.add_result_for(GetChatMember, result=member(BOT_USER))
    await anna.send("@berezovka_lib")
    assert anna.last_text() == t("plan.publish_error.bot_not_admin")
    assert await world.repo.plans.channel(library.id) is None

    # The bot may not post.
    world.bot.add_result_for(GetChat, result=full_info())
    world.bot.add_result_for(GetChatMember, result=admin(BOT_USER, can_post=False))
    await anna.send("@berezovka_lib")
    assert anna.last_text() == t("plan.publish_error.bot_cannot_post")

    # The librarian is not an administrator there.
    world.bot.add_result_for(GetChat, result=full_info())
    world.bot.add_result_for(GetChatMember, result=admin(BOT_USER))
    world.bot.add_result_for(
        GetChatMember, result=member({"id": 100, "is_bot": False, "first_name": "А"})
    )
    await anna.send("@berezovka_lib")
    assert anna.last_text() == t("plan.publish_error.user_not_admin")
    assert await world.repo.plans.channel(library.id) is None

    # Nonsense is answered, not stored.
    await anna.send("не канал!")
    assert anna.last_text() == t("plan.channel.expected")

    world.bot.add_result_for(GetChat, result=full_info())
    world.bot.add_result_for(GetChatMember, result=admin(BOT_USER))
    world.bot.add_result_for(GetChatMember, result=owner(100))
    await anna.send("@berezovka_lib")
    assert "Канал «Берёзовка читает» привязан" in anna.last_text()
    channel = await world.repo.plans.channel(library.id)
    assert channel is not None
    assert (channel.chat_id, channel.username, channel.linked_by) == (
        CHANNEL_ID,
        "berezovka_lib",
        100,
    )
    checks = world.bot.session.requests_of(GetChatMember)
    assert [(c.chat_id, c.user_id) for c in checks[-2:]] == [(CHANNEL_ID, 42), (CHANNEL_ID, 100)]


async def test_link_by_forwarding_a_post(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, WITH_TELEGRAM)
    anna = world.user(100)
    await anna.press_data(f"pl:chan:0:{library.id}")
    world.bot.add_result_for(GetChatMember, result=admin(BOT_USER))
    world.bot.add_result_for(GetChatMember, result=owner(100))
    origin = MessageOriginChannel(
        date=datetime(2026, 1, 1, tzinfo=UTC), chat=Chat(**channel_chat()), message_id=7
    )
    await anna.feed(anna.message_update("пост из канала", forward_origin=origin))
    channel = await world.repo.plans.channel(library.id)
    assert channel is not None
    assert channel.chat_id == CHANNEL_ID


async def test_approved_post_is_published_once_at_its_time(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, WITH_TELEGRAM)
    await link_by_username(world, library.id)
    post = await telegram_post(world, library.id)
    anna = world.user(100)
    t = world.t("ru")
    await anna.press_data(f"pl:open:{post.id}:")
    await anna.press(t("plan.btn.edit"))
    await anna.send("Сегодня в 18:00 — <вечер> поэзии & чая")
    requests = await anna.press(t("plan.btn.approve"))
    assert "будет опубликован в канале" in anna.alerts(requests)[0]
    assert (await world.repo.plans.post(post.id)).publish == "approved"  # type: ignore[union-attr]

    await tick_at(world, utc(2026, 1, 6, 6, 59))
    assert not to_channel(world)
    world.bot.add_result_for(GetChatMember, result=admin(BOT_USER))  # checked right before
    await tick_at(world, utc(2026, 1, 6, 7, 0))
    (published,) = to_channel(world)
    assert isinstance(published, SendMessage)
    assert published.text == "Сегодня в 18:00 — &lt;вечер&gt; поэзии &amp; чая"
    await tick_at(world, utc(2026, 1, 6, 7, 1))  # the outcome is recorded and told
    stored = await world.repo.plans.post(post.id)
    assert stored is not None
    assert (stored.publish, stored.status) == ("published", "posted")
    assert stored.message_id is not None
    (told,) = to_user(world, 100, "📣 Пост на")
    assert f"https://t.me/berezovka_lib/{stored.message_id}" in told.text

    world.build()  # a restart, and many more ticks: never a second time
    for hour in range(8, 20):
        await tick_at(world, utc(2026, 1, 6, hour))
    assert len(to_channel(world)) == 1
    assert len(to_user(world, 100, "📣 Пост на")) == 1


async def test_photo_goes_out_by_its_file_id(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, WITH_TELEGRAM)
    await link_by_username(world, library.id)
    post = await telegram_post(world, library.id)
    anna = world.user(100)
    await anna.press_data(f"pl:edit:{post.id}:")
    await anna.send_photo()
    # A draft with blanks is not published: her own text first.
    requests = await anna.press_data(f"pl:pub:{post.id}:")
    assert "Сначала замените черновик своим текстом" in anna.alerts(requests)[0]
    assert (await world.repo.plans.post(post.id)).publish == "off"  # type: ignore[union-attr]
    await anna.press_data(f"pl:edit:{post.id}:")
    await anna.send("Новинки недели")
    await anna.press_data(f"pl:pub:{post.id}:")
    world.bot.add_result_for(GetChatMember, result=admin(BOT_USER))
    await tick_at(world, utc(2026, 1, 6, 7, 0))
    (photo,) = to_channel(world)
    assert isinstance(photo, SendPhoto)
    assert photo.photo == "p"
    assert photo.caption == "Новинки недели"


async def test_withdrawn_approval_publishes_nothing(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, WITH_TELEGRAM)
    await link_by_username(world, library.id)
    post = await telegram_post(world, library.id)
    anna = world.user(100)
    t = world.t("ru")
    await world.repo.plans.set_text(post.id, "Вечер поэзии")
    await anna.press_data(f"pl:pub:{post.id}:")  # the card now offers to withdraw
    requests = await anna.press(t("plan.btn.withdraw"))
    assert anna.alerts(requests) == [t("plan.withdraw.done")]
    await tick_at(world, utc(2026, 1, 6, 7, 0))
    await tick_at(world, utc(2026, 1, 6, 9, 0))
    assert not to_channel(world)
    assert (await world.repo.plans.post(post.id)).publish == "off"  # type: ignore[union-attr]


async def test_lost_rights_or_removed_link_publish_nothing_and_staff_are_told(
    world: PlanWorld,
) -> None:
    library, _ = await world.finished_strategy(100, WITH_TELEGRAM)
    await link_by_username(world, library.id)
    posts = [p for p in await world.posts(library.id) if p.network == "telegram"]
    tuesday, wednesday = posts[0], posts[1]
    anna = world.user(100)
    for post in (tuesday, wednesday):
        await world.repo.plans.set_text(post.id, "Свой текст")
        await anna.press_data(f"pl:pub:{post.id}:")
        assert (await world.repo.plans.post(post.id)).publish == "approved"  # type: ignore[union-attr]

    # By Tuesday 10:00 the bot was demoted in the channel.
    world.bot.add_result_for(GetChatMember, result=member(BOT_USER))
    await tick_at(world, utc(2026, 1, 6, 7, 0))
    assert not to_channel(world)
    failed = await world.repo.plans.post(tuesday.id)
    assert failed is not None
    assert (failed.publish, failed.publish_error) == ("failed", "bot_not_admin")
    (told,) = to_user(world, 100, "не опубликован в канале")
    assert "не администратор" in told.text

    # The link is removed before Wednesday's post.
    t = world.t("ru")
    await anna.press_data(f"pl:chan:0:{library.id}")
    await anna.press(t("plan.btn.unlink"))
    await tick_at(world, utc(2026, 1, 7, 7, 0))
    assert not to_channel(world)
    gone = await world.repo.plans.post(wednesday.id)
    assert gone is not None
    assert (gone.publish, gone.publish_error) == ("failed", "no_channel")
    assert len(to_user(world, 100, "не опубликован в канале")) == 2


async def test_only_telegram_posts_and_a_linked_channel_can_be_approved(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, WITH_TELEGRAM)
    posts = await world.posts(library.id)
    post = next(p for p in posts if p.network == "telegram")
    vk = next(p for p in posts if p.network == "vk")
    anna = world.user(100)
    requests = await anna.press_data(f"pl:pub:{post.id}:")
    assert "Сначала привяжите канал" in anna.alerts(requests)[0]
    await link_by_username(world, library.id)
    await world.repo.plans.set_text(vk.id, "Свой текст")
    await anna.press_data(f"pl:pub:{vk.id}:")
    assert (await world.repo.plans.post(vk.id)).publish == "off"  # type: ignore[union-attr]
