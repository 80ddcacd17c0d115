"""What the plan's messages say: a post's card and line, a week, progress, the network.

Pure renderers over the plan's stored rows; the service and the handlers both use them.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

from bot.advice import Msg, render
from bot.advice.models import Param, UserText, rubric_label
from bot.db.plan_repository import Channel, Metric, MonthNumbers, PlanPost
from bot.domain.translate import Translate, decimal_text
from bot.plan.drafts import load_draft, on_date
from bot.plan.progress import (
    Goals,
    Kpi,
    KpiReading,
    KpiState,
    LibraryWeek,
    NetworkSummary,
    RateProgress,
    Verdict,
    WeekAdherence,
    er_progress,
    follower_progress,
    line_progress,
    point_day,
    reach_progress,
    social_share,
)

HEADLINE_LIMIT = 120
CARD_TEXT_LIMIT = 3000
"""Characters of a post's own text shown in a card (Telegram allows 4,096 in a message)."""


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


def channel_link(channel: Channel, message_id: int) -> str:
    if channel.username:
        return f"https://t.me/{channel.username}/{message_id}"
    # Private channels and supergroups: -100xxxxxxxxxx -> t.me/c/xxxxxxxxxx/<id>.
    internal = str(abs(channel.chat_id)).removeprefix("100")
    return f"https://t.me/c/{internal}/{message_id}"


def _by_month(metrics: list[Metric]) -> dict[str, dict[str, Metric]]:
    by_month: dict[str, dict[str, Metric]] = {}
    for metric in metrics:
        by_month.setdefault(metric.month, {})[metric.network] = metric
    return by_month


def kpi_readings(
    goals: Goals, metrics: list[Metric], months: list[MonthNumbers]
) -> tuple[KpiReading, ...]:
    """Every KPI the strategy set, judged on the stored check-ins: the owner's progress
    message and the admins' lines say the same."""
    by_month = _by_month(metrics)
    readings: list[KpiReading] = []
    if goals.target is not None:
        history = [
            (point_day(month), sum(m.followers for m in values.values()))
            for month, values in sorted(by_month.items())
        ]
        result = follower_progress(goals.baseline, goals.target, goals.start, goals.end, history)
        readings.append(KpiReading(Kpi.FOLLOWERS, goals.target, result, baseline=goals.baseline))
    if goals.reach_pct is not None:
        latest = by_month[max(by_month)] if by_month else {}
        reach = [
            KpiReading(
                Kpi.REACH,
                goals.reach_pct,
                reach_progress(metric.followers, metric.reach, goals.reach_pct),
                network,
                (metric.reach, metric.followers),
            )
            for network, metric in sorted(latest.items())
            if metric.reach is not None and metric.followers
        ]
        readings += reach or [KpiReading(Kpi.REACH, goals.reach_pct)]
    if goals.er_network is not None:
        readings.append(_er_reading(goals, goals.er_network, by_month))
    readings += _own_readings(goals, months)
    return tuple(readings)


def _er_reading(goals: Goals, network: str, by_month: dict[str, dict[str, Metric]]) -> KpiReading:
    history = [
        (point_day(month), metric.interactions, metric.followers)
        for month, values in sorted(by_month.items())
        if (metric := values.get(network)) is not None
        and metric.interactions is not None
        and metric.followers
    ]
    growth = None if goals.er_target is not None else goals.er_growth_pct
    result = er_progress(history, goals.er_target, goals.er_growth_pct)
    if result is None:
        return KpiReading(Kpi.ER, goals.er_target, network=network, growth_pct=growth)
    _, interactions, followers = max(history)
    return KpiReading(
        Kpi.ER, result.target, result, network, (interactions, followers), growth_pct=growth
    )


def _own_readings(goals: Goals, months: list[MonthNumbers]) -> list[KpiReading]:
    """Clicks from the tagged links (goal c) and visitors from social networks (goal d)."""
    readings = []
    if goals.clicks_target is not None:
        clicks = [(point_day(m.month), m.clicks) for m in months if m.clicks is not None]
        result = line_progress(goals.clicks_target, goals.end, clicks)
        readings.append(KpiReading(Kpi.CLICKS, goals.clicks_target, result))
    if goals.attendance_pct is not None:
        visits = [
            (point_day(m.month), m.attendees, m.attendees_social)
            for m in months
            if m.attendees and m.attendees_social is not None
        ]
        shares = [(day, social_share(total, social)) for day, total, social in visits]
        result = line_progress(goals.attendance_pct, goals.end, shares)
        numbers = None
        if visits:
            _, attendees, social = max(visits)
            numbers = (social, attendees)
        readings.append(KpiReading(Kpi.ATTENDANCE, goals.attendance_pct, result, None, numbers))
    return readings


