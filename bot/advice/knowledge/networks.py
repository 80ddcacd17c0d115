"""Per-network practice: what each network is good for, how often and when to post.

Goal fit and hours per post are our estimates (marked so); frequencies and times come
from the sources named on each row.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.advice.knowledge import sources as src
from bot.advice.models import Source
from bot.domain.method import NETWORKS

NETWORK_ORDER = NETWORKS
"""Networks in the wizard's order: ties in scores and schedules break by it."""


@dataclass(frozen=True, slots=True)
class NetworkPractice:
    network: str
    goal_fit: dict[str, float]
    """Goal family (a..d) -> 0..1, our estimate of how well the network serves it."""
    posts_min: int
    posts_max: int
    """Posts per week the sources suggest for an organisation's page."""
    frequency_sources: tuple[Source, ...]
    days: tuple[int, ...]
    """Preferred weekdays, 0 = Monday, best first."""
    times: tuple[str, ...]
    """Best local times, best first."""
    timing_sources: tuple[Source, ...]
    video_first: bool = False
    messenger: bool = False
    """A messenger rather than a feed: good for answers, weak for reach."""


_RU_DAYS = (1, 3, 4, 2, 0, 5, 6)  # Tue, Thu, Fri, Wed, Mon: weekdays beat weekends

PRACTICE: dict[str, NetworkPractice] = {
    p.network: p
    for p in (
        NetworkPractice(
            "vk",
            {"a": 1.0, "b": 0.9, "c": 0.8, "d": 1.0},
            3,
            7,
            (src.FREQ_SUMMARY, src.LIBRARY_VK_STUDY),
            _RU_DAYS,
            ("19:00", "13:00", "21:00", "09:00"),
            (src.VK_PRIME_TIME, src.RU_TIMES, src.POPSTERS_2020),
        ),
        NetworkPractice(
            "ok",
            {"a": 0.8, "b": 0.7, "c": 0.6, "d": 0.8},
            3,
            5,
            (src.FREQ_SUMMARY,),
            _RU_DAYS,
            ("10:00", "13:00", "18:00", "20:00"),
            (src.RU_TIMES, src.POPSTERS_2020, src.MEDIASCOPE_SILVER_2025),
        ),
        NetworkPractice(
            "telegram",
            {"a": 0.8, "b": 0.9, "c": 0.9, "d": 0.7},
            4,
            7,
            (src.TG_FREQ,),
            (1, 2, 3, 4, 0, 5, 6),
            ("11:00", "18:00", "20:00", "10:00"),
            (src.TG_FREQ,),
        ),
        NetworkPractice(
            "max",
            {"a": 0.5, "b": 0.8, "c": 0.6, "d": 0.6},
            3,
            5,
            (src.FREQ_SUMMARY,),
            _RU_DAYS,
            ("11:00", "18:00", "20:00"),
            (src.RU_TIMES,),
            messenger=True,
        ),
        NetworkPractice(
            "dzen",
            {"a": 0.7, "b": 0.2, "c": 0.7, "d": 0.3},
            1,
            3,
            (src.DZEN_2025,),
            (1, 3, 0, 2, 4, 5, 6),
            ("08:00", "12:00", "19:00"),
            (src.DZEN_2025,),
        ),
        NetworkPractice(
            "rutube",
            {"a": 0.5, "b": 0.2, "c": 0.4, "d": 0.2},
            1,
            2,
            (src.FREQ_SUMMARY,),
            (3, 5, 1, 6, 0, 2, 4),
            ("18:00", "20:00"),
            (src.RU_TIMES,),
            video_first=True,
        ),
        NetworkPractice(
            "youtube",
            {"a": 0.6, "b": 0.3, "c": 0.5, "d": 0.3},
            1,
            2,
            (src.FREQ_SUMMARY,),
            (3, 5, 1, 6, 0, 2, 4),
            ("17:00", "19:00"),
            (src.SPROUT_2023,),
            video_first=True,
        ),
        NetworkPractice(
            "tiktok",
            {"a": 0.7, "b": 0.2, "c": 0.2, "d": 0.4},
            3,
            7,
            (src.FREQ_SUMMARY,),
            (2, 1, 3, 6, 4, 0, 5),
            ("17:00", "15:00", "19:00"),
            (src.SPROUT_TIKTOK_2025,),
            video_first=True,
        ),
        NetworkPractice(
            "instagram",
            {"a": 0.8, "b": 0.6, "c": 0.3, "d": 0.7},
            3,
            5,
            (src.FREQ_SUMMARY,),
            (1, 2, 0, 4, 3, 5, 6),
            ("11:00", "10:00", "12:00"),
            (src.SPROUT_2023,),
        ),
        NetworkPractice(
            "facebook",
            {"a": 0.8, "b": 0.8, "c": 0.8, "d": 0.9},
            3,
            5,
            (src.FREQ_SUMMARY, src.RIVAL_IQ_2024),
            (1, 3, 0, 2, 4, 5, 6),
            ("09:00", "11:00", "15:00"),
            (src.SPROUT_FB_2025,),
        ),
        NetworkPractice(
            "whatsapp",
            {"a": 0.3, "b": 1.0, "c": 0.4, "d": 0.6},
            1,
            3,
            (src.FREQ_SUMMARY,),
            (1, 3, 4, 0, 2, 5, 6),
            ("12:00", "18:00"),
            (src.RU_TIMES,),
            messenger=True,
        ),
        NetworkPractice(
            "x",
            {"a": 0.4, "b": 0.5, "c": 0.6, "d": 0.3},
            3,
            7,
            (src.FREQ_SUMMARY,),
            (1, 2, 3, 4, 0, 5, 6),
            ("09:00", "11:00"),
            (src.SPROUT_2023,),
        ),
    )
}

