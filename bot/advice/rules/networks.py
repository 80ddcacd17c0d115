"""Step 3: which networks, ranked, with the Russian legal rules applied."""

from __future__ import annotations

from bot.advice.knowledge import sources as src
from bot.advice.knowledge.networks import PRACTICE
from bot.advice.knowledge.reach import reach_rows
from bot.advice.knowledge.regions import RegionalRule
from bot.advice.models import AdviceItem, Msg, Param, Severity, Source, UserText
from bot.advice.planning import (
    MANDATORY_RU_PUBLIC,
    Plan,
    banned,
    hours_with,
    mandatory,
    network_cap,
    official_min_posts,
    regional_rule,
    top_channel,
)
from bot.advice.profile import LibraryProfile
from bot.advice.rules.common import conflict, item, msg, option, options, pct, plural, warning
from bot.advice.rules.regional import region_of, regional_networks_item
from bot.advice.scoring import ScoreParts
from bot.advice.segments import online_age_weights

RKN_THRESHOLD = 10_000
GOALS_FIT = 0.8


def _reach_sources(profile: LibraryProfile, network: str) -> tuple[Source, ...]:
    row = reach_rows(profile.profile, profile.country).get(network)
    return row.sources if row else ()


def _audience_reason(profile: LibraryProfile, part: ScoreParts) -> Msg:
    if profile.survey is not None and profile.survey.networks:
        return plural(
            "advice.networks.reason.survey",
            "n",
            network=option("net", part.network),
            share=pct(profile.survey.networks.get(part.network, 0.0)),
            n=profile.survey.sample_size,
        )
    # Children are reached through their parents, so the parents' ages are named.
    ages = options("age", online_age_weights(profile))
    key = f"advice.networks.reason.audience_{profile.profile}"
    return msg(key, network=option("net", part.network), share=pct(part.reach), ages=ages)


def _pick(profile: LibraryProfile, plan: Plan, part: ScoreParts, rank: int) -> AdviceItem:
    network = part.network
    reasons: list[Msg] = []
    sources: list[Source] = []
    severity = Severity.INFO
    rule = regional_rule(profile)
    if profile.russian_public and network in MANDATORY_RU_PUBLIC:
        reasons.append(msg("advice.networks.reason.mandatory", network=option("net", network)))
        sources += [src.LAW_270FZ, src.ORDER_2523R]
        severity = Severity.MUST
    if rule is not None and network in rule.networks:
        reasons.append(
            msg(
                "advice.regional.reason.required",
                network=option("net", network),
                region=region_of(rule),
            )
        )
        sources += rule.sources
        severity = Severity.MUST
    reasons.append(_audience_reason(profile, part))
    sources += _reach_sources(profile, network)
    fitting = [g for g in profile.goals if PRACTICE[network].goal_fit[g] >= GOALS_FIT]
    if fitting:
        reasons.append(
            msg(
                "advice.networks.reason.goal",
                network=option("net", network),
                goals=options("goal", fitting),
            )
        )
    if network in profile.net_current:
        subs = profile.net_subs.get(network, 0)
        reasons.append(
            plural("advice.networks.reason.present_subs", "subs", subs=subs)
            if subs
            else msg("advice.networks.reason.present")
        )
    regional = rule is not None and network in rule.networks
    if network == "telegram" and profile.russian_public and not regional:
        # Where the region requires Telegram, "the law does not require it" would mislead.
        reasons.append(msg("advice.networks.reason.telegram_official"))
        sources.append(src.DIALOG_TG_2024)
    if part.video_penalty:
        reasons.append(msg("advice.networks.reason.video_needed", network=option("net", network)))
    key = "advice.networks.pick_main" if rank == 0 else "advice.networks.pick"
    text = msg(
        key, network=option("net", network), score=part.score, posts=plan.posts.get(network, 0)
    )
    return item(text, *reasons, sources=sources, severity=severity)


def _regional_over_hours(
    profile: LibraryProfile, plan: Plan, rule: RegionalRule
) -> list[AdviceItem]:
    """A conflict when the hours cut a required page below the region's weekly minimum."""
    minimum = official_min_posts(profile)
    must = mandatory(profile)
    if all(plan.posts.get(n, 0) >= minimum for n in must):
        return []
    return [
        conflict(
            msg(
                "advice.conflicts.regional_over_hours",
                hours=profile.hours,
                min=minimum,
                networks=options("net", must),
                region=region_of(rule),
            ),
            msg("advice.networks.reason.mandatory_crosspost"),
            sources=(*rule.sources, src.HOURS_FORMULA),
        )
    ]


def parent_label(profile: LibraryProfile) -> Param:
    """The institution the library is part of, as the librarian named it."""
    if profile.parent_other:
        return UserText(profile.parent_other)
    if profile.parent_kind and profile.parent_kind != "other":
        return option("parent_kind", profile.parent_kind)
    return msg("advice.networks.parent_generic")


