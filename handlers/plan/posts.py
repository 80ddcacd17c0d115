"""The plan's weeks, one post's card, and what staff do with a post."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access import IsStaff
from bot.advice import render
from bot.db.plan_repository import PlanPost
from bot.db.repositories import Library, Repositories, User
from bot.i18n import Translate
from bot.plan.buttons import PlanAction
from bot.plan.drafts import on_date
from bot.services.plan_texts import post_card, week_text, when_label
from bot.services.plans import PlanService
from handlers.message_edits import edit_text
from handlers.plan.callbacks import InPlanState, PlanCb, PlanStates, plan_context

MAX_TEXT = 4000
"""A channel post holds 4,096 characters; a little room is left for Telegram's own count."""
MAX_CAPTION = 1024
MAX_BUTTONS = 30
WEEKDAYS = range(7)
HOURS = range(7, 22)
WEEK_TIME_STEPS = {PlanAction.WEEK_TIME, PlanAction.WEEK_DAY, PlanAction.WEEK_HOUR}


async def plan_library(libraries: list[Library], repo: Repositories) -> Library | None:
    """The first of the user's libraries that has a plan."""
    for library in libraries:
        if await repo.plans.get(library.id) is not None:
            return library
    return None


async def overview(
    library: Library, user: User, repo: Repositories, plans: PlanService, t: Translate
) -> tuple[str, InlineKeyboardMarkup]:
    monday, this_week, next_week = await plans.weeks(library.id)
    text = "\n\n".join(
        [
            t("plan.overview"),
            week_text(this_week, monday, t),
            week_text(next_week, monday + timedelta(days=7), t),
        ]
    )
    builder = InlineKeyboardBuilder()
    for post in [*this_week, *next_week][:MAX_BUTTONS]:
        builder.button(
            text=t(
                "plan.btn.post",
                when=when_label(post, t),
                network=t(f"opt.net.{post.network}"),
            ),
            callback_data=PlanCb(action=PlanAction.OPEN, post_id=post.id),
        )
    subscribed = await repo.plans.is_subscribed(library.id, user.id)
    builder.button(
        text=t("plan.btn.reminders_off" if subscribed else "plan.btn.reminders_on"),
        callback_data=PlanCb(action=PlanAction.REMINDERS, value=str(library.id)),
    )
    builder.button(
        text=t("plan.btn.week_time"),
        callback_data=PlanCb(action=PlanAction.WEEK_TIME, value=str(library.id)),
    )
    builder.button(
        text=t("plan.btn.channel"),
        callback_data=PlanCb(action=PlanAction.CHANNEL, value=str(library.id)),
    )
    builder.adjust(1)
    return text, builder.as_markup()


def card_markup(post: PlanPost, t: Translate) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    sizes = []
    if post.is_open and post.publish != "queued":
        builder.button(
            text=t("plan.btn.posted"),
            callback_data=PlanCb(action=PlanAction.POSTED, post_id=post.id),
        )
        builder.button(
            text=t("plan.btn.skip"), callback_data=PlanCb(action=PlanAction.SKIP, post_id=post.id)
        )
        builder.button(
            text=t("plan.btn.edit"), callback_data=PlanCb(action=PlanAction.EDIT, post_id=post.id)
        )
        builder.button(
            text=t("plan.btn.move"),
            callback_data=PlanCb(action=PlanAction.CHOOSE_DAY, post_id=post.id),
        )
        sizes += [2, 2]
    if post.is_open and post.network == "telegram":
        if post.publish in {"approved", "queued"}:
            builder.button(
                text=t("plan.btn.withdraw"),
                callback_data=PlanCb(action=PlanAction.WITHDRAW, post_id=post.id),
            )
        else:
            builder.button(
                text=t("plan.btn.approve"),
                callback_data=PlanCb(action=PlanAction.APPROVE, post_id=post.id),
            )
        sizes.append(1)
    builder.button(text=t("plan.btn.open_plan"), callback_data=PlanCb(action=PlanAction.WEEK))
    sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


async def plan_command(
    message: Message,
    *,
    libraries: list[Library],
    user: User,
    repo: Repositories,
    plans: PlanService,
    t: Translate,
) -> None:
    library = await plan_library(libraries, repo)
    if library is None:
        await message.answer(t("plan.none"))
        return
    text, markup = await overview(library, user, repo, plans, t)
    await message.answer(text, reply_markup=markup)


