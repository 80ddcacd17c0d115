"""The plan that runs itself: posts from a finished strategy, reminders, channel publishing.

Orchestration between the database, the advice engine and the outbox; handlers only talk to
Telegram and jobs only decide when. Every message leaves through the outbox with a dedupe key
naming its event, so a repeated job run (crash, restart) sends nothing twice. Buttons are
described as data (``bot.plan.buttons``) and drawn by the ``markup`` the wiring passes in;
what Telegram says about a channel comes through a ``ChannelAccess``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.advice import AudienceData, StrategyAdvice, build_advice, render
from bot.advice.profile import LibraryProfile, read_profile
from bot.advice.rules.goals import (
    ER_GROWTH_PCT,
    ER_TARGETS,
    REACH_TARGET_PCT,
    SOCIAL_SHARE_TARGET,
    clicks_target,
    follower_target,
)
from bot.clock import Now, from_db, to_db, utc_now
from bot.db.plan_repository import MonthNumbers, NewPost, Plan, PlanPost
from bot.db.repositories import Repositories, Strategy
from bot.documents.progress_png import TargetLine, build_progress_png
from bot.domain.translate import Translate
from bot.domain.zones import library_zone
from bot.outbox.repository import Outbox, ReplyMarkup
from bot.plan.buttons import (
    Keyboard,
    checkin_keyboard,
    reminder_keyboard,
    review_keyboard,
    week_keyboard,
)
from bot.plan.checkin import CheckinNumbers
from bot.plan.drafts import DraftSource, draft_for, dump_draft, on_date
from bot.plan.progress import (
    Goals,
    KpiReading,
    LibraryWeek,
    NetworkSummary,
    adherence,
    point_day,
)
from bot.plan.reminders import SNOOZE, reminder_due
from bot.plan.rights import ChannelAccess, check_rights
from bot.plan.slots import horizon_end, local_moment, monday_of, planned_slots, window_end
from bot.services.notifier import Notifier
from bot.services.plan_texts import (
    channel_link,
    kpi_readings,
    post_card,
    progress_text,
    publication_text,
    week_text,
    when_label,
)

logger = logging.getLogger(__name__)

AudienceSource = Callable[[int], Awaitable[AudienceData | None]]
Markup = Callable[[Keyboard, Translate], ReplyMarkup]
"""Draws a keyboard of the plan's buttons (``handlers.plan.callbacks.inline_markup``)."""
REVIEW_HOUR = 10
QUIET_DAYS = 21
"""A plan whose posts nobody has marked (posted or skipped) for three weeks has gone quiet."""


async def no_audience(strategy_id: int) -> AudienceData | None:
    return None


