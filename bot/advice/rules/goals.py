"""Step 1: SMART goals with KPIs and targets scaled to the horizon and current followers.

No source benchmarks library growth, clicks or event attendance (domain-facts §6), so the
targets are our estimates and are cited as such; rates come from engagement norms where
one exists (Telegram) and from the platforms' medians otherwise.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from bot.advice.knowledge import sources as src
from bot.advice.models import AdviceItem, Kpi, MsgList, Param, Source, UserText
from bot.advice.planning import Plan
from bot.advice.profile import LibraryProfile
from bot.advice.rules.common import item, msg, option, options, plural, warning
from bot.domain.validation import normalize_url

NEW_PAGE_TARGETS = {3: 100, 6: 250, 12: 500}
RURAL_FACTOR = 0.6
REACHABLE_PCT = 30
"""A local page rarely gathers more than about a third of its settlement (our estimate)."""
CLICK_RATE_PCT = {3: 2, 6: 3, 12: 4}
"""Monthly clicks to the library's resources, percent of subscribers, by the end of the
horizon (our estimate: the share grows as readers learn the links are there)."""
CLICKS_FLOOR = 20
REACH_TARGET_PCT = 20
"""Average post reach below a fifth of subscribers is a warning sign (VK_REACH_SIGN)."""
SOCIAL_SHARE_TARGET = {3: 15, 6: 25, 12: 35}
"""Share of event registrations coming through social links (our estimate; one library
reports up to 47% of visitors arriving via social networks)."""
ANSWERED_TARGET = 100

ER_GROWTH_PCT = 20
"""Where no norm is known for the main network, ER should grow this much over the first
month's (our estimate)."""
ER_TARGETS: dict[str, tuple[str, tuple[Source, ...]]] = {
    "telegram": ("2", (src.TG_ER_NORM,)),
    "facebook": ("0.1", (src.RIVAL_IQ_2024,)),
    "instagram": ("0.5", (src.RIVAL_IQ_2024,)),
    "tiktok": ("3", (src.RIVAL_IQ_2024,)),
}


def monthly_growth_pct(followers: int) -> int:
    """Monthly growth a small community can sustain, percent (our estimate)."""
    if followers < 500:
        return 8
    if followers < 2000:
        return 5
    return 3


def grown(followers: int, rate_pct: int, months: int) -> int:
    """Followers after ``months`` of growth at ``rate_pct`` a month (at least +30)."""
    return max(followers + 30, round(followers * (1 + rate_pct / 100) ** months))


def new_page_target(months: int, *, rural: bool) -> int:
    target = NEW_PAGE_TARGETS[months]
    return round(target * RURAL_FACTOR) if rural else target


def settlement_cap(profile: LibraryProfile) -> int:
    """Most followers a page of readers from one settlement can have; 0 = no cap known."""
    if profile.aud_geo != "settlement" or not profile.population_cap:
        return 0
    return round(profile.population_cap * REACHABLE_PCT / 100)


def capped(target: int, followers: int, cap: int) -> int:
    """The target, never above the cap, never below what the page already has."""
    return max(followers, min(target, cap)) if cap else target


def follower_target(profile: LibraryProfile, followers: int) -> int:
    months = profile.horizon_months
    if followers == 0:
        target = new_page_target(months, rural=profile.aud_area == "rural")
    else:
        target = grown(followers, monthly_growth_pct(followers), months)
    return capped(target, followers, settlement_cap(profile))


def clicks_target(followers: int, months: int) -> int:
    """Monthly clicks from social networks to the library's resources."""
    return max(CLICKS_FLOOR, round(followers * CLICK_RATE_PCT[months] / 100))


def utm_link(url: str, network: str, campaign: str = "library_smm") -> str | None:
    """The site address tagged for one network, or None when it is not a web address."""
    if not url or url.startswith("@"):
        return None
    parts = urlsplit(normalize_url(url))
    if not parts.netloc:
        return None
    tags = urlencode({"utm_source": network, "utm_medium": "social", "utm_campaign": campaign})
    query = f"{parts.query}&{tags}" if parts.query else tags
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, parts.fragment))


