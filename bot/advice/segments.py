"""The audience as weights: which age groups matter and how much.

Children under 14 are not on social networks as readers of a library page; the engine
speaks to their parents, so their weight moves to the parents' ages.
"""

from __future__ import annotations

from bot.advice.knowledge.reach import AGES
from bot.advice.profile import LibraryProfile

SEGMENT_OF_AGE = {
    "0_13": "parents",
    "14_17": "teens",
    "18_24": "youth",
    "25_34": "adults",
    "35_44": "adults",
    "45_54": "adults",
    "55_64": "seniors",
    "65_plus": "seniors",
}
SEGMENTS = ("parents", "teens", "youth", "adults", "seniors")
PARENT_AGES = ("25_34", "35_44")
OLD_AGES = ("55_64", "65_plus")


def survey_age_shares(profile: LibraryProfile) -> dict[str, float] | None:
    """The age groups' shares from the reader survey; None when it says nothing of ages."""
    if profile.survey is None:
        return None
    total = sum(v for k, v in profile.survey.age.items() if k in AGES and v > 0)
    if total <= 0:
        return None
    return {
        age: profile.survey.age[age] / total for age in AGES if profile.survey.age.get(age, 0) > 0
    }


def stated_age_shares(profile: LibraryProfile) -> dict[str, float]:
    """Share of each age group among readers: the survey's, else equal over the chosen."""
    from_survey = survey_age_shares(profile)
    if from_survey is not None:
        return from_survey
    chosen = profile.aud_age or ("25_34", "35_44", "45_54", "55_64")
    return {age: 1 / len(chosen) for age in chosen}


def online_age_weights(profile: LibraryProfile) -> dict[str, float]:
    """Weights of the ages who actually read the pages (children replaced by parents)."""
    weights: dict[str, float] = {}
    for age, share in stated_age_shares(profile).items():
        if age == "0_13":
            for parent_age in PARENT_AGES:
                weights[parent_age] = weights.get(parent_age, 0) + share / len(PARENT_AGES)
        else:
            weights[age] = weights.get(age, 0) + share
    return {age: weights[age] for age in AGES if age in weights}


def segment_shares(profile: LibraryProfile) -> list[tuple[str, float]]:
    """Segments by share, largest first (ties keep the age order)."""
    shares: dict[str, float] = {}
    for age, share in stated_age_shares(profile).items():
        segment = SEGMENT_OF_AGE[age]
        shares[segment] = shares.get(segment, 0) + share
    return sorted(shares.items(), key=lambda kv: (-round(kv[1], 6), SEGMENTS.index(kv[0])))


def main_segment(profile: LibraryProfile) -> str:
    return segment_shares(profile)[0][0]


def older_share(profile: LibraryProfile) -> float:
    shares = stated_age_shares(profile)
    return sum(shares.get(age, 0) for age in OLD_AGES)
