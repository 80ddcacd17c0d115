"""Step 2: a short persona for each main segment of readers."""

from __future__ import annotations

from bot.advice.knowledge import sources as src
from bot.advice.models import AdviceItem, Msg, MsgList, Param, UserText
from bot.advice.profile import INTERESTS, LibraryProfile
from bot.advice.rules.common import item, msg, option, options, pct, plural, warning
from bot.advice.segments import segment_shares, stated_age_shares

MAX_PERSONAS = 3
MIN_SHARE = 0.1
SMALL_SAMPLE = 30
TOP_INTERESTS = 3


def top_interests(profile: LibraryProfile) -> tuple[str, ...]:
    if profile.survey is not None and profile.survey.interests:
        ranked = sorted(profile.survey.interests.items(), key=lambda kv: -kv[1])
        return tuple(k for k, v in ranked if v > 0 and k in INTERESTS)[:TOP_INTERESTS]
    return profile.aud_interests[: TOP_INTERESTS + 1]


def _main_gender(profile: LibraryProfile) -> str:
    if profile.survey is not None and profile.survey.gender:
        women = profile.survey.gender.get("women", 0.0)
        men = profile.survey.gender.get("men", 0.0)
        if women >= 0.6:
            return "women"
        if men >= 0.6:
            return "men"
        return "balanced"
    return profile.aud_gender


def _source_reason(profile: LibraryProfile, segment_share: float) -> Msg:
    if profile.survey is not None:
        return plural(
            "advice.audience.reason.survey",
            "n",
            n=profile.survey.sample_size,
            share=pct(segment_share),
        )
    ages = options("age", stated_age_shares(profile))
    return msg("advice.audience.reason.self", ages=ages)


def _interest_reason(profile: LibraryProfile, interests: tuple[str, ...]) -> Msg:
    if profile.survey is not None and profile.survey.interests:
        return plural(
            "advice.audience.reason.survey_interests",
            "n",
            n=profile.survey.sample_size,
            interest=option("interest", interests[0]),
            share=pct(profile.survey.interests[interests[0]]),
        )
    return msg("advice.audience.reason.interests", interests=options("interest", interests))


def audience_items(profile: LibraryProfile) -> list[AdviceItem]:
    items: list[AdviceItem] = []
    interests = top_interests(profile)
    named: list[Param] = [option("interest", i) for i in interests]
    named += [UserText(i) for i in profile.interests_other]
    interest_param: Param = (
        MsgList(tuple(named)) if named else msg("advice.audience.interests_generic")
    )
    gender = _main_gender(profile)
    segments = [(s, share) for s, share in segment_shares(profile) if share >= MIN_SHARE]
    for segment, share in segments[:MAX_PERSONAS]:
        reasons = [_source_reason(profile, share)]
        sources = [src.MEDIASCOPE_SILVER_2025] if segment == "seniors" else []
        if segment == "parents":
            reasons.append(msg("advice.audience.reason.parents"))
        items.append(
            item(
                msg(
                    f"advice.audience.persona.{segment}",
                    share=pct(share),
                    interests=interest_param,
                    area=option("area", profile.aud_area),
                ),
                *reasons,
                sources=sources,
            )
        )
    if profile.interests_other:
        items.append(
            item(
                msg(
                    "advice.audience.own_interests",
                    interests=MsgList(tuple(UserText(i) for i in profile.interests_other)),
                ),
                msg("advice.audience.reason.own_interests"),
            )
        )
    if interests:
        items.append(
            item(
                msg("advice.audience.interests", interests=interest_param),
                _interest_reason(profile, interests),
            )
        )
    if gender == "women":
        items.append(
            item(
                msg("advice.audience.women"),
                msg("advice.audience.reason.gender", gender=option("gender", gender)),
                sources=(src.FOM_2021,),
            )
        )
    elif gender == "men":
        items.append(
            item(
                msg("advice.audience.men"),
                msg("advice.audience.reason.gender", gender=option("gender", gender)),
            )
        )
    if profile.aud_area == "rural":
        items.append(
            item(
                msg("advice.audience.rural"),
                msg("advice.audience.reason.area", area=option("area", "rural")),
                sources=(src.SHISHKOVKA,),
            )
        )
    if {"higher", "academic"} & set(profile.aud_education):
        items.append(
            item(
                msg("advice.audience.educated"),
                msg(
                    "advice.audience.reason.education",
                    education=options("education", profile.aud_education),
                ),
            )
        )
    elif profile.aud_education:
        items.append(
            item(
                msg("advice.audience.plain_language"),
                msg(
                    "advice.audience.reason.education",
                    education=options("education", profile.aud_education),
                ),
            )
        )
    items.append(
        item(
            msg(f"advice.audience.geo.{profile.aud_geo}"),
            msg("advice.audience.reason.geo", geo=option("geo", profile.aud_geo)),
        )
    )
    if profile.survey is None:
        items.append(
            item(msg("advice.audience.run_survey"), msg("advice.audience.reason.self_only"))
        )
    elif profile.survey.sample_size < SMALL_SAMPLE:
        items.append(
            warning(
                plural(
                    "advice.warnings.small_sample",
                    "n",
                    n=profile.survey.sample_size,
                    min=SMALL_SAMPLE,
                ),
                msg("advice.audience.reason.small_sample"),
            )
        )
    return items