class PlanService:
    def __init__(
        self,
        repo: Repositories,
        notifier: Notifier,
        outbox: Outbox,
        *,
        markup: Markup,
        audience_source: AudienceSource = no_audience,
        draft_source: DraftSource = draft_for,
        now: Now = utc_now,
    ) -> None:
        self.repo = repo
        self._notifier = notifier
        self._outbox = outbox
        self._markup = markup
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

    async def posted(self, post: PlanPost) -> bool:
        return await self.repo.plans.finish(post.id, "posted")

    async def skip(self, post: PlanPost) -> bool:
        return await self.repo.plans.finish(post.id, "skipped")

    # --- the week's posts and the reminders -----------------------------------------

    async def send_week(self, library_id: int, key: str) -> int:
        """The week's posts to everyone who opted in; returns how many were stored."""
        monday, posts, _ = await self.weeks(library_id)
        if not posts:
            return 0
        stored = 0
        for user_id in await self.repo.plans.subscribers(library_id):
            t = await self._notifier.translator_for(user_id)
            enqueued = await self._outbox.enqueue_message(
                user_id,
                t("plan.week.intro") + "\n\n" + week_text(posts, monday, t),
                parse_mode="HTML",
                reply_markup=self._markup(week_keyboard(), t),
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
                    reply_markup=self._markup(reminder_keyboard(post.id), t),
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

    async def publish_due(self, channels: ChannelAccess) -> int:
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
                problem = await check_rights(channels, channel.chat_id, None)
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
        months = profile.horizon_months
        # Goal a's engagement KPI is set for the plan's main network (its first).
        main = networks[0] if has_a and networks else None
        er = ER_TARGETS.get(main or "")
        return Goals(
            networks=networks,
            baseline=baseline,
            target=follower_target(profile, baseline) if has_a else None,
            reach_pct=REACH_TARGET_PCT if has_a else None,
            start=plan.started_on,
            end=plan.ends_on,
            er_network=main,
            er_target=float(er[0]) if er else None,
            er_growth_pct=ER_GROWTH_PCT,
            clicks_target=clicks_target(profile.followers, months)
            if "c" in profile.goals
            else None,
            attendance_pct=SOCIAL_SHARE_TARGET[months] if "d" in profile.goals else None,
        )

    async def counted_by_telegram(
        self, channels: ChannelAccess, library_id: int
    ) -> dict[str, int]:
        """Followers Telegram can tell us itself: the linked channel's member count."""
        channel = await self.repo.plans.channel(library_id)
        if channel is None:
            return {}
        count = await channels.member_count(channel.chat_id)
        if count is None:
            logger.info("member count unavailable", extra={"library_id": library_id})
            return {}
        return {"telegram": count}

    async def save_checkin(self, library_id: int, month: str, numbers: CheckinNumbers) -> None:
        for network, count in numbers.followers.items():
            await self.repo.plans.record_metric(
                library_id,
                network,
                month,
                count,
                reach=numbers.reach.get(network),
                interactions=numbers.interactions.get(network),
            )
        own = MonthNumbers(month, numbers.clicks, numbers.attendees, numbers.attendees_social)
        if (own.clicks, own.attendees) != (None, None):
            await self.repo.plans.record_month(library_id, own, to_db(self._now()))

    async def progress(self, library_id: int, t: Translate) -> tuple[str, bytes] | None:
        """The progress sentences and the chart (drawn in a worker thread)."""
        goals = await self.goals(library_id)
        if goals is None:
            return None
        metrics = await self.repo.plans.metrics(library_id)
        posts = await self.repo.plans.between(library_id, goals.start, goals.end)
        weeks = adherence([(p.day, p.status) for p in posts], await self.today(library_id))
        months = await self.repo.plans.month_numbers(library_id)
        text = progress_text(goals, metrics, months, weeks, t)
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
        reach: dict[str, list[tuple[date, int]]] = {}
        for metric in metrics:
            if metric.reach is not None:
                reach.setdefault(metric.network, []).append(
                    (point_day(metric.month), metric.reach)
                )
        png = await asyncio.to_thread(build_progress_png, series, line, t, reach)
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
                reply_markup=self._markup(checkin_keyboard(library_id), t),
                dedupe_key=f"{key}:{user_id}",
            )
            stored += enqueued.created
        return stored

    # --- the network, for admins ----------------------------------------------------

    async def library_week(self, library_id: int) -> LibraryWeek | None:
        """Last week's posts (Monday to Sunday, local), every KPI, and quietness."""
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
        goals = await self.goals(library_id)
        kpis: tuple[KpiReading, ...] = ()
        if goals is not None:
            metrics = await self.repo.plans.metrics(library_id)
            months = await self.repo.plans.month_numbers(library_id)
            kpis = kpi_readings(goals, metrics, months)
        return LibraryWeek(
            library_id,
            library.name,
            planned=len(last_week),
            posted=sum(post.status == "posted" for post in last_week),
            kpis=kpis,
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
                key = f"plan-review:{plan.library_id}:{plan.ends_on.isoformat()}:{user_id}"
                enqueued = await self._outbox.enqueue_message(
                    user_id,
                    text,
                    parse_mode="HTML",
                    reply_markup=self._markup(review_keyboard(plan.library_id), t),
                    dedupe_key=key,
                )
                if result is not None and enqueued.created:
                    await self._outbox.enqueue_photo(
                        user_id, result[1], filename="progress.png", dedupe_key=key + ":chart"
                    )
                sent += enqueued.created
            # After the messages: a crash in between repeats them, and the keys dedupe.
            await self.repo.plans.mark_reviewed(plan.library_id, plan.ends_on)
        return sent
