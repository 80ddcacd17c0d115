"""How many people of each age use each network, per country profile.

Values are shares 0..1 of the age group. Where a study has a figure it is used as is;
gaps between published age bands are filled by us and the row is marked as an estimate.
Figures of different studies are not comparable (daily reach vs "ever use"); the engine
only compares networks within one profile, never across profiles.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.advice.knowledge import sources as src
from bot.advice.models import Source
from bot.domain.method import AGE_GROUPS

AGES = AGE_GROUPS


@dataclass(frozen=True, slots=True)
class ReachRow:
    network: str
    by_age: tuple[float, ...]
    """Share of each age group in AGES order."""
    sources: tuple[Source, ...]
    estimate: bool = False

    def at(self, age: str) -> float:
        return self.by_age[AGES.index(age)]


# Russia: Mediascope daily reach. Telegram has the full 2024 split; VK and OK only for the
# young, the rest is our interpolation from overall reach (VK 43%, OK ~15% daily of 12+) and
# OK's older, more female audience (FOM 2021, Silver Age forum 2025).
RU: tuple[ReachRow, ...] = (
    ReachRow(
        "telegram",
        (0.2, 0.8, 0.8, 0.61, 0.57, 0.48, 0.29, 0.12),
        (src.MEDIASCOPE_TG_AGE_2024, src.MEDIASCOPE_AGE_2023),
    ),
    ReachRow(
        "vk",
        (0.3, 0.63, 0.67, 0.64, 0.5, 0.4, 0.3, 0.2),
        (src.MEDIASCOPE_AGE_2024, src.MEDIASCOPE_AGE_2023),
        estimate=True,
    ),
    ReachRow(
        "ok",
        (0.02, 0.05, 0.08, 0.15, 0.22, 0.32, 0.42, 0.38),
        (src.MEDIASCOPE_AGE_2024, src.MEDIASCOPE_SILVER_2025, src.FOM_2021),
        estimate=True,
    ),
    ReachRow(
        "whatsapp",
        (0.1, 0.5, 0.65, 0.76, 0.77, 0.7, 0.55, 0.4),
        (src.MEDIASCOPE_AGE_2023,),
        estimate=True,
    ),
    ReachRow(
        "max",
        (0.02, 0.05, 0.06, 0.07, 0.07, 0.06, 0.05, 0.03),
        (src.MEDIASCOPE_REACH_2025, src.MAX_2025),
        estimate=True,
    ),
    ReachRow(
        "dzen", (0.02, 0.1, 0.18, 0.22, 0.24, 0.24, 0.2, 0.12), (src.DZEN_2025,), estimate=True
    ),
    ReachRow(
        "rutube",
        (0.03, 0.06, 0.06, 0.06, 0.06, 0.06, 0.05, 0.03),
        (src.VK_VIDEO_2026,),
        estimate=True,
    ),
    ReachRow(
        "youtube",
        (0.15, 0.2, 0.2, 0.17, 0.15, 0.13, 0.1, 0.06),
        (src.VK_VIDEO_2026,),
        estimate=True,
    ),
    ReachRow(
        "tiktok",
        (0.2, 0.61, 0.54, 0.25, 0.15, 0.08, 0.05, 0.03),
        (src.MEDIASCOPE_AGE_2024,),
        estimate=True,
    ),
    ReachRow("x", (0.0, 0.01, 0.02, 0.02, 0.01, 0.01, 0.0, 0.0), (), estimate=True),
    # Blocked in Russia: kept for completeness, never recommended there (see rules).
    ReachRow(
        "instagram",
        (0.02, 0.05, 0.06, 0.06, 0.05, 0.03, 0.02, 0.01),
        (src.MEDIASCOPE_REACH_2025,),
        estimate=True,
    ),
    ReachRow(
        "facebook",
        (0.0, 0.01, 0.01, 0.02, 0.02, 0.02, 0.01, 0.01),
        (src.MEDIASCOPE_REACH_2025,),
        estimate=True,
    ),
)

# United States (and the default for other countries): Pew "ever use" by age, teens from
# Pew's teen survey; the 0-13 column stands for the parents (children are addressed through
# them, see rules.audience).
INTL: tuple[ReachRow, ...] = (
    ReachRow(
        "youtube",
        (0.9, 0.9, 0.95, 0.92, 0.92, 0.83, 0.7, 0.6),
        (src.PEW_2025, src.PEW_2023, src.PEW_TEENS_2024),
        estimate=True,
    ),
    ReachRow(
        "facebook",
        (0.75, 0.32, 0.67, 0.75, 0.75, 0.72, 0.7, 0.6),
        (src.PEW_2025, src.PEW_2023, src.PEW_TEENS_2024),
        estimate=True,
    ),
    ReachRow(
        "instagram",
        (0.6, 0.61, 0.8, 0.62, 0.55, 0.4, 0.3, 0.19),
        (src.PEW_2025, src.PEW_2023, src.PEW_TEENS_2024),
        estimate=True,
    ),
    ReachRow(
        "tiktok",
        (0.4, 0.63, 0.63, 0.45, 0.35, 0.25, 0.15, 0.1),
        (src.PEW_2025, src.PEW_2023, src.PEW_TEENS_2024),
        estimate=True,
    ),
    ReachRow(
        "whatsapp",
        (0.38, 0.23, 0.32, 0.38, 0.38, 0.3, 0.25, 0.2),
        (src.PEW_2025, src.PEW_2023),
        estimate=True,
    ),
    ReachRow(
        "x",
        (0.2, 0.17, 0.3, 0.25, 0.22, 0.18, 0.15, 0.1),
        (src.PEW_2025, src.PEW_TEENS_2024),
        estimate=True,
    ),
    ReachRow("telegram", (0.05, 0.05, 0.08, 0.08, 0.06, 0.04, 0.03, 0.02), (), estimate=True),
    ReachRow("vk", (0.0, 0.0, 0.01, 0.01, 0.01, 0.0, 0.0, 0.0), (), estimate=True),
    ReachRow("ok", (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), (), estimate=True),
    ReachRow("max", (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), (), estimate=True),
    ReachRow("dzen", (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), (), estimate=True),
    ReachRow("rutube", (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), (), estimate=True),
)


@dataclass(frozen=True, slots=True)
class CountryReach:
    """Overall shares for one Russian-speaking country; age tilt comes from AGE_TILT."""

    country: str
    shares: dict[str, float]
    sources: tuple[Source, ...]


CIS: tuple[CountryReach, ...] = (
    CountryReach(
        "by",
        {
            "instagram": 0.33,
            "youtube": 0.25,
            "ok": 0.25,
            "vk": 0.22,
            "tiktok": 0.15,
            "telegram": 0.34,
            "whatsapp": 0.28,
            "facebook": 0.05,
            "x": 0.01,
            "dzen": 0.03,
            "rutube": 0.02,
            "max": 0.01,
        },
        (src.BELARUS_2024,),
    ),
    CountryReach(
        "kz",
        {
            "whatsapp": 0.89,
            "instagram": 0.8,
            "tiktok": 0.64,
            "telegram": 0.25,
            "facebook": 0.09,
            "vk": 0.05,
            "youtube": 0.5,
            "ok": 0.05,
            "x": 0.02,
            "dzen": 0.02,
            "rutube": 0.01,
            "max": 0.0,
        },
        (src.KAZAKHSTAN_2024, src.KAZNU_2025),
    ),
    CountryReach(
        "uz",
        {
            "telegram": 0.7,
            "instagram": 0.6,
            "youtube": 0.4,
            "tiktok": 0.3,
            "facebook": 0.15,
            "whatsapp": 0.15,
            "ok": 0.1,
            "vk": 0.05,
            "x": 0.01,
            "dzen": 0.01,
            "rutube": 0.01,
            "max": 0.0,
        },
        (src.KAZNU_2025, src.CA_BAROMETER_2023),
    ),
    CountryReach(
        "kg",
        {
            "whatsapp": 0.9,
            "ok": 0.35,
            "instagram": 0.3,
            "facebook": 0.13,
            "tiktok": 0.3,
            "youtube": 0.4,
            "telegram": 0.2,
            "vk": 0.1,
            "x": 0.01,
            "dzen": 0.01,
            "rutube": 0.01,
            "max": 0.0,
        },
        (src.KYRGYZSTAN_2018, src.CA_BAROMETER_2023),
    ),
)

# Multiplier per age group for the CIS profile (our estimate from the Russian and US age
# curves: young skew for TikTok/Instagram/Telegram, older skew for OK/Facebook).
AGE_TILT: dict[str, tuple[float, ...]] = {
    "tiktok": (0.8, 1.6, 1.5, 1.0, 0.7, 0.5, 0.3, 0.2),
    "instagram": (0.8, 1.3, 1.4, 1.2, 1.0, 0.8, 0.6, 0.4),
    "telegram": (0.6, 1.3, 1.3, 1.1, 1.0, 0.9, 0.6, 0.3),
    "ok": (0.2, 0.3, 0.4, 0.7, 1.0, 1.3, 1.5, 1.4),
    "facebook": (0.9, 0.5, 0.8, 1.0, 1.1, 1.1, 1.1, 1.0),
    "youtube": (1.2, 1.2, 1.2, 1.1, 1.0, 0.9, 0.8, 0.6),
}


def reach_rows(profile: str, country: str) -> dict[str, ReachRow]:
    """Age reach per network for a knowledge profile ("ru", "cis", "intl")."""
    if profile == "ru":
        return {row.network: row for row in RU}
    if profile == "cis":
        data = next((c for c in CIS if c.country == country), CIS[0])
        rows = {}
        for network, share in data.shares.items():
            tilt = AGE_TILT.get(network, (1.0,) * len(AGES))
            by_age = tuple(min(1.0, round(share * factor, 3)) for factor in tilt)
            rows[network] = ReachRow(network, by_age, data.sources, estimate=True)
        return rows
    return {row.network: row for row in INTL}
