"""Step 4: rubrics and mix, posts per week, days and times, languages, tone and visuals."""

from __future__ import annotations

from bot.advice.knowledge import sources as src
from bot.advice.knowledge.networks import (
    PRACTICE,
    SEGMENT_TIME_SOURCES,
    SEGMENT_TIME_SOURCES_INTL,
)
from bot.advice.knowledge.rubrics import ENGAGE, MIX_SOURCES, PROMO, VALUE
from bot.advice.models import (
    AdviceItem,
    Msg,
    MsgList,
    Param,
    PostingSlot,
    Severity,
    Source,
    UserText,
    rubric_label,
)
from bot.advice.planning import Plan, mandatory, official_min_posts, regional_rule
from bot.advice.profile import LibraryProfile
from bot.advice.rules.common import conflict, item, msg, option, pct, plural, zone
from bot.advice.rules.regional import region_of, secondary_reasons
from bot.advice.schedule import mix_shares, rubric_categories, segment_turns
from bot.advice.segments import older_share, segment_shares

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LANGUAGE_SOURCES: dict[str, Source] = {
    "kz": src.KZ_CONSTITUTION,
    "by": src.BY_CONSTITUTION,
    "kg": src.KG_CONSTITUTION,
    "uz": src.UZ_CONSTITUTION,
}


def day_names(days: list[int]) -> MsgList:
    return MsgList(tuple(msg(f"advice.day.{DAY_KEYS[d]}") for d in days))


def rubric_names(rubrics: tuple[str, ...] | list[str]) -> MsgList:
    return MsgList(tuple(rubric_label(r) for r in rubrics))


def _rubric_reason(why: str) -> Msg:
    kind, _, value = why.partition(":")
    if kind == "goal":
        return msg("advice.content.reason.rubric_goal", goal=option("goal", value))
    if kind == "segment":
        return msg("advice.content.reason.rubric_segment", segment=msg(f"advice.segment.{value}"))
    if kind == "typed":
        return msg(f"advice.content.reason.rubric_typed_{value}")
    return msg("advice.content.reason.rubric_mix")


def segments_param(profile: LibraryProfile) -> MsgList:
    """ "adults 25–54 (67%), seniors 55+ (33%)": the segments the times are fitted to."""
    return MsgList(
        tuple(
            msg("advice.content.segment_share", segment=msg(f"advice.segment.{s}"), share=pct(x))
            for s, x in segment_shares(profile)
            if x > 0
        )
    )