def response_unrealistic(profile: LibraryProfile) -> bool:
    """An answer within the hour needs someone on duty; one person with few hours is not."""
    return profile.response == "1h" and (
        profile.hours < 10 or (profile.people == 1 and profile.hours < 20)
    )


def response_target(profile: LibraryProfile) -> str:
    """The promised response time, relaxed when the team cannot keep it."""
    if response_unrealistic(profile):
        return "same_day"
    if profile.response == "when_possible":
        return "24h"
    return profile.response


def _goal_a(profile: LibraryProfile, plan: Plan) -> tuple[AdviceItem, list[Kpi]]:
    followers = sum(profile.net_subs.get(n, 0) for n in plan.chosen) or profile.followers
    target = follower_target(profile, followers)
    main = plan.chosen[0]
    er, er_sources = ER_TARGETS.get(main, ("", (src.ER_FORMULA,)))
    months = profile.horizon_months
    reasons = [
        plural(
            "advice.goals.reason.growth",
            "followers",
            followers=followers,
            rate=monthly_growth_pct(followers),
            months=months,
            grown=grown(followers, monthly_growth_pct(followers), months),
        )
        if followers
        else msg(
            "advice.goals.reason.new_page",
            months=months,
            target=NEW_PAGE_TARGETS[months],
        ),
    ]
    if profile.aud_area == "rural" and not followers:
        reasons.append(
            msg(
                "advice.goals.reason.rural",
                pct=round(RURAL_FACTOR * 100),
                target=new_page_target(months, rural=True),
            )
        )
    cap = settlement_cap(profile)
    if cap:
        reasons.append(
            msg(
                "advice.goals.reason.cap",
                population=option("population", profile.population),
                pct=REACHABLE_PCT,
                cap=cap,
            )
        )
    elif profile.aud_geo == "settlement" and not profile.population:
        reasons.append(msg("advice.goals.reason.no_population"))
    text = msg("advice.goals.smart_a", months=months, followers=followers, target=target)
    kpis = [
        Kpi(
            "a",
            msg("advice.kpi.followers"),
            msg("advice.kpi.value", value=followers),
            msg("advice.kpi.value", value=target),
            msg("advice.kpi.how.followers"),
        ),
        Kpi(
            "a",
            msg("advice.kpi.er", network=option("net", main)),
            msg("advice.kpi.baseline_month"),
            msg("advice.kpi.pct", value=er)
            if er
            else msg("advice.kpi.er_growth", value=ER_GROWTH_PCT),
            msg("advice.kpi.how.er"),
        ),
        Kpi(
            "a",
            msg("advice.kpi.reach"),
            msg("advice.kpi.baseline_month"),
            msg("advice.kpi.reach_target", value=REACH_TARGET_PCT),
            msg("advice.kpi.how.reach"),
        ),
    ]
    sources = (
        src.GROWTH_ESTIMATE,
        src.ER_FORMULA,
        *er_sources,
        src.VK_REACH_SIGN,
        src.LIBRARY_KPIS,
    )
    return item(text, *reasons, sources=sources), kpis


def _goal_b(profile: LibraryProfile) -> tuple[AdviceItem, list[Kpi]]:
    target = response_target(profile)
    reasons = [msg("advice.goals.reason.response", response=option("response", profile.response))]
    if target != profile.response and profile.response == "1h":
        reasons.append(
            msg("advice.goals.reason.response_relaxed", people=profile.people, hours=profile.hours)
        )
    text = msg(
        "advice.goals.smart_b",
        months=profile.horizon_months,
        response=option("response", target),
        answered=ANSWERED_TARGET,
    )
    kpis = [
        Kpi(
            "b",
            msg("advice.kpi.response_time"),
            msg("advice.kpi.baseline_weeks"),
            option("response", target),
            msg("advice.kpi.how.response"),
        ),
        Kpi(
            "b",
            msg("advice.kpi.answered"),
            msg("advice.kpi.baseline_weeks"),
            msg("advice.kpi.pct", value=ANSWERED_TARGET),
            msg("advice.kpi.how.answered"),
        ),
    ]
    return item(text, *reasons, sources=(src.COMMUNITY_MANAGER, src.NJ_KPIS)), kpis


