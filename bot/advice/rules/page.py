"""Step 7: profile, group or public page (and Telegram channel or chat) per network."""

from __future__ import annotations

from bot.advice.knowledge import sources as src
from bot.advice.models import AdviceItem, Msg, Severity
from bot.advice.planning import Plan
from bot.advice.profile import LibraryProfile
from bot.advice.rules.common import item, msg, option

SIMPLE_PAGES = {
    "ok": "advice.page.ok_group",
    "max": "advice.page.max_channel",
    "instagram": "advice.page.instagram_professional",
    "whatsapp": "advice.page.whatsapp_business",
}


def _discussion_reason(profile: LibraryProfile) -> Msg:
    return msg(
        "advice.page.reason.discussion", discussion=option("discussion", profile.discussion)
    )


def _vk(profile: LibraryProfile) -> list[AdviceItem]:
    talk = profile.discussion == "posts_and_talk"
    key = "advice.page.vk_group" if talk else "advice.page.vk_public"
    sources = [src.VK_PAGE_VS_GROUP]
    reasons = [_discussion_reason(profile)]
    items = [item(msg(key), *reasons, sources=sources)]
    if profile.russian_public:
        # A set-up step, so an action of its own rather than a line under "why".
        items.append(
            item(
                msg("advice.page.gosorg_setup"),
                msg("advice.page.reason.gosorg_why"),
                sources=(src.GOSPABLIC_MARK, src.LAW_270FZ),
                severity=Severity.MUST,
            )
        )
    if "d" in profile.goals:
        items.append(
            item(
                msg("advice.page.vk_events"),
                msg("advice.page.reason.events"),
                sources=(src.VK_PAGE_VS_GROUP,),
            )
        )
    return items


def _telegram(profile: LibraryProfile) -> list[AdviceItem]:
    items = [
        item(
            msg("advice.page.tg_channel"),
            msg("advice.page.reason.tg_channel"),
            sources=(src.TG_CHANNELS,),
        )
    ]
    if profile.clubs or profile.discussion == "posts_and_talk" or "chat" in profile.com_channels:
        reason = msg("advice.page.reason.clubs") if profile.clubs else _discussion_reason(profile)
        items.append(item(msg("advice.page.tg_chat"), reason, sources=(src.TG_CHANNELS,)))
    return items


def _facebook(profile: LibraryProfile) -> list[AdviceItem]:
    items = [
        item(
            msg("advice.page.fb_page"),
            msg("advice.page.reason.fb_policy"),
            sources=(src.FB_PROFILE_RULE,),
        )
    ]
    if profile.clubs:
        items.append(item(msg("advice.page.fb_group"), msg("advice.page.reason.clubs")))
    return items


def page_items(profile: LibraryProfile, plan: Plan) -> list[AdviceItem]:
    items = [
        item(
            msg("advice.page.no_personal"),
            msg("advice.page.reason.no_personal"),
            sources=(src.FB_PROFILE_RULE, src.VK_PAGE_VS_GROUP),
            severity=Severity.MUST,
        )
    ]
    for network in plan.chosen:
        if network == "vk":
            items += _vk(profile)
        elif network == "telegram":
            items += _telegram(profile)
        elif network == "facebook":
            items += _facebook(profile)
        elif network in SIMPLE_PAGES:
            items.append(
                item(
                    msg(SIMPLE_PAGES[network]),
                    msg("advice.page.reason.network", network=option("net", network)),
                )
            )
        else:
            items.append(
                item(
                    msg("advice.page.channel", network=option("net", network)),
                    msg("advice.page.reason.network", network=option("net", network)),
                )
            )
    if profile.russian_department:
        items.append(
            item(
                msg("advice.page.department_link"),
                msg("advice.page.reason.department_link"),
                sources=(src.LAW_270FZ,),
            )
        )
    if profile.clubs and not {"telegram", "facebook"} & set(plan.chosen):
        items.append(item(msg("advice.page.clubs"), msg("advice.page.reason.clubs")))
    return items
