"""Regional rules for official pages as advice: the required networks and the duties.

The networks themselves enter the plan through planning.mandatory; the weekly minimum
through planning.official_min_posts. Here are only the lines that say so and why.
"""

from __future__ import annotations

from bot.advice.knowledge.regions import RegionalRule
from bot.advice.models import AdviceItem, Msg, Severity, UserText
from bot.advice.planning import regional_rule
from bot.advice.profile import LibraryProfile
from bot.advice.rules.common import item, msg, option, options


def region_of(rule: RegionalRule) -> Msg:
    """The region's name after "the rules of" (genitive in Russian)."""
    return msg(f"advice.regional.of.{rule.region}")


def secondary_reasons(rule: RegionalRule) -> list[Msg]:
    """Said wherever a rule known only from the press is applied: check it at the source."""
    if not rule.secondary:
        return []
    return [msg("advice.regional.reason.secondary", region=region_of(rule))]


def regional_networks_item(profile: LibraryProfile, rule: RegionalRule) -> AdviceItem:
    return item(
        msg(
            "advice.regional.networks",
            region=region_of(rule),
            networks=options("net", rule.networks),
        ),
        msg(
            "advice.regional.reason.matched",
            typed=UserText(profile.region or profile.settlement),
            ownership=option("ownership", profile.ownership),
            region=region_of(rule),
        ),
        *secondary_reasons(rule),
        sources=rule.sources,
        severity=Severity.MUST,
    )


def regional_duty_items(profile: LibraryProfile, step: str) -> list[AdviceItem]:
    rule = regional_rule(profile)
    if rule is None:
        return []
    return [
        item(
            msg(f"advice.regional.duty.{duty.id}"),
            msg(f"advice.regional.reason.{duty.id}", region=region_of(rule)),
            *secondary_reasons(rule),
            sources=rule.sources,
            severity=Severity.MUST,
        )
        for duty in rule.duties
        if duty.step == step
    ]
