"""Step 5: answering readers, handling negativity, partners and paid promotion."""

from __future__ import annotations

from bot.advice.knowledge import sources as src
from bot.advice.models import AdviceItem, Source, UserText
from bot.advice.planning import Plan
from bot.advice.profile import LibraryProfile
from bot.advice.rules.common import conflict, item, msg, option, options
from bot.advice.rules.goals import response_target, response_unrealistic
from bot.advice.rules.regional import regional_duty_items

PARTNERS = ("schools", "local_media", "libraries", "bloggers", "museums", "administration")


def _response(profile: LibraryProfile) -> list[AdviceItem]:
    target = response_target(profile)
    items = [
        item(
            msg("advice.communication.response", response=option("response", target)),
            msg(
                "advice.communication.reason.response",
                response=option("response", profile.response),
                people=profile.people,
                hours=profile.hours,
            ),
            sources=(src.COMMUNITY_MANAGER,),
        )
    ]
    if response_unrealistic(profile):
        items.append(
            conflict(
                msg("advice.conflicts.response_1h", people=profile.people, hours=profile.hours),
                msg(
                    "advice.communication.reason.response_relaxed",
                    response=option("response", target),
                ),
            )
        )
    if "b" in profile.goals and "messages" not in profile.com_channels:
        items.append(
            item(
                msg("advice.communication.enable_messages"),
                msg("advice.communication.reason.goal_b"),
            )
        )
    if profile.com_channels:
        items.append(
            item(
                msg(
                    "advice.communication.channels",
                    channels=options("com_channel", profile.com_channels),
                ),
                msg("advice.communication.reason.channels"),
            )
        )
    return items


def _negative(profile: LibraryProfile) -> list[AdviceItem]:
    reason_key = f"advice.communication.reason.negative_{profile.negative}"
    return [
        item(
            msg("advice.communication.playbook"), msg(reason_key), sources=(src.COMMUNITY_MANAGER,)
        ),
        item(msg("advice.communication.rules"), msg("advice.communication.reason.rules")),
    ]


def _partners(profile: LibraryProfile) -> list[AdviceItem]:
    named = [p for p in profile.partners if p in PARTNERS]
    items = [
        item(
            msg(f"advice.communication.partner.{p}"),
            msg("advice.communication.reason.partner", partner=option("partner", p)),
        )
        for p in named
    ]
    if "other" in profile.partners and profile.partner_other:
        items.append(
            item(
                msg("advice.communication.partner.other", partner=UserText(profile.partner_other)),
                msg(
                    "advice.communication.reason.partner", partner=UserText(profile.partner_other)
                ),
            )
        )
    if not items:
        items.append(
            item(
                msg("advice.communication.partner.find"),
                msg("advice.communication.reason.no_partners"),
            )
        )
    return items


def _paid(profile: LibraryProfile, plan: Plan) -> list[AdviceItem]:
    has_budget = profile.budget != "none"
    wants_paid = profile.paid != "no"
    budget = option("budget", profile.budget)
    if wants_paid and not has_budget:
        return [
            conflict(
                msg("advice.conflicts.paid_no_budget"),
                msg(
                    "advice.communication.reason.paid_no_budget", paid=option("paid", profile.paid)
                ),
            )
        ]
    if not has_budget:
        return [
            item(
                msg("advice.communication.paid.free"),
                msg("advice.communication.reason.no_budget"),
                sources=(src.BOOK_SECTOR_SURVEY,),
            )
        ]
    if profile.profile != "intl" and {"vk", "ok"} & set(plan.chosen):
        sources: tuple[Source, ...] = (src.ADS_RU,)
    elif {"facebook", "instagram"} & set(plan.chosen) and profile.country != "ru":
        sources = (src.ADS_META,)
    else:
        sources = ()
    key = f"advice.communication.paid.{profile.profile}"
    reasons = [msg("advice.communication.reason.budget", budget=budget)]
    if wants_paid:
        reasons.append(msg("advice.communication.reason.paid", paid=option("paid", profile.paid)))
    else:
        reasons.append(msg("advice.communication.reason.paid_events_only"))
    return [item(msg(key, networks=options("net", plan.chosen)), *reasons, sources=sources)]


def communication_items(profile: LibraryProfile, plan: Plan) -> list[AdviceItem]:
    return (
        _response(profile)
        + _negative(profile)
        + regional_duty_items(profile, "communication")
        + _partners(profile)
        + _paid(profile, plan)
    )