async def show_week(
    callback: CallbackQuery,
    *,
    libraries: list[Library],
    user: User,
    repo: Repositories,
    plans: PlanService,
    t: Translate,
) -> None:
    await callback.answer()
    library = await plan_library(libraries, repo)
    if library is None:
        await edit_text(callback, t("plan.none"))
        return
    text, markup = await overview(library, user, repo, plans, t)
    await edit_text(callback, text, markup)


async def _post(
    callback: CallbackQuery, callback_data: PlanCb, repo: Repositories, t: Translate
) -> PlanPost | None:
    post = await repo.plans.post_for_user(callback_data.post_id, callback.from_user.id)
    if post is None:
        await callback.answer(t("cb.unknown"), show_alert=True)
    return post


async def _show(callback: CallbackQuery, post_id: int, repo: Repositories, t: Translate) -> None:
    post = await repo.plans.post(post_id)
    if post is not None:
        await edit_text(callback, post_card(post, t), card_markup(post, t))


async def open_post(
    callback: CallbackQuery, callback_data: PlanCb, *, bot: Bot, repo: Repositories, t: Translate
) -> None:
    post = await _post(callback, callback_data, repo, t)
    if post is None:
        return
    await callback.answer()
    if callback_data.value == "new":
        # Opened from a reminder: the reminder stays, the card comes below it.
        await bot.send_message(
            callback.from_user.id, post_card(post, t), reply_markup=card_markup(post, t)
        )
    else:
        await _show(callback, post.id, repo, t)


@dataclass(frozen=True, slots=True)
class _Act:
    """What a card's button does: the service's call, and what the user is told."""

    run: Callable[[PlanService, PlanPost], Awaitable[bool]]
    refused: str
    done: str
    alert: bool = False
    show: bool = True
    """Draw the card again (its status changed); "Later" leaves the reminder as it was."""


ACTS = {
    PlanAction.POSTED: _Act(PlanService.posted, "plan.already_done", "plan.done.posted"),
    PlanAction.SKIP: _Act(PlanService.skip, "plan.already_done", "plan.done.skipped"),
    PlanAction.LATER: _Act(
        PlanService.later, "plan.already_done", "plan.later_set", alert=True, show=False
    ),
    PlanAction.WITHDRAW: _Act(
        PlanService.withdraw, "plan.withdraw.too_late", "plan.withdraw.done"
    ),
}


async def act(
    callback: CallbackQuery,
    callback_data: PlanCb,
    *,
    repo: Repositories,
    plans: PlanService,
    t: Translate,
) -> None:
    action = ACTS[callback_data.action]
    post = await _post(callback, callback_data, repo, t)
    if post is None:
        return
    if not await action.run(plans, post):
        await callback.answer(t(action.refused), show_alert=True)
        return
    await callback.answer(t(action.done), show_alert=action.alert)
    if action.show:
        await _show(callback, post.id, repo, t)


async def choose_day(
    callback: CallbackQuery,
    callback_data: PlanCb,
    *,
    repo: Repositories,
    plans: PlanService,
    t: Translate,
) -> None:
    post = await _post(callback, callback_data, repo, t)
    if post is None:
        return
    await callback.answer()
    today = await plans.today(post.library_id)
    builder = InlineKeyboardBuilder()
    for offset in range(14):
        day = today + timedelta(days=offset)
        if day == post.day:
            continue
        builder.button(
            text=t(
                "plan.btn.day",
                weekday=t(f"plan.weekday.{day.weekday()}"),
                date=render(on_date(day), t),
            ),
            callback_data=PlanCb(action=PlanAction.MOVE, post_id=post.id, value=day.isoformat()),
        )
    builder.button(
        text=t("plan.btn.back"), callback_data=PlanCb(action=PlanAction.OPEN, post_id=post.id)
    )
    builder.adjust(2)
    await edit_text(callback, t("plan.move.ask", when=when_label(post, t)), builder.as_markup())