def progress_text(
    goals: Goals,
    metrics: list[Metric],
    months: list[MonthNumbers],
    weeks: list[WeekAdherence],
    t: Translate,
) -> str:
    lines = [t("plan.progress.heading")]
    by_month = _by_month(metrics)
    if by_month:
        _, latest = max(by_month.items())
        parts = [
            t("plan.progress.network", network=t(f"opt.net.{n}"), followers=m.followers)
            for n, m in latest.items()
        ]
        lines.append(t("plan.progress.latest", networks=t("advice.list_sep").join(parts)))
    for reading in kpi_readings(goals, metrics, months):
        line = _progress_line(reading, t)
        if line is not None:
            lines.append(line)
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


def _net(network: str | None, t: Translate) -> str:
    return t(f"opt.net.{network}")


def _progress_line(reading: KpiReading, t: Translate) -> str | None:
    """The owner's sentence for one KPI; only the followers KPI speaks without numbers."""
    result = reading.progress
    if result is None:
        return t("plan.progress.no_numbers") if reading.kpi is Kpi.FOLLOWERS else None
    first, second = reading.numbers or (0, 0)
    if isinstance(result, RateProgress):
        return t(
            f"plan.progress.er.{result.verdict or 'baseline'}",
            network=_net(reading.network, t),
            interactions=first,
            followers=second,
            actual=decimal_text(result.actual, t),
            target=decimal_text(result.target, t),
            gap=decimal_text(max(result.target - result.actual, 0.0), t),
        )
    numbers: dict[str, object] = {}
    if reading.kpi is Kpi.REACH:
        numbers = {"network": _net(reading.network, t), "reach": first, "followers": second}
    elif reading.kpi is Kpi.ATTENDANCE:
        numbers = {"social": first, "attendees": second}
    gap = result.target - result.actual if reading.kpi is Kpi.REACH else result.gap
    return t(
        f"plan.progress.{reading.kpi}.{result.verdict}",
        actual=result.actual,
        expected=result.expected,
        target=result.target,
        gap=gap,
        **numbers,
    )


def kpi_line(reading: KpiReading, t: Translate) -> str:
    """An admin's line for one KPI: its figure, what it is computed from, the target, and
    on track / behind / no numbers yet."""
    key = f"plan.network.kpi.{reading.kpi}"
    network = _net(reading.network, t) if reading.network else ""
    result = reading.progress
    if result is None:
        if reading.target is None:
            return t.plural(f"{key}.growth", reading.growth_pct or 0, network=network)
        target = decimal_text(reading.target, t)
        return t.plural(f"{key}.none", round(reading.target), network=network, target=target)
    first, second = reading.numbers or (0, 0)
    if isinstance(result, RateProgress):
        return t.plural(
            f"{key}.{result.verdict or 'baseline'}",
            second,
            network=network,
            interactions=first,
            actual=decimal_text(result.actual, t),
            target=decimal_text(result.target, t),
            gap=decimal_text(max(result.target - result.actual, 0.0), t),
        )
    behind = result.verdict is Verdict.BEHIND
    gap = result.target - result.actual if reading.kpi is Kpi.REACH else result.gap
    # The plural follows the number the noun stands with: the gap when behind, else the
    # base of the share (followers, visitors) or the count itself.
    if behind:
        n = gap
    elif reading.numbers is not None:
        n = second
    else:
        n = result.actual
    return t.plural(
        f"{key}.{result.verdict}",
        n,
        network=network,
        actual=result.actual,
        expected=result.expected,
        target=result.target,
        baseline=reading.baseline or 0,
        first=first,
        second=second,
    )


def library_week_line(row: LibraryWeek, t: Translate) -> str:
    heading = t.plural(
        "plan.network.library",
        row.planned,
        library=html.escape(row.name) if row.name else t("digest.unnamed_library"),
        posted=row.posted,
    )
    if not row.kpis:
        return heading + "\n" + t("plan.network.no_kpis")
    return "\n".join(
        [heading, *(t("plan.network.kpi_item", kpi=kpi_line(k, t)) for k in row.kpis)]
    )


def network_text(summary: NetworkSummary, t: Translate) -> str:
    """The totals, each library's posts and KPIs, and the plans gone quiet."""
    lines = [
        t.plural(
            "plan.network.summary",
            len(summary.libraries),
            posted=summary.posted,
            planned=summary.planned,
            on_track=summary.count(KpiState.ON_TRACK),
            behind=summary.count(KpiState.BEHIND),
            no_data=summary.count(KpiState.NO_DATA),
            quiet=len(summary.quiet),
        )
    ]
    lines.extend(library_week_line(row, t) for row in summary.libraries)
    if summary.quiet:
        names = t("advice.list_sep").join(
            html.escape(row.name) if row.name else t("digest.unnamed_library")
            for row in summary.quiet
        )
        lines.append(t("plan.network.quiet", libraries=names))
    return "\n".join(lines)
