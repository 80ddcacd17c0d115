"""Step 4: rubrics and mix, posts per week, days and times, tone and visuals."""

from __future__ import annotations

from bot.advice.knowledge import sources as src
from bot.advice.knowledge.networks import PRACTICE, SEGMENT_TIME_SOURCES
from bot.advice.knowledge.rubrics import ENGAGE, MIX_SOURCES, PROMO, VALUE
from bot.advice.models import AdviceItem, Msg, MsgList, PostingSlot, Severity
from bot.advice.planning import Plan, mandatory, official_min_posts, regional_rule
from bot.advice.profile import LibraryProfile
from bot.advice.rules.common import conflict, item, msg, option, options, zone
from bot.advice.rules.regional import region_of
from bot.advice.schedule import mix_shares
from bot.advice.segments import main_segment, older_share

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def day_names(days: list[int]) -> MsgList:
    return MsgList(tuple(msg(f"advice.day.{DAY_KEYS[d]}") for d in days))


def _rubric_reason(why: str) -> Msg:
    kind, _, value = why.partition(":")
    if kind == "goal":
        return msg("advice.content.reason.rubric_goal", goal=option("goal", value))
    if kind == "segment":
        return msg("advice.content.reason.rubric_segment", segment=msg(f"advice.segment.{value}"))
    return msg("advice.content.reason.rubric_mix")


def _network_lines(
    profile: LibraryProfile, plan: Plan, slots: tuple[PostingSlot, ...]
) -> list[AdviceItem]:
    items = []
    rule = regional_rule(profile)
    minimum = official_min_posts(profile)
    for network in plan.chosen:
        mine = [s for s in slots if s.network == network]
        days = sorted({s.weekday for s in mine})
        times = MsgList(tuple(dict.fromkeys(s.time for s in sorted(mine, key=lambda s: s.time))))
        posts = plan.posts[network]
        reasons = [
            msg(
                "advice.content.reason.frequency",
                network=option("net", network),
                low=PRACTICE[network].posts_min,
                high=PRACTICE[network].posts_max,
            ),
            msg(
                "advice.content.reason.times",
                segment=msg(f"advice.segment.{main_segment(profile)}"),
                tz=zone(profile.timezone),
            ),
        ]
        if posts < profile.frequency:
            reasons.append(
                msg("advice.content.reason.reduced", wanted=profile.frequency, hours=profile.hours)
            )
        official = network in mandatory(profile)
        frequency_sources = PRACTICE[network].frequency_sources
        if official and rule is not None:
            reasons.append(
                msg("advice.regional.reason.min_posts", region=region_of(rule), min=minimum)
            )
            # The region's own rule replaces the row that sums up several regions.
            frequency_sources = (
                *rule.sources,
                *(s for s in frequency_sources if s != src.GOSPABLIC_RULES),
            )
        elif official and posts >= minimum:
            reasons.append(msg("advice.content.reason.official_min", min=minimum))
        sources = (
            *frequency_sources,
            *PRACTICE[network].timing_sources,
            *SEGMENT_TIME_SOURCES,
        )
        items.append(
            item(
                msg(
                    "advice.content.schedule",
                    network=option("net", network),
                    posts=posts,
                    days=day_names(days),
                    times=times,
                ),
                *reasons,
                sources=sources,
            )
        )
    return items


def _official_min(profile: LibraryProfile) -> list[AdviceItem]:
    """The weekly minimum of official pages: a region's rule is a duty, elsewhere a norm."""
    minimum = official_min_posts(profile)
    if not profile.russian_public or profile.frequency >= minimum:
        return []
    rule = regional_rule(profile)
    if rule is None:
        return [
            item(
                msg("advice.content.official_min", min=minimum),
                msg("advice.content.reason.official_min", min=minimum),
                sources=(src.GOSPABLIC_RULES,),
                severity=Severity.MUST,
            )
        ]
    return [
        item(
            msg("advice.regional.min_posts", region=region_of(rule), min=minimum),
            msg("advice.regional.reason.frequency", wanted=profile.frequency, min=minimum),
            sources=rule.sources,
            severity=Severity.MUST,
        )
    ]


