"""Scores every network 0..100 from audience fit, goal fit and the library's presence.

Weights are our judgement (audience first: a page nobody of the readers' age opens is
useless however well it fits the goal); the rules (mandatory, banned) act after scoring.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.advice.knowledge.networks import NETWORK_ORDER, PRACTICE
from bot.advice.knowledge.reach import ReachRow, reach_rows
from bot.advice.profile import LibraryProfile
from bot.advice.segments import online_age_weights

AUDIENCE_WEIGHT = 0.55
GOAL_WEIGHT = 0.30
PRESENCE_WEIGHT = 0.15
MESSENGER_FACTOR = 0.5
"""People use messengers to talk to family; a library's broadcast there reaches fewer."""
VIDEO_PENALTY = 10


@dataclass(frozen=True, slots=True)
class ScoreParts:
    network: str
    reach: float
    """Weighted share of the readers' age groups who use the network (0..1)."""
    audience: float
    """0..1, relative to the best network for this audience."""
    goal: float
    presence: float
    score: int
    video_penalty: bool


def _audience_fit(row: ReachRow | None, weights: dict[str, float]) -> float:
    if row is None:
        return 0.0
    return sum(row.at(age) * weight for age, weight in weights.items())


def _presence(profile: LibraryProfile, network: str) -> float:
    if network in profile.net_current:
        return 1.0 if profile.net_subs.get(network, 0) > 0 else 0.6
    return 0.3 if network in profile.net_considered else 0.0


def makes_video(profile: LibraryProfile) -> bool:
    """Long-form video: what a video-first platform is scored for."""
    return "video" in profile.visuals or "video" in profile.tools


def makes_any_video(profile: LibraryProfile) -> bool:
    """Video, or stories, clips and shorts (the wizard's "stories" option names all three)."""
    return makes_video(profile) or "stories" in profile.visuals


def score_networks(profile: LibraryProfile) -> list[ScoreParts]:
    rows = reach_rows(profile.profile, profile.country)
    weights = online_age_weights(profile)
    raw: dict[str, float] = {}
    raw_reach: dict[str, float] = {}
    for network in NETWORK_ORDER:
        fit = _audience_fit(rows.get(network), weights)
        if profile.survey is not None and profile.survey.networks:
            # Readers' own answer about their networks outweighs national averages.
            fit = 0.4 * fit + 0.6 * profile.survey.networks.get(network, 0.0)
        raw_reach[network] = fit
        if PRACTICE[network].messenger:
            fit *= MESSENGER_FACTOR
        raw[network] = fit
    best = max(raw.values()) or 1.0
    parts = []
    for network in NETWORK_ORDER:
        practice = PRACTICE[network]
        audience = raw[network] / best
        goal = sum(practice.goal_fit[g] for g in profile.goals) / len(profile.goals)
        presence = _presence(profile, network)
        score = 100 * (
            AUDIENCE_WEIGHT * audience + GOAL_WEIGHT * goal + PRESENCE_WEIGHT * presence
        )
        penalty = practice.video_first and not makes_video(profile)
        if penalty:
            score -= VIDEO_PENALTY
        parts.append(
            ScoreParts(
                network,
                raw_reach[network],
                audience,
                goal,
                presence,
                max(0, round(score)),
                penalty,
            )
        )
    return sorted(parts, key=lambda p: (-p.score, NETWORK_ORDER.index(p.network)))
