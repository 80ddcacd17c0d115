"""The plan that runs itself: posts from a finished strategy, reminders, channel publishing.

Orchestration between the database, the advice engine and the outbox; handlers only talk to
Telegram and jobs only decide when. Every message leaves through the outbox with a dedupe key
naming its event, so a repeated job run (crash, restart) sends nothing twice.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import (
    ChatMemberAdministrator,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)

from bot.advice import AudienceData, Msg, StrategyAdvice, build_advice, render
from bot.advice.models import Param, UserText, rubric_label
from bot.advice.profile import LibraryProfile, read_profile
from bot.advice.rules.goals import REACH_TARGET_PCT, follower_target
from bot.clock import Now, from_db, to_db, utc_now
from bot.db.plan_repository import Channel, Metric, NewPost, Plan, PlanPost
from bot.db.repositories import Repositories, Strategy
from bot.documents.progress_png import TargetLine, build_progress_png
from bot.domain.translate import Translate
from bot.domain.zones import library_zone
from bot.outbox.repository import Outbox
from bot.plan.drafts import DraftSource, draft_for, dump_draft, load_draft, on_date
from bot.plan.progress import (
    Verdict,
    WeekAdherence,
    adherence,
    follower_progress,
    reach_progress,
)
from bot.plan.reminders import SNOOZE, reminder_due
from bot.plan.slots import horizon_end, local_moment, monday_of, planned_slots, window_end
from bot.services.notifier import Notifier

logger = logging.getLogger(__name__)

AudienceSource = Callable[[int], Awaitable[AudienceData | None]]
CALLBACK_PREFIX = "pl"
"""Prefix of the plan's buttons (handlers.plan.callbacks.PlanCb packs the same way)."""
HEADLINE_LIMIT = 120
CARD_TEXT_LIMIT = 3000
"""Characters of a post's own text shown in a card (Telegram allows 4,096 in a message)."""


def plan_button(
    t: Translate, label: str, action: str, post_id: int = 0, arg: str = ""
) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=t(label), callback_data=f"{CALLBACK_PREFIX}:{action}:{post_id}:{arg}"
    )


async def no_audience(strategy_id: int) -> AudienceData | None:
    return None


# --- texts ---------------------------------------------------------------------------------


def _plurals(message: Msg, t: Translate) -> Msg:
    """A nested message with a count ``n`` (a library date's "227 years since…") in its
    plural form; the rest is rendered (and escaped) as usual."""
    params: dict[str, Param] = {}
    for name, value in message.params.items():
        count = value.params.get("n") if isinstance(value, Msg) else None
        if isinstance(value, Msg) and isinstance(count, int) and len(value.params) == 1:
            params[name] = t.plural(value.key, count)
        elif isinstance(value, Msg):
            params[name] = _plurals(value, t)
        else:
            params[name] = value
    return Msg(message.key, params)


def render_draft(message: Msg, t: Translate) -> str:
    return render(_plurals(message, t), t)


def post_headline(post: PlanPost, t: Translate) -> str:
    if post.text:
        first = post.text.strip().splitlines()[0] if post.text.strip() else ""
        short = first if len(first) <= HEADLINE_LIMIT else first[: HEADLINE_LIMIT - 1] + "…"
        return html.escape(short)
    return render_draft(load_draft(post.draft).headline, t)


def post_body(post: PlanPost, t: Translate) -> str:
    if post.text:
        text = (
            post.text if len(post.text) <= CARD_TEXT_LIMIT else post.text[:CARD_TEXT_LIMIT] + "…"
        )
        return html.escape(text)
    draft = load_draft(post.draft)
    lines = [f"<b>{render_draft(draft.headline, t)}</b>"]
    lines += [render_draft(line, t) for line in draft.body]
    return "\n".join(lines)


def publication_text(post: PlanPost) -> str:
    """What goes to the channel: the staff's own text (approval asks for one)."""
    return html.escape(post.text or "")


def when_label(post: PlanPost, t: Translate) -> str:
    return t(
        "plan.when",
        weekday=t(f"plan.weekday.{post.day.weekday()}"),
        date=render(on_date(post.day), t),
        time=post.time,
    )