def _goal_c(profile: LibraryProfile, plan: Plan) -> tuple[list[AdviceItem], list[Kpi]]:
    followers = profile.followers
    months = profile.horizon_months
    clicks = clicks_target(followers, months)
    resources = profile.goal_c_resources or ("website",)
    items = [
        item(
            plural(
                "advice.goals.smart_c",
                "clicks",
                months=months,
                clicks=clicks,
                resources=options("resource", resources),
            ),
            plural(
                "advice.goals.reason.clicks",
                "followers",
                followers=followers,
                rate=CLICK_RATE_PCT[months],
                months=months,
                floor=CLICKS_FLOOR,
            ),
            sources=(src.LIBRARY_KPIS, src.GROWTH_ESTIMATE),
        )
    ]
    links = [(n, utm_link(profile.goal_c_url, n)) for n in plan.chosen]
    tagged = [(n, link) for n, link in links if link]
    if tagged:
        for network, link in tagged:
            items.append(
                item(
                    msg("advice.goals.utm", network=option("net", network), url=UserText(link)),
                    msg("advice.goals.reason.utm"),
                    sources=(src.LIBRARY_KPIS,),
                )
            )
    else:
        items.append(warning(msg("advice.warnings.goal_c_no_url"), msg("advice.goals.reason.utm")))
    kpis = [
        Kpi(
            "c",
            msg("advice.kpi.clicks"),
            msg("advice.kpi.baseline_month"),
            msg("advice.kpi.per_month", value=clicks),
            msg("advice.kpi.how.clicks"),
        ),
    ]
    return items, kpis


def _goal_d(profile: LibraryProfile) -> tuple[AdviceItem, list[Kpi]]:
    share = SOCIAL_SHARE_TARGET[profile.horizon_months]
    named = [option("event", e) for e in profile.goal_d_events if e != "other"]
    typed = [UserText(e) for e in profile.events_other]
    events: Param = (
        MsgList((*named, *typed)) if named or typed else msg("advice.goals.events_generic")
    )
    text = msg("advice.goals.smart_d", months=profile.horizon_months, share=share, events=events)
    kpis = [
        Kpi(
            "d",
            msg("advice.kpi.registrations"),
            msg("advice.kpi.baseline_month"),
            msg("advice.kpi.pct", value=share),
            msg("advice.kpi.how.registrations"),
        ),
        Kpi(
            "d",
            msg("advice.kpi.attendance"),
            msg("advice.kpi.baseline_month"),
            msg("advice.kpi.pct", value=share),
            msg("advice.kpi.how.attendance"),
        ),
    ]
    return item(
        text, msg("advice.goals.reason.events"), sources=(src.SHISHKOVKA, src.BOOK_SECTOR_SURVEY)
    ), kpis


def goal_items(profile: LibraryProfile, plan: Plan) -> tuple[list[AdviceItem], list[Kpi]]:
    items: list[AdviceItem] = []
    kpis: list[Kpi] = []
    if "a" in profile.goals:
        a_item, a_kpis = _goal_a(profile, plan)
        items.append(a_item)
        kpis += a_kpis
        if profile.goal_a_message:
            items.append(
                item(
                    msg("advice.goals.message", message=UserText(profile.goal_a_message)),
                    msg("advice.goals.reason.message"),
                )
            )
    if "b" in profile.goals:
        b_item, b_kpis = _goal_b(profile)
        items.append(b_item)
        kpis += b_kpis
        named = [option("support", v) for v in profile.goal_b_topics if v != "other"]
        typed = [UserText(v) for v in profile.support_other]
        if named or typed:
            items.append(
                item(
                    msg("advice.goals.faq", topics=MsgList((*named, *typed))),
                    msg("advice.goals.reason.faq"),
                )
            )
    if "c" in profile.goals:
        c_items, c_kpis = _goal_c(profile, plan)
        items += c_items
        kpis += c_kpis
    if "d" in profile.goals:
        d_item, d_kpis = _goal_d(profile)
        items.append(d_item)
        kpis += d_kpis
    items.append(
        item(
            msg("advice.goals.review", months=profile.horizon_months),
            msg("advice.goals.reason.review"),
            sources=(src.NJ_KPIS,),
        )
    )
    return items, kpis