def _institution_items(profile: LibraryProfile) -> list[AdviceItem]:
    """Official pages when the library is part of an institution or its founder is unknown."""
    if profile.russian_department:
        return [
            item(
                msg("advice.networks.department", parent=parent_label(profile)),
                msg(
                    "advice.networks.reason.department",
                    parent=parent_label(profile),
                    ownership=option("ownership", profile.ownership),
                ),
                sources=(src.LAW_270FZ, src.ORDER_2523R),
                severity=Severity.MUST,
            )
        ]
    if profile.founder_unknown:
        return [
            item(
                msg("advice.networks.founder_unknown", parent=parent_label(profile)),
                msg("advice.networks.reason.founder_unknown"),
                sources=(src.LAW_270FZ, src.ORDER_2523R),
            )
        ]
    return []


def _top_channel(profile: LibraryProfile, plan: Plan) -> list[AdviceItem]:
    """The country's most used channel, offered when a third of the hours stay unused."""
    network = top_channel(profile, plan)
    spare = profile.hours - plan.hours.total
    if network is None or spare < profile.hours / 3:
        return []
    extra = hours_with(profile, plan, network)
    if not extra.enough:
        return []
    part = next(p for p in plan.scores if p.network == network)
    return [
        item(
            msg(
                "advice.networks.top_channel",
                network=option("net", network),
                posts=PRACTICE[network].posts_min,
            ),
            msg(
                "advice.networks.reason.top_channel",
                network=option("net", network),
                share=pct(part.reach),
                spare=round(spare, 1),
                total=extra.total,
                hours=profile.hours,
            ),
            sources=_reach_sources(profile, network),
        )
    ]


def network_items(profile: LibraryProfile, plan: Plan) -> list[AdviceItem]:
    items: list[AdviceItem] = []
    by_name = {p.network: p for p in plan.scores}
    must = mandatory(profile)
    rule = regional_rule(profile)
    if must:
        items.append(
            item(
                msg("advice.networks.vk_ok_mandatory"),
                msg(
                    "advice.networks.reason.ru_public",
                    ownership=option("ownership", profile.ownership),
                ),
                sources=(src.LAW_270FZ, src.ORDER_2523R, src.GOSPABLIC_MARK),
                severity=Severity.MUST,
            )
        )
    items += _institution_items(profile)
    if rule is not None:
        items.append(regional_networks_item(profile, rule))
    for rank, network in enumerate(plan.chosen):
        items.append(_pick(profile, plan, by_name[network], rank))

    cap = network_cap(profile.hours)
    items.append(
        item(
            msg("advice.networks.cap", count=len(plan.chosen), cap=plan.cap, hours=profile.hours),
            plural("advice.networks.reason.cap", "cap", hours=profile.hours, cap=cap),
            sources=(src.HOURS_FORMULA,),
        )
    )
    items += _top_channel(profile, plan)
    if rule is not None:
        items += _regional_over_hours(profile, plan, rule)
    elif len(must) > cap:
        items.append(
            conflict(
                msg("advice.conflicts.mandatory_over_hours", hours=profile.hours),
                msg("advice.networks.reason.mandatory_crosspost"),
                sources=(src.LAW_270FZ, src.HOURS_FORMULA),
            )
        )
    if plan.dropped_for_hours:
        items.append(
            item(
                msg("advice.networks.later", networks=options("net", plan.dropped_for_hours)),
                msg("advice.networks.reason.later", hours=profile.hours),
            )
        )
    if profile.russian_public and "telegram" not in plan.chosen:
        items.append(
            item(
                msg("advice.networks.telegram_next"),
                msg("advice.networks.reason.telegram_official"),
                sources=(src.DIALOG_TG_2024, src.MEDIASCOPE_TG_AGE_2024),
            )
        )
    present_banned = [
        n for n in banned(profile) if n in profile.net_current or n in profile.net_considered
    ]
    if present_banned:
        items.append(
            warning(
                msg("advice.conflicts.meta_in_russia", networks=options("net", present_banned)),
                msg("advice.networks.reason.law_72fz"),
                sources=(src.LAW_72FZ,),
            )
        )
    elif profile.country == "ru":
        items.append(
            item(
                msg("advice.networks.meta_not_suggested"),
                msg("advice.networks.reason.law_72fz"),
                sources=(src.LAW_72FZ,),
                severity=Severity.MUST,
            )
        )
    idle = [n for n in profile.net_current if n not in plan.chosen and n not in banned(profile)]
    if idle:
        items.append(
            item(
                msg("advice.networks.pause", networks=options("net", idle)),
                msg("advice.networks.reason.pause", hours=profile.hours),
            )
        )
    big = [n for n, subs in profile.net_subs.items() if subs > RKN_THRESHOLD]
    if profile.country == "ru" and big:
        items.append(
            item(
                msg("advice.networks.rkn_register", networks=options("net", big)),
                msg("advice.networks.reason.rkn", threshold=RKN_THRESHOLD),
                sources=(src.RKN_10K_2024,),
                severity=Severity.MUST,
            )
        )
    if profile.country == "other":
        items.append(
            item(
                msg("advice.networks.intl_default"),
                msg("advice.networks.reason.intl_default"),
                sources=(src.PEW_2025,),
            )
        )
    return items