HOURS_PER_POST = 0.5
"""A plain text-and-photo post (domain-facts §5, estimate)."""
HOURS_PER_VIDEO_POST = 1.5
HOURS_PER_ADAPTED_POST = 0.25
"""The same post adapted for a second network (our estimate)."""

# Local times that suit each audience segment (our reading of the Mediascope time-use
# figures and Russian practitioners' commute/lunch/evening heuristic).
SEGMENT_TIMES: dict[str, tuple[str, ...]] = {
    "parents": ("20:30", "09:00", "13:00"),
    "teens": ("16:00", "19:00", "21:00"),
    "youth": ("19:00", "21:00", "13:00"),
    "adults": ("08:30", "12:30", "19:30"),
    "seniors": ("10:00", "12:00", "17:00"),
}
SEGMENT_TIME_SOURCES = (src.RU_TIMES, src.MEDIASCOPE_SILVER_2025)
SEGMENT_TIME_SOURCES_INTL = (src.SPROUT_FB_2025, src.SPROUT_2023)

# Analytics per network: the network's own statistics first (free, and what an admin of a
# page already has), then a third-party tool where the sources name one.
ANALYTICS_TOOLS: dict[str, tuple[str, tuple[Source, ...]]] = {
    "vk": ("vk_stats", (src.TOOLS_RU,)),
    "ok": ("ok_stats", (src.TOOLS_RU,)),
    "telegram": ("tgstat", (src.TOOLS_TG,)),
    "max": ("max_stats", ()),
    "dzen": ("dzen_stats", ()),
    "rutube": ("rutube_stats", ()),
    "youtube": ("youtube_studio", (src.TOOLS_YOUTUBE,)),
    "tiktok": ("tiktok_analytics", ()),
    "instagram": ("meta_suite", (src.TOOLS_META,)),
    "facebook": ("meta_suite", (src.TOOLS_META,)),
    "whatsapp": ("wa_business", ()),
    "x": ("x_analytics", ()),
}
SCHEDULER_TOOLS: dict[str, tuple[str, Source]] = {
    # Networks SMMplanner and the networks' own deferred posts cover in Russia and the CIS.
    **dict.fromkeys(("vk", "ok", "telegram", "max", "dzen"), ("smmplanner", src.SCHEDULERS)),
    **dict.fromkeys(("facebook", "instagram"), ("meta_suite", src.TOOLS_META)),
    **dict.fromkeys(("tiktok", "youtube", "x", "rutube"), ("buffer", src.SCHEDULERS_INTL)),
}

TIME_OF_DAY: dict[str, tuple[str, str]] = {
    "morning": ("07:00", "11:00"),
    "midday": ("11:00", "14:00"),
    "afternoon": ("14:00", "18:00"),
    "evening": ("18:00", "23:00"),
}
