"""Step 6: hours, roles and tools against what the library has."""

from __future__ import annotations

from bot.advice.knowledge import sources as src
from bot.advice.knowledge.networks import ANALYTICS_TOOLS, SCHEDULER_TOOLS
from bot.advice.models import AdviceItem, MsgList
from bot.advice.planning import Plan
from bot.advice.profile import LibraryProfile
from bot.advice.rules.common import conflict, item, msg, options, plural
from bot.advice.rules.regional import regional_duty_items


def _hours(profile: LibraryProfile, plan: Plan) -> list[AdviceItem]:
    hours = plan.hours
    items = [
        item(
            msg(
                "advice.resources.hours",
                total=hours.total,
                posts=hours.posts,
                planning=hours.planning,
                analytics=hours.analytics,
                moderation=hours.moderation,
            ),
            msg("advice.resources.reason.formula"),
            sources=(src.HOURS_FORMULA,),
        )
    ]
    if profile.hours == 0:
        items.append(
            conflict(msg("advice.conflicts.no_hours"), msg("advice.resources.reason.no_hours"))
        )
    elif not hours.enough:
        items.append(
            conflict(
                msg("advice.conflicts.hours_short", needed=hours.total, hours=profile.hours),
                msg("advice.resources.reason.hours_short"),
                sources=(src.HOURS_FORMULA,),
            )
        )
    else:
        spare = spare_hours(profile.hours, hours.total)
        key = "advice.resources.enough" if spare >= TIGHT_SPARE else "advice.resources.tight"
        items.append(
            item(
                msg(key, hours=profile.hours, spare=spare),
                msg("advice.resources.reason.enough", total=hours.total, hours=profile.hours),
            )
        )
    return items


TIGHT_SPARE = 1.0
"""Below an hour of spare time the plan is "just enough", not "with a reserve"."""


def spare_hours(available: int, total: float) -> float:
    return round(available - total, 1)


def reply_minutes(moderation_hours: float) -> int:
    """Daily minutes of answers that the week's moderation hours allow (5 days, to 5 min)."""
    return max(5, round(moderation_hours * 60 / 5 / 5) * 5)


def _roles(profile: LibraryProfile, plan: Plan) -> list[AdviceItem]:
    items = []
    if profile.people == 1 or "one_person" in profile.roles:
        items.append(
            item(
                msg(
                    "advice.resources.one_person",
                    minutes=reply_minutes(plan.hours.moderation),
                    moderation=plan.hours.moderation,
                ),
                msg("advice.resources.reason.one_person", people=profile.people),
                sources=(src.ROLES,),
            )
        )
    else:
        named = [r for r in profile.roles if r != "one_person"]
        reasons = [plural("advice.resources.reason.people", "people", people=profile.people)]
        if named:
            reasons.append(msg("advice.resources.reason.roles", roles=options("role", named)))
        sources = [src.ROLES]
        if profile.people >= len(plan.chosen) > 1:
            reasons.append(msg("advice.resources.reason.per_network"))
            sources.append(src.STAFFING_CASE)
        items.append(
            item(
                plural("advice.resources.team", "people", people=profile.people),
                *reasons,
                sources=sources,
            )
        )
    if "b" in profile.goals and "moderator" not in profile.roles:
        items.append(
            item(
                msg("advice.resources.need_moderator"),
                msg("advice.resources.reason.goal_b"),
                sources=(src.COMMUNITY_MANAGER,),
            )
        )
    return items


def _tools(profile: LibraryProfile, plan: Plan) -> list[AdviceItem]:
    """Tools for the networks of the plan only: no VK tool for a plan without VK."""
    items = []
    schedulers = dict.fromkeys(SCHEDULER_TOOLS[n] for n in plan.chosen if n in SCHEDULER_TOOLS)
    if "scheduler" not in profile.tools and schedulers:
        items.append(
            item(
                msg(
                    "advice.resources.tools.scheduler",
                    tools=MsgList(tuple(msg(f"advice.tool.{tool}") for tool, _ in schedulers)),
                ),
                msg("advice.resources.reason.scheduler", networks=options("net", plan.chosen)),
                sources=tuple(source for _, source in schedulers),
            )
        )
    analytics = {ANALYTICS_TOOLS[n][0]: ANALYTICS_TOOLS[n][1] for n in plan.chosen}
    items.append(
        item(
            msg(
                "advice.resources.tools.analytics",
                tools=MsgList(tuple(msg(f"advice.tool.{tool}") for tool in analytics)),
            ),
            msg("advice.resources.reason.analytics", networks=options("net", plan.chosen)),
            sources=(*(s for group in analytics.values() for s in group), src.NJ_KPIS),
        )
    )
    if "design" not in profile.tools:
        items.append(
            item(msg("advice.resources.tools.design"), msg("advice.resources.reason.design"))
        )
    if not ({"smartphone", "camera"} & set(profile.tools)):
        items.append(
            item(
                msg("advice.resources.tools.smartphone"), msg("advice.resources.reason.smartphone")
            )
        )
    if profile.tools:
        items.append(
            item(
                msg("advice.resources.tools.have", tools=options("tool", profile.tools)),
                msg("advice.resources.reason.have"),
            )
        )
    return items


def resource_items(profile: LibraryProfile, plan: Plan) -> list[AdviceItem]:
    return (
        _hours(profile, plan)
        + _roles(profile, plan)
        + _tools(profile, plan)
        + regional_duty_items(profile, "resources")
    )