def _network_lines(
    profile: LibraryProfile, plan: Plan, slots: tuple[PostingSlot, ...]
) -> list[AdviceItem]:
    items = []
    rule = regional_rule(profile)
    minimum = official_min_posts(profile)
    time_sources = SEGMENT_TIME_SOURCES if profile.profile != "intl" else SEGMENT_TIME_SOURCES_INTL
    for index, network in enumerate(plan.chosen):
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
        ]
        turns = segment_turns(profile, posts)
        if len(set(turns)) > 1:
            reasons.append(
                msg(
                    "advice.content.reason.times_mixed",
                    segments=segments_param(profile),
                    tz=zone(profile.timezone),
                )
            )
        elif turns:
            reasons.append(
                msg(
                    "advice.content.reason.times",
                    segment=msg(f"advice.segment.{turns[0]}"),
                    tz=zone(profile.timezone),
                )
            )
        if network in plan.reduced_for_hours:
            reasons.append(
                plural(
                    "advice.content.reason.reduced",
                    "wanted",
                    wanted=profile.frequency,
                    hours=profile.hours,
                )
            )
        official = network in mandatory(profile)
        frequency_sources = PRACTICE[network].frequency_sources
        if official and rule is not None:
            reasons.append(
                plural(
                    "advice.regional.reason.min_posts", "min", region=region_of(rule), min=minimum
                )
            )
            frequency_sources = (*rule.sources, *frequency_sources)
        elif official and posts <= minimum:
            # A required page the readers hardly use: kept current, not fed for its own sake.
            reasons.append(plural("advice.content.reason.official_min", "min", min=minimum))
            frequency_sources = (src.LAW_270FZ, *frequency_sources)
        if index > 0:
            key = "crosspost" if profile.crosspost else "own_feed"
            reasons.append(msg(f"advice.content.reason.{key}", network=option("net", network)))
        sources = (*frequency_sources, *PRACTICE[network].timing_sources, *time_sources)
        items.append(
            item(
                plural(
                    "advice.content.schedule",
                    "posts",
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
    """A region's weekly minimum, where a regional rule holds and the wish is below it."""
    rule = regional_rule(profile)
    minimum = official_min_posts(profile)
    if rule is None or profile.frequency >= minimum:
        return []
    return [
        item(
            plural("advice.regional.min_posts", "min", region=region_of(rule), min=minimum),
            msg("advice.regional.reason.frequency", wanted=profile.frequency, min=minimum),
            *secondary_reasons(rule),
            sources=rule.sources,
            severity=Severity.MUST,
        )
    ]


def _languages(profile: LibraryProfile) -> list[AdviceItem]:
    """Languages of posts where two are normal (Kazakhstan, Belarus, Kyrgyzstan…)."""
    names: list[Param] = [option("post_lang", code) for code in profile.languages]
    if profile.languages_other:
        names.append(UserText(profile.languages_other))
    if not names:
        return []
    source = LANGUAGE_SOURCES.get(profile.country)
    sources = (source,) if source else ()
    country_reason = (
        msg(f"advice.content.reason.languages_{profile.country}")
        if source
        else msg("advice.content.reason.languages_other")
    )
    key = "advice.content.languages.both" if len(names) > 1 else "advice.content.languages.one"
    return [item(msg(key, languages=MsgList(tuple(names))), country_reason, sources=sources)]


def _overload(profile: LibraryProfile, plan: Plan) -> list[AdviceItem]:
    """Her frequency on every network of the plan does not fit the hours: a real conflict."""
    wanted = plan.wanted_hours
    if wanted.total <= profile.hours or not plan.reduced_for_hours:
        return []
    return [
        conflict(
            plural(
                "advice.conflicts.overload",
                "count",
                frequency=profile.frequency,
                count=len(plan.chosen),
                networks=MsgList(tuple(option("net", n) for n in plan.chosen)),
                needed=wanted.total,
                hours=profile.hours,
            ),
            msg("advice.content.reason.overload"),
            sources=(src.HOURS_FORMULA,),
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
    chosen_topics = [r for r in profile.topics if r in rubrics]
    plan_reasons = (
        [msg("advice.content.reason.topics_chosen", topics=rubric_names(chosen_topics))]
        if chosen_topics
        else []
    )
    plan_reasons += [
        msg("advice.content.reason.rubric_added", rubric=rubric_label(r), why=_rubric_reason(w))
        for r, w in added.items()
    ]
    if not plan_reasons:
        plan_reasons.append(msg("advice.content.reason.rubric_mix"))
    items.append(
        item(
            msg("advice.content.rubrics", rubrics=rubric_names(rubrics)),
            *plan_reasons,
            sources=(src.RUBRICS_LIBRARIES,),
        )
    )
    shares = mix_shares(slots, rubric_categories(profile))
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
    items += _overload(profile, plan)
    items += _official_min(profile)
    items += _languages(profile)
    tone_reasons = [msg(f"advice.content.reason.tone_{profile.tone}")]
    if profile.tone == "official" and (profile.russian_public or profile.russian_department):
        tone_reasons.append(msg("advice.content.reason.plain_official"))
    if profile.tone == "playful" and older_share(profile) >= 0.5:
        tone_reasons.append(
            msg("advice.content.reason.playful_seniors", share=pct(older_share(profile)))
        )
    items.append(item(msg(f"advice.content.tone.{profile.tone}"), *tone_reasons))
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
                msg(f"advice.content.reason.visual_{visual}"),
            )
        )
    if not profile.visuals:
        items.append(
            item(msg("advice.content.visual.start"), msg("advice.content.reason.no_visuals"))
        )
    # No video conflict: planning keeps video-first platforms out of a plan without video.
    if profile.visual_maker == "contractor" and profile.budget == "none":
        items.append(
            conflict(
                msg("advice.conflicts.contractor_no_budget"),
                msg("advice.content.reason.contractor"),
            )
        )
    return items
