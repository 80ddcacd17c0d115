"""Step 6: hours, roles and tools against what the library has."""

from __future__ import annotations

from bot.advice.knowledge import sources as src
from bot.advice.models import AdviceItem
from bot.advice.planning import Plan
from bot.advice.profile import LibraryProfile
from bot.advice.rules.common import conflict, item, msg, options
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
        spare = round(profile.hours - hours.total, 1)
        items.append(
            item(
                msg("advice.resources.enough", hours=profile.hours, spare=spare),
                msg("advice.resources.reason.enough", total=hours.total),
            )
        )
    return items


def _roles(profile: LibraryProfile, plan: Plan) -> list[AdviceItem]:
    items = []
    if profile.people == 1 or "one_person" in profile.roles:
        items.append(
            item(
                msg("advice.resources.one_person"),
                msg("advice.resources.reason.one_person", people=profile.people),
                sources=(src.ROLES,),
            )
        )
    else:
        named = [r for r in profile.roles if r != "one_person"]
        reasons = [msg("advice.resources.reason.people", people=profile.people)]
        if named:
            reasons.append(msg("advice.resources.reason.roles", roles=options("role", named)))
        sources = [src.ROLES]
        if profile.people >= len(plan.chosen) > 1:
            reasons.append(msg("advice.resources.reason.per_network"))
            sources.append(src.STAFFING_CASE)
        items.append(
            item(msg("advice.resources.team", people=profile.people), *reasons, sources=sources)
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
    region = "ru" if profile.profile != "intl" else "intl"
    items = []
    if "scheduler" not in profile.tools:
        items.append(
            item(
                msg(f"advice.resources.tools.scheduler_{region}"),
                msg("advice.resources.reason.scheduler"),
                sources=(src.SCHEDULERS,),
            )
        )
    analytics_sources = (src.TOOLS_RU, src.TOOLS_TG) if region == "ru" else (src.NJ_KPIS,)
    items.append(
        item(
            msg(f"advice.resources.tools.analytics_{region}"),
            msg("advice.resources.reason.analytics", networks=options("net", plan.chosen)),
            sources=analytics_sources,
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