async def move_post(
    callback: CallbackQuery,
    callback_data: PlanCb,
    *,
    repo: Repositories,
    plans: PlanService,
    t: Translate,
) -> None:
    post = await _post(callback, callback_data, repo, t)
    if post is None:
        return
    try:
        day = date.fromisoformat(callback_data.value)
    except ValueError:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    today = await plans.today(post.library_id)
    if not today <= day < today + timedelta(days=14):
        await callback.answer(t("plan.move.past"), show_alert=True)
        return
    if not await repo.plans.move(post.id, day):
        await callback.answer(t("plan.already_done"), show_alert=True)
        return
    await callback.answer(t("plan.move.done"))
    await _show(callback, post.id, repo, t)


async def ask_text(
    callback: CallbackQuery,
    callback_data: PlanCb,
    *,
    bot: Bot,
    repo: Repositories,
    state: FSMContext,
    t: Translate,
) -> None:
    post = await _post(callback, callback_data, repo, t)
    if post is None:
        return
    if not post.is_open:
        await callback.answer(t("plan.already_done"), show_alert=True)
        return
    await callback.answer()
    context = plan_context(state)
    await context.set_state(PlanStates.text)
    await context.set_data({"post": post.id})
    await bot.send_message(callback.from_user.id, t("plan.edit.ask"))


async def _editing(message: Message, state: FSMContext, repo: Repositories) -> PlanPost | None:
    context = plan_context(state)
    post_id = (await context.get_data()).get("post")
    await context.clear()
    if not isinstance(post_id, int) or message.from_user is None:
        return None
    return await repo.plans.post_for_user(post_id, message.from_user.id)


async def new_text(
    message: Message, *, state: FSMContext, repo: Repositories, t: Translate
) -> None:
    text = (message.text or "").strip()
    if len(text) > MAX_TEXT:
        # The state stays: the librarian shortens the text and sends it again.
        await message.answer(t("plan.edit.too_long", limit=MAX_TEXT, length=len(text)))
        return
    post = await _editing(message, state, repo)
    if post is None or not text or not await repo.plans.set_text(post.id, text):
        await message.answer(t("plan.edit.gone"))
        return
    stored = await repo.plans.post(post.id)
    assert stored is not None
    await message.answer(t("plan.edit.saved"))
    await message.answer(post_card(stored, t), reply_markup=card_markup(stored, t))


async def new_photo(
    message: Message, *, state: FSMContext, repo: Repositories, t: Translate
) -> None:
    caption = (message.caption or "").strip()
    if len(caption) > MAX_CAPTION:
        await message.answer(t("plan.edit.too_long", limit=MAX_CAPTION, length=len(caption)))
        return
    post = await _editing(message, state, repo)
    assert message.photo  # the filter asks for one
    if post is None or not await repo.plans.set_photo(post.id, message.photo[-1].file_id):
        await message.answer(t("plan.edit.gone"))
        return
    if caption:
        await repo.plans.set_text(post.id, caption)
    stored = await repo.plans.post(post.id)
    assert stored is not None
    if stored.text and len(stored.text) > MAX_CAPTION:
        await message.answer(t("plan.edit.caption_long", limit=MAX_CAPTION))
    await message.answer(t("plan.edit.photo_saved"))
    await message.answer(post_card(stored, t), reply_markup=card_markup(stored, t))


async def not_text(message: Message, t: Translate) -> None:
    await message.answer(t("plan.edit.expected"))


async def cancel(message: Message, *, state: FSMContext, t: Translate) -> None:
    await plan_context(state).clear()
    await message.answer(t("plan.edit.cancelled"))


async def approve(
    callback: CallbackQuery, callback_data: PlanCb, *, repo: Repositories, t: Translate
) -> None:
    post = await _post(callback, callback_data, repo, t)
    if post is None:
        return
    if await repo.plans.channel(post.library_id) is None:
        await callback.answer(t("plan.approve.no_channel"), show_alert=True)
        return
    if not post.text:
        # A draft has blanks in brackets: only the librarian's own text goes out.
        await callback.answer(t("plan.approve.needs_text"), show_alert=True)
        return
    if post.photo and len(post.text) > MAX_CAPTION:
        await callback.answer(t("plan.edit.caption_long", limit=MAX_CAPTION), show_alert=True)
        return
    if not await repo.plans.approve(post.id):
        await callback.answer(t("plan.already_done"), show_alert=True)
        return
    await callback.answer(t("plan.approve.done"), show_alert=True)
    await _show(callback, post.id, repo, t)