def content_items(
    profile: LibraryProfile,
    plan: Plan,
    rubrics: tuple[str, ...],
    added: dict[str, str],
    slots: tuple[PostingSlot, ...],
) -> list[AdviceItem]:
    items: list[AdviceItem] = []
    plan_reasons = (
        [msg("advice.content.reason.topics_chosen", topics=options("rubric", profile.topics))]
        if profile.topics
        else []
    )
    plan_reasons += [
        msg(
            "advice.content.reason.rubric_added", rubric=option("rubric", r), why=_rubric_reason(w)
        )
        for r, w in added.items()
    ]
    if not plan_reasons:
        plan_reasons.append(msg("advice.content.reason.rubric_mix"))
    items.append(
        item(
            msg("advice.content.rubrics", rubrics=options("rubric", rubrics)),
            *plan_reasons,
            sources=(src.RUBRICS_LIBRARIES,),
        )
    )
    shares = mix_shares(slots)
    items.append(
        item(
            msg(
                "advice.content.mix",
                value=shares[VALUE],
                engage=shares[ENGAGE],
                promo=shares[PROMO],
            ),
            msg("advice.content.reason.thirds"),
            sources=MIX_SOURCES,
        )
    )
    items += _network_lines(profile, plan, slots)
    wanted = plan.wanted_hours
    if wanted.total > profile.hours:
        items.append(
            conflict(
                msg(
                    "advice.conflicts.overload",
                    frequency=profile.frequency,
                    count=len(plan.wanted),
                    networks=options("net", plan.wanted),
                    needed=wanted.total,
                    hours=profile.hours,
                ),
                msg("advice.content.reason.overload"),
                sources=(src.HOURS_FORMULA,),
            )
        )
    items += _official_min(profile)
    tone_reasons = [msg("advice.content.reason.tone", tone=option("tone", profile.tone))]
    if profile.tone == "official" and profile.russian_public:
        tone_reasons.append(msg("advice.content.reason.plain_official"))
    if profile.tone == "playful" and older_share(profile) >= 0.5:
        tone_reasons.append(msg("advice.content.reason.playful_seniors"))
    tone_sources = (src.GOSPABLIC_RULES,) if profile.russian_public else ()
    items.append(
        item(msg(f"advice.content.tone.{profile.tone}"), *tone_reasons, sources=tone_sources)
    )
    items.append(
        item(
            msg("advice.content.length"),
            msg("advice.content.reason.length"),
            sources=(src.POPSTERS_2020,),
        )
    )
    items += _visual_items(profile, plan)
    return items


def _visual_items(profile: LibraryProfile, plan: Plan) -> list[AdviceItem]:
    items = []
    visuals = profile.visuals or ("photos",)
    for visual in visuals:
        items.append(
            item(
                msg(f"advice.content.visual.{visual}"),
                msg("advice.content.reason.visual", visual=option("visual", visual)),
            )
        )
    if not profile.visuals:
        items.append(
            item(msg("advice.content.visual.start"), msg("advice.content.reason.no_visuals"))
        )
    video_nets = [n for n in (*plan.chosen, *plan.wanted) if PRACTICE[n].video_first]
    video_nets = list(dict.fromkeys(video_nets))
    if video_nets and "video" not in profile.visuals:
        items.append(
            conflict(
                msg("advice.conflicts.video_without_video", networks=options("net", video_nets)),
                msg("advice.content.reason.video_first"),
            )
        )
    if profile.visual_maker == "contractor" and profile.budget == "none":
        items.append(
            conflict(
                msg("advice.conflicts.contractor_no_budget"),
                msg("advice.content.reason.contractor"),
            )
        )
    return items