def post_line(post: PlanPost, t: Translate) -> str:
    mark = {"posted": "✅", "skipped": "➖"}.get(
        post.status, "🕒" if post.publish != "off" else "•"
    )
    return t(
        "plan.line",
        mark=mark,
        when=when_label(post, t),
        network=t(f"opt.net.{post.network}"),
        headline=post_headline(post, t),
    )


def rubric_text(rubric: str, t: Translate) -> str:
    label = rubric_label(rubric)
    if isinstance(label, Msg):
        return render(label, t)
    return html.escape(label.value) if isinstance(label, UserText) else str(label)


def post_card(post: PlanPost, t: Translate) -> str:
    lines = [
        t(
            "plan.card.heading",
            when=when_label(post, t),
            network=t(f"opt.net.{post.network}"),
            rubric=rubric_text(post.rubric, t),
        ),
        post_body(post, t),
        t(f"plan.status.{post.status}"),
    ]
    if post.photo:
        lines.append(t("plan.card.photo"))
    if post.publish != "off":
        lines.append(t(f"plan.publish.{post.publish}"))
    if post.publish == "failed" and post.publish_error:
        lines.append(t(f"plan.publish_error.{post.publish_error}"))
    if post.is_open:
        lines.append(t("plan.card.hint"))
    return "\n\n".join(lines)


def week_text(posts: list[PlanPost], monday: date, t: Translate) -> str:
    heading = t(
        "plan.week.heading",
        start=render(on_date(monday), t),
        end=render(on_date(monday + timedelta(days=6)), t),
    )
    if not posts:
        return f"{heading}\n{t('plan.week.empty')}"
    posted = sum(post.status == "posted" for post in posts)
    lines = [heading, *(post_line(post, t) for post in posts)]
    lines.append(t.plural("plan.week.progress", len(posts), posted=posted))
    return "\n".join(lines)


def reminder_markup(post: PlanPost, t: Translate) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                plan_button(t, "plan.btn.posted", "posted", post.id),
                plan_button(t, "plan.btn.later", "later", post.id),
                plan_button(t, "plan.btn.skip", "skip", post.id),
            ],
            [plan_button(t, "plan.btn.open", "open", post.id, "new")],
        ]
    )


def channel_link(channel: Channel, message_id: int) -> str:
    if channel.username:
        return f"https://t.me/{channel.username}/{message_id}"
    # Private channels and supergroups: -100xxxxxxxxxx -> t.me/c/xxxxxxxxxx/<id>.
    internal = str(abs(channel.chat_id)).removeprefix("100")
    return f"https://t.me/c/{internal}/{message_id}"


# --- rights in a channel -------------------------------------------------------------------


async def check_rights(bot: Bot, chat_id: int, user_id: int | None) -> str | None:
    """Why the bot cannot publish to ``chat_id`` for ``user_id``, or None when it can.

    Reasons: ``bot_not_admin``, ``bot_cannot_post``, ``user_not_admin``, ``no_access``.
    """
    try:
        me = await bot.get_chat_member(chat_id, bot.id)
    except TelegramAPIError:
        return "no_access"
    if isinstance(me, ChatMemberAdministrator):
        # Only channels carry can_post_messages; in groups every administrator may post.
        if me.can_post_messages is False:
            return "bot_cannot_post"
    elif not isinstance(me, ChatMemberOwner):
        return "bot_not_admin"
    if user_id is None:
        return None
    try:
        them = await bot.get_chat_member(chat_id, user_id)
    except TelegramAPIError:
        return "no_access"
    if not isinstance(them, ChatMemberAdministrator | ChatMemberOwner):
        return "user_not_admin"
    return None


@dataclass(frozen=True, slots=True)
class Goals:
    """The numbers the plan is measured against (goal a of the strategy)."""

    networks: tuple[str, ...]
    baseline: int
    target: int | None
    """None when the strategy has no followers goal."""
    reach_pct: int | None
    start: date
    end: date


def checkin_markup(library_id: int, t: Translate) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[plan_button(t, "plan.btn.checkin", "ci", 0, str(library_id))]]
    )