def _library_arg(callback_data: PlanCb, libraries: list[Library]) -> Library | None:
    return next(
        (lib for lib in libraries if str(lib.id) == callback_data.value.split("-")[0]), None
    )


async def toggle_reminders(
    callback: CallbackQuery,
    callback_data: PlanCb,
    *,
    libraries: list[Library],
    user: User,
    repo: Repositories,
    plans: PlanService,
    t: Translate,
) -> None:
    library = _library_arg(callback_data, libraries)
    if library is None:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    on = not await repo.plans.is_subscribed(library.id, user.id)
    await repo.plans.subscribe(library.id, user.id, on)
    await callback.answer(t("plan.reminders.on" if on else "plan.reminders.off"), show_alert=True)
    text, markup = await overview(library, user, repo, plans, t)
    await edit_text(callback, text, markup)


async def week_time(
    callback: CallbackQuery,
    callback_data: PlanCb,
    *,
    libraries: list[Library],
    repo: Repositories,
    t: Translate,
) -> None:
    """Weekday first (``wt``), then the hour (``wd``), then stored (``wh``)."""
    library = _library_arg(callback_data, libraries)
    plan = await repo.plans.get(library.id) if library else None
    if library is None or plan is None:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    parts = callback_data.value.split("-")
    builder = InlineKeyboardBuilder()
    if callback_data.action == PlanAction.WEEK_TIME:
        await callback.answer()
        for day in WEEKDAYS:
            builder.button(
                text=t(f"plan.weekday.{day}"),
                callback_data=PlanCb(action=PlanAction.WEEK_DAY, value=f"{library.id}-{day}"),
            )
        builder.adjust(4)
        current = t(
            "plan.week_time.value",
            weekday=t(f"plan.weekday.{plan.week_weekday}"),
            hour=plan.week_hour,
        )
        await edit_text(
            callback, t("plan.week_time.ask_day", current=current), builder.as_markup()
        )
        return
    if not all(part.isdigit() for part in parts[1:]) or int(parts[1]) not in WEEKDAYS:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    weekday = int(parts[1])
    if callback_data.action == PlanAction.WEEK_DAY:
        await callback.answer()
        for hour in HOURS:
            builder.button(
                text=f"{hour:02d}:00",
                callback_data=PlanCb(
                    action=PlanAction.WEEK_HOUR, value=f"{library.id}-{weekday}-{hour}"
                ),
            )
        builder.adjust(5)
        await edit_text(callback, t("plan.week_time.ask_hour"), builder.as_markup())
        return
    if len(parts) != 3 or int(parts[2]) not in HOURS:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    await repo.plans.set_week_time(library.id, weekday, int(parts[2]))
    text = t("plan.week_time.value", weekday=t(f"plan.weekday.{weekday}"), hour=int(parts[2]))
    await callback.answer()
    await edit_text(callback, t("plan.week_time.saved", value=text))


def create_router() -> Router:
    router = Router(name="plan-posts")
    router.message.register(plan_command, Command("plan"), IsStaff())
    editing = InPlanState(PlanStates.text)
    router.message.register(cancel, Command("cancel"), editing)
    router.message.register(new_text, editing, F.text, ~F.text.startswith("/"), IsStaff())
    router.message.register(new_photo, editing, F.photo, IsStaff())
    router.message.register(not_text, editing, ~F.text.startswith("/"))
    cb = router.callback_query
    cb.register(show_week, PlanCb.filter(F.action == PlanAction.WEEK), IsStaff())
    cb.register(open_post, PlanCb.filter(F.action == PlanAction.OPEN))
    cb.register(act, PlanCb.filter(F.action.in_(set(ACTS))))
    cb.register(choose_day, PlanCb.filter(F.action == PlanAction.CHOOSE_DAY))
    cb.register(move_post, PlanCb.filter(F.action == PlanAction.MOVE))
    cb.register(ask_text, PlanCb.filter(F.action == PlanAction.EDIT))
    cb.register(approve, PlanCb.filter(F.action == PlanAction.APPROVE))
    cb.register(toggle_reminders, PlanCb.filter(F.action == PlanAction.REMINDERS), IsStaff())
    cb.register(week_time, PlanCb.filter(F.action.in_(WEEK_TIME_STEPS)), IsStaff())
    return router
