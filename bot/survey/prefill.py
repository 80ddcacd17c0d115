"""Survey results as suggested answers for the wizard's audience step (step 2).

Staff still see and confirm step 2; this only fills it in. Only groups large enough to be
shown (see :mod:`bot.survey.stats`) can be suggested.
"""

from __future__ import annotations

from typing import Any

from bot.domain.method import AGE_GROUPS
from bot.domain.questions import OTHER
from bot.survey.questions import DEFAULT_PLACES, EDUCATION_VALUES, INTEREST_VALUES
from bot.survey.stats import AudienceData

NOTABLE_SHARE = 0.15
"""A group with at least this share of answers is part of "our audience"."""
MAJORITY_SHARE = 0.6
"""One gender above this share makes the audience mostly women (or men)."""
GEO_COVERAGE = 0.8
"""Step 2 geography is the smallest area where this share of readers live."""
MAX_INTERESTS = 6


def _notable(shares: dict[str, float], order: tuple[str, ...]) -> list[str]:
    picked = [value for value in order if shares.get(value, 0.0) >= NOTABLE_SHARE]
    if not picked and shares:
        known = [value for value in order if value in shares]
        picked = [max(known, key=shares.__getitem__)] if known else []
    return picked


def _gender(shares: dict[str, float]) -> str | None:
    if not shares:
        return None
    for value in ("women", "men"):
        if shares.get(value, 0.0) >= MAJORITY_SHARE:
            return value
    return "balanced"


def _geo(shares: dict[str, float]) -> str | None:
    # Staff's own place names cannot be ranked by distance; they pick the level themselves.
    if not shares or not set(shares) <= set(DEFAULT_PLACES):
        return None
    covered = 0.0
    for level in DEFAULT_PLACES:
        covered += shares.get(level, 0.0)
        if covered >= GEO_COVERAGE:
            return level
    return DEFAULT_PLACES[-1]


def audience_answers(audience: AudienceData) -> dict[str, Any]:
    """Values for the wizard's ``aud_*`` questions; questions without data are left out."""
    answers: dict[str, Any] = {"aud_source": "survey"}
    age = _notable(audience.age, AGE_GROUPS)
    if age:
        answers["aud_age"] = age
    gender = _gender(audience.gender)
    if gender:
        answers["aud_gender"] = gender
    education = _notable(audience.education, EDUCATION_VALUES)
    if education:
        answers["aud_education"] = education
    interests = sorted(
        _notable({k: v for k, v in audience.interests.items() if k != OTHER}, INTEREST_VALUES),
        key=lambda value: -audience.interests[value],
    )[:MAX_INTERESTS]
    if interests:
        answers["aud_interests"] = [v for v in INTEREST_VALUES if v in interests]
    geo = _geo(audience.geography)
    if geo:
        answers["aud_geo"] = geo
    return answers