def progress_text(
    goals: Goals,
    metrics: list[Metric],
    weeks: list[WeekAdherence],
    t: Translate,
) -> str:
    lines = [t("plan.progress.heading")]
    by_month: dict[str, dict[str, Metric]] = {}
    for metric in metrics:
        by_month.setdefault(metric.month, {})[metric.network] = metric
    if by_month:
        _, latest = max(by_month.items())
        parts = [
            t("plan.progress.network", network=t(f"opt.net.{n}"), followers=m.followers)
            for n, m in latest.items()
        ]
        lines.append(t("plan.progress.latest", networks=t("advice.list_sep").join(parts)))
    history = [
        (point_day(month), sum(m.followers for m in values.values()))
        for month, values in sorted(by_month.items())
    ]
    if goals.target is not None:
        result = follower_progress(goals.baseline, goals.target, goals.start, goals.end, history)
        if result is None:
            lines.append(t("plan.progress.no_numbers"))
        else:
            lines.append(
                t(
                    f"plan.progress.followers.{result.verdict}",
                    actual=result.actual,
                    expected=result.expected,
                    target=result.target,
                    gap=result.gap,
                )
            )
    if goals.reach_pct is not None and by_month:
        _, latest = max(by_month.items())
        reach = [m.reach for m in latest.values() if m.reach is not None]
        if reach:
            followers = sum(m.followers for m in latest.values())
            result = reach_progress(followers, sum(reach), goals.reach_pct)
            lines.append(
                t(
                    f"plan.progress.reach.{result.verdict}",
                    actual=result.actual,
                    target=result.target,
                    gap=result.target - result.actual,
                )
            )
    recent = weeks[-4:]
    if recent:
        planned = sum(w.planned for w in recent)
        posted = sum(w.posted for w in recent)
        lines.append(
            t.plural(
                "plan.progress.adherence",
                planned,
                posted=posted,
                share=round(100 * posted / planned) if planned else 0,
            )
        )
        lines.extend(
            t(
                "plan.progress.week",
                start=render(on_date(w.monday), t),
                posted=w.posted,
                planned=w.planned,
            )
            for w in recent
        )
    return "\n".join(lines)


REVIEW_HOUR = 10
QUIET_DAYS = 21
"""A plan whose posts nobody has marked (posted or skipped) for three weeks has gone quiet."""


@dataclass(frozen=True, slots=True)
class LibraryWeek:
    library_id: int
    name: str
    planned: int
    posted: int
    followers: Verdict | None
    """The followers KPI at the latest check-in; None without a goal or numbers."""
    quiet: bool


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    libraries: tuple[LibraryWeek, ...]

    @property
    def planned(self) -> int:
        return sum(row.planned for row in self.libraries)

    @property
    def posted(self) -> int:
        return sum(row.posted for row in self.libraries)

    def count(self, verdict: Verdict) -> int:
        return sum(row.followers is verdict for row in self.libraries)

    @property
    def quiet(self) -> tuple[LibraryWeek, ...]:
        return tuple(row for row in self.libraries if row.quiet)


def library_week_line(row: LibraryWeek, t: Translate) -> str:
    kpi = t(f"plan.network.kpi.{row.followers}") if row.followers else t("plan.network.kpi.none")
    return t(
        "plan.network.line",
        library=html.escape(row.name) if row.name else t("digest.unnamed_library"),
        posted=row.posted,
        planned=row.planned,
        kpi=kpi,
    )


def network_text(summary: NetworkSummary, t: Translate, *, per_library: bool) -> str:
    lines = [
        t(
            "plan.network.totals",
            plans=len(summary.libraries),
            posted=summary.posted,
            planned=summary.planned,
            on_track=summary.count(Verdict.ON_TRACK) + summary.count(Verdict.MET),
            behind=summary.count(Verdict.BEHIND),
            quiet=len(summary.quiet),
        )
    ]
    if per_library:
        lines.extend(library_week_line(row, t) for row in summary.libraries)
        if summary.quiet:
            names = t("advice.list_sep").join(
                html.escape(row.name) if row.name else t("digest.unnamed_library")
                for row in summary.quiet
            )
            lines.append(t("plan.network.quiet", libraries=names))
    return "\n".join(lines)


def point_day(month: str) -> date:
    """A month's numbers are drawn on the first of the next month (the check-in day)."""
    year, number = (int(part) for part in month.split("-"))
    return date(year + number // 12, number % 12 + 1, 1)


class PlanService:
    def __init__(
        self,
        repo: Repositories,
        notifier: Notifier,
        outbox: Outbox,
        *,
        audience_source: AudienceSource = no_audience,
        draft_source: DraftSource = draft_for,
        now: Now = utc_now,
    ) -> None:
        self.repo = repo
        self._notifier = notifier
        self._outbox = outbox
        self._audience_source = audience_source
        self._draft_source = draft_source
        self._now = now

    # --- building the plan ----------------------------------------------------------

    async def _advice(self, strategy_id: int) -> tuple[StrategyAdvice, LibraryProfile]:
        answers = await self.repo.answers.all(strategy_id)
        try:
            audience = await self._audience_source(strategy_id)
        except Exception:
            # The report of the same strategy logs the failure as an error already; the
            # plan simply goes on with the librarian's own description of her readers.
            logger.warning(
                "plan without survey numbers for strategy %s", strategy_id, exc_info=True
            )
            audience = None
        return build_advice(answers, audience=audience), read_profile(answers, audience)

    async def zone(self, library_id: int) -> ZoneInfo:
        library = await self.repo.libraries.get(library_id)
        return library_zone(library.timezone if library else "UTC")

    async def today(self, library_id: int) -> date:
        return self._now().astimezone(await self.zone(library_id)).date()

    async def refresh(self, strategy: Strategy, *, finished_by: int | None = None) -> int:
        """The finished strategy becomes the library's plan; future posts nobody touched
        are made anew from it. Returns how many posts were added."""
        advice, profile = await self._advice(strategy.id)
        zone = library_zone(advice.timezone)
        today = self._now().astimezone(zone).date()
        existing = await self.repo.plans.get(strategy.library_id)
        # An edited strategy keeps its period; another strategy starts a new one.
        if existing is not None and existing.strategy_id == strategy.id:
            started_on = existing.started_on
        else:
            started_on = monday_of(today)
        ends_on = horizon_end(started_on, profile.horizon_months)
        plan = await self.repo.plans.save(strategy.library_id, strategy.id, started_on, ends_on)
        await self.repo.plans.drop_untouched(strategy.library_id, today)
        if finished_by is not None:
            await self.repo.plans.subscribe(strategy.library_id, finished_by)
        return await self._fill(plan, advice, profile, today)

    async def extend(self, library_id: int) -> int:
        """Add the rolling window's posts not yet in the plan (this week and the next)."""
        plan = await self.repo.plans.get(library_id)
        if plan is None:
            return 0
        advice, profile = await self._advice(plan.strategy_id)
        return await self._fill(plan, advice, profile, await self.today(library_id))

    async def _fill(
        self, plan: Plan, advice: StrategyAdvice, profile: LibraryProfile, today: date
    ) -> int:
        slots = planned_slots(
            advice.weeks, plan.started_on, today, window_end(today, plan.ends_on)
        )
        posts = [
            NewPost(
                s.slot_key,
                s.day,
                s.time,
                s.network,
                s.rubric,
                dump_draft(self._draft_source(profile, s.rubric, s.day)),
            )
            for s in slots
        ]
        return await self.repo.plans.add_posts(plan.library_id, plan.strategy_id, posts)

    async def weeks(self, library_id: int) -> tuple[date, list[PlanPost], list[PlanPost]]:
        """(this Monday, this week's posts, next week's posts), the window filled first."""
        await self.extend(library_id)
        monday = monday_of(await self.today(library_id))
        sunday = monday + timedelta(days=6)
        this_week = await self.repo.plans.between(library_id, monday, sunday)
        next_week = await self.repo.plans.between(
            library_id, sunday + timedelta(days=1), sunday + timedelta(days=7)
        )
        return monday, this_week, next_week

    async def later(self, post: PlanPost) -> bool:
        return await self.repo.plans.snooze(post.id, to_db(self._now() + SNOOZE))

    # --- the week's posts and the reminders -----------------------------------------

    async def send_week(self, library_id: int, key: str) -> int:
        """The week's posts to everyone who opted in; returns how many were stored."""
        monday, posts, _ = await self.weeks(library_id)
        if not posts:
            return 0
        stored = 0
        for user_id in await self.repo.plans.subscribers(library_id):
            t = await self._notifier.translator_for(user_id)
            markup = InlineKeyboardMarkup(
                inline_keyboard=[[plan_button(t, "plan.btn.open_plan", "week")]]
            )
            enqueued = await self._outbox.enqueue_message(
                user_id,
                t("plan.week.intro") + "\n\n" + week_text(posts, monday, t),
                parse_mode="HTML",
                reply_markup=markup,
                dedupe_key=f"{key}:{user_id}",
            )
            stored += enqueued.created
        return stored

    async def send_due_reminders(self) -> int:
        """An hour before each planned post (or when "Later" ends): its draft and buttons."""
        now = self._now()
        # Local dates differ from UTC by at most a day either way.
        utc_day = now.date()
        zones: dict[int, ZoneInfo] = {}
        stored = 0
        for post in await self.repo.plans.open_between(
            utc_day - timedelta(days=1), utc_day + timedelta(days=2)
        ):
            if post.library_id not in zones:
                zones[post.library_id] = await self.zone(post.library_id)
            identity = reminder_due(
                post.day,
                post.time,
                zones[post.library_id],
                snooze_until=from_db(post.snooze_until) if post.snooze_until else None,
                reminded=post.reminded,
                now=now,
            )
            if identity is None:
                continue
            for user_id in await self.repo.plans.subscribers(post.library_id):
                t = await self._notifier.translator_for(user_id)
                enqueued = await self._outbox.enqueue_message(
                    user_id,
                    t("plan.reminder.intro") + "\n\n" + post_card(post, t),
                    parse_mode="HTML",
                    reply_markup=reminder_markup(post, t),
                    dedupe_key=f"plan-remind:{post.id}:{identity}:{user_id}",
                )
                stored += enqueued.created
            await self.repo.plans.mark_reminded(post.id, identity)
        return stored

    # --- the channel ----------------------------------------------------------------

    async def withdraw(self, post: PlanPost) -> bool:
        """Stop a post from going out; True unless it has already gone."""
        if await self.repo.plans.withdraw(post.id):
            return True
        # Still waiting in the outbox (e.g. behind a flood wait): take it back there.
        if (
            post.publish == "queued"
            and post.outbox_id is not None
            and await self._outbox.cancel(post.outbox_id, "withdrawn")
        ):
            return await self.repo.plans.unqueue(post.id)
        return False

    async def publish_due(self, bot: Bot) -> int:
        """Approved posts whose time has come go to the outbox, addressed to the channel,
        after the bot's rights there are checked once more."""
        now = self._now()
        queued = 0
        for post in await self.repo.plans.with_publish("approved"):
            if local_moment(post.day, post.time, await self.zone(post.library_id)) > now:
                continue
            channel = await self.repo.plans.channel(post.library_id)
            problem = "no_channel" if channel is None else None
            if channel is not None:
                problem = await check_rights(bot, channel.chat_id, None)
            if problem is not None or channel is None:
                if await self.repo.plans.mark_publish_failed(
                    post.id, problem or "no_channel", from_state="approved"
                ):
                    await self._tell_failed(post, problem or "no_channel")
                continue
            text = publication_text(post)
            key = f"plan-publish:{post.id}"
            if post.photo:
                enqueued = await self._outbox.enqueue_photo(
                    channel.chat_id,
                    b"",
                    file_id=post.photo,
                    caption=text[:1024],
                    parse_mode="HTML",
                    dedupe_key=key,
                )
            else:
                enqueued = await self._outbox.enqueue_message(
                    channel.chat_id, text, parse_mode="HTML", dedupe_key=key
                )
            if await self.repo.plans.mark_queued(post.id, enqueued.id):
                queued += 1
        return queued

    async def settle_published(self) -> int:
        """Posts the outbox has sent (or given up on): record them and tell the staff."""
        settled = 0
        for post in await self.repo.plans.with_publish("queued"):
            row = await self._outbox.get(post.outbox_id or 0)
            if row is None or row.status in {"pending", "sending"}:
                continue
            if row.status == "sent":
                if await self.repo.plans.mark_published(post.id, row.message_id):
                    settled += 1
                    await self._tell_published(post, row.message_id or 0)
            elif await self.repo.plans.mark_publish_failed(
                post.id, "rejected", from_state="queued"
            ):
                settled += 1
                await self._tell_failed(post, "rejected")
        return settled

    async def _tell_published(self, post: PlanPost, message_id: int) -> None:
        channel = await self.repo.plans.channel(post.library_id)
        stored = await self.repo.plans.post(post.id)
        assert stored is not None
        link = channel_link(channel, message_id) if channel else ""
        for user_id in await self._notifier.library_staff(post.library_id):
            await self._notifier.tell(
                user_id,
                lambda t: t("plan.published", when=when_label(stored, t), link=link),
                dedupe_key=f"plan-published:{post.id}",
            )

    async def _tell_failed(self, post: PlanPost, reason: str) -> None:
        for user_id in await self._notifier.library_staff(post.library_id):
            await self._notifier.tell(
                user_id,
                lambda t: t(
                    "plan.publish_failed",
                    when=when_label(post, t),
                    reason=t(f"plan.publish_error.{reason}"),
                ),
                dedupe_key=f"plan-publish-failed:{post.id}:{reason}",
            )

    # --- progress against the goals -------------------------------------------------

    async def goals(self, library_id: int) -> Goals | None:
        plan = await self.repo.plans.get(library_id)
        if plan is None:
            return None
        advice, profile = await self._advice(plan.strategy_id)
        networks = advice.chosen_networks
        # The same baseline and target as the strategy's followers KPI (bot.advice.rules.goals).
        baseline = sum(profile.net_subs.get(n, 0) for n in networks) or profile.followers
        has_a = "a" in profile.goals
        return Goals(
            networks=networks,
            baseline=baseline,
            target=follower_target(profile, baseline) if has_a else None,
            reach_pct=REACH_TARGET_PCT if has_a else None,
            start=plan.started_on,
            end=plan.ends_on,
        )

    async def counted_by_telegram(self, bot: Bot, library_id: int) -> dict[str, int]:
        """Followers Telegram can tell us itself: the linked channel's member count."""
        channel = await self.repo.plans.channel(library_id)
        if channel is None:
            return {}
        try:
            return {"telegram": await bot.get_chat_member_count(channel.chat_id)}
        except TelegramAPIError:
            logger.info("member count unavailable", extra={"library_id": library_id})
            return {}

    async def save_checkin(
        self, library_id: int, month: str, followers: dict[str, int], reach: int | None
    ) -> None:
        for index, (network, count) in enumerate(followers.items()):
            # One reach figure for the month: kept on the first network's row.
            await self.repo.plans.record_metric(
                library_id, network, month, count, reach if index == 0 else None
            )

    async def progress(self, library_id: int, t: Translate) -> tuple[str, bytes] | None:
        """The progress sentences and the chart (drawn in a worker thread)."""
        goals = await self.goals(library_id)
        if goals is None:
            return None
        metrics = await self.repo.plans.metrics(library_id)
        posts = await self.repo.plans.between(library_id, goals.start, goals.end)
        weeks = adherence([(p.day, p.status) for p in posts], await self.today(library_id))
        text = progress_text(goals, metrics, weeks, t)
        plan = await self.repo.plans.get(library_id)
        assert plan is not None
        _, profile = await self._advice(plan.strategy_id)
        series: dict[str, list[tuple[date, int]]] = {
            n: [(goals.start, profile.net_subs.get(n, 0))] for n in goals.networks
        }
        for metric in metrics:
            series.setdefault(metric.network, []).append(
                (point_day(metric.month), metric.followers)
            )
        line = (
            TargetLine(goals.start, goals.baseline, goals.end, goals.target)
            if goals.target is not None
            else None
        )
        png = await asyncio.to_thread(build_progress_png, series, line, t)
        return text, png

    async def send_checkin_invites(self, library_id: int, key: str) -> int:
        if await self.repo.plans.get(library_id) is None:
            return 0
        stored = 0
        for user_id in await self.repo.plans.owners(library_id):
            t = await self._notifier.translator_for(user_id)
            enqueued = await self._outbox.enqueue_message(
                user_id,
                t("plan.checkin.invite"),
                parse_mode="HTML",
                reply_markup=checkin_markup(library_id, t),
                dedupe_key=f"{key}:{user_id}",
            )
            stored += enqueued.created
        return stored

    # --- the network, for admins ----------------------------------------------------

    async def library_week(self, library_id: int) -> LibraryWeek | None:
        """Last week's posts (Monday to Sunday, local), the followers KPI, and quietness."""
        plan = await self.repo.plans.get(library_id)
        library = await self.repo.libraries.get(library_id)
        if plan is None or library is None:
            return None
        today = await self.today(library_id)
        last_monday = monday_of(today) - timedelta(days=7)
        last_week = await self.repo.plans.between(
            library_id, last_monday, last_monday + timedelta(days=6)
        )
        recent = await self.repo.plans.between(
            library_id, today - timedelta(days=QUIET_DAYS), today - timedelta(days=1)
        )
        quiet = (
            plan.started_on <= today - timedelta(days=QUIET_DAYS)
            and bool(recent)
            and all(post.status == "planned" for post in recent)
        )
        verdict: Verdict | None = None
        goals = await self.goals(library_id)
        if goals is not None and goals.target is not None:
            totals: dict[str, int] = {}
            for metric in await self.repo.plans.metrics(library_id):
                totals[metric.month] = totals.get(metric.month, 0) + metric.followers
            history = [(point_day(month), value) for month, value in totals.items()]
            result = follower_progress(
                goals.baseline, goals.target, goals.start, goals.end, history
            )
            verdict = result.verdict if result else None
        return LibraryWeek(
            library_id,
            library.name,
            planned=len(last_week),
            posted=sum(post.status == "posted" for post in last_week),
            followers=verdict,
            quiet=quiet,
        )

    async def network(self) -> NetworkSummary:
        rows = []
        for plan in await self.repo.plans.all():
            row = await self.library_week(plan.library_id)
            if row is not None:
                rows.append(row)
        return NetworkSummary(tuple(rows))

    # --- the end of the period ------------------------------------------------------

    async def send_due_reviews(self) -> int:
        """Owners of plans whose horizon has ended are invited to review, once a period,
        from 10:00 local on the day after the end."""
        sent = 0
        for plan in await self.repo.plans.all():
            if plan.reviewed_on == plan.ends_on:
                continue
            local = self._now().astimezone(await self.zone(plan.library_id))
            if local.date() <= plan.ends_on or local.hour < REVIEW_HOUR:
                continue
            for user_id in await self.repo.plans.owners(plan.library_id):
                t = await self._notifier.translator_for(user_id)
                result = await self.progress(plan.library_id, t)
                text = t("plan.review.intro", end=render(on_date(plan.ends_on), t))
                if result is not None:
                    text += "\n\n" + result[0]
                markup = InlineKeyboardMarkup(
                    inline_keyboard=[
                        [plan_button(t, "plan.btn.new_period", "np", 0, str(plan.library_id))]
                    ]
                )
                key = f"plan-review:{plan.library_id}:{plan.ends_on.isoformat()}:{user_id}"
                enqueued = await self._outbox.enqueue_message(
                    user_id, text, parse_mode="HTML", reply_markup=markup, dedupe_key=key
                )
                if result is not None and enqueued.created:
                    await self._outbox.enqueue_photo(
                        user_id, result[1], filename="progress.png", dedupe_key=key + ":chart"
                    )
                sent += enqueued.created
            # After the messages: a crash in between repeats them, and the keys dedupe.
            await self.repo.plans.mark_reviewed(plan.library_id, plan.ends_on)
        return sent
