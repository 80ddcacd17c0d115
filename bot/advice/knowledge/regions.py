"""Regional rules for official pages of state and municipal institutions (domain-facts §4.3).

They add to the federal rule (VK and OK): more required networks, a higher weekly minimum
and duties of their own. A region is recognised in the free-text answer by name patterns:
regular expressions, case-insensitive, that must start at a word start. They name the
region itself (or a city that can only be in it), not every word of the same root, so a
"Башкирская улица" in another city or "Петербургское шоссе" in Tver is no match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.advice.knowledge import sources as src
from bot.advice.models import Source


@dataclass(frozen=True, slots=True)
class RegionalDuty:
    id: str
    """Locale keys ``advice.regional.duty.<id>`` and ``advice.regional.reason.<id>``."""
    step: str
    """The method step whose advice lists it: "communication" or "resources"."""


@dataclass(frozen=True, slots=True)
class RegionalRule:
    region: str
    """Id; the locale key ``advice.regional.of.<region>`` names it ("of Bashkortostan")."""
    patterns: tuple[str, ...]
    networks: tuple[str, ...]
    """Networks where an official page is required, in the order the rule lists them."""
    min_posts: int
    """Posts a week on every official page."""
    duties: tuple[RegionalDuty, ...]
    sources: tuple[Source, ...]

    @property
    def secondary(self) -> bool:
        """Known only from news reports: the regional act itself was not found."""
        return all(source.secondary for source in self.sources)

    def matches(self, text: str) -> bool:
        return any(re.search(rf"(?<!\w){p}", text, re.IGNORECASE) for p in self.patterns)


REGIONAL_RULES: tuple[RegionalRule, ...] = (
    RegionalRule(
        "bashkortostan",
        (
            r"башкортостан",
            r"башкири[яиюей]\b",  # Башкирия in any case, but not the adjective "башкирская"
            r"башкирская\s+республик",
            r"уфа\b",  # the capital; "Верхний Уфалей" (Chelyabinsk oblast) stays out
            r"bashkortostan",
            r"bashkiri(?:a|ya)\b",
            r"bashkir\s+republic",
            r"ufa\b",
        ),
        ("ok", "vk", "max", "telegram"),
        3,
        (
            RegionalDuty("plain_language", "communication"),
            RegionalDuty("passwords", "resources"),
        ),
        (src.BASHKORTOSTAN_RULES_2025,),
    ),
    RegionalRule(
        "spb",
        (
            # Санкт-Петербург, С.-Петербург, Петербург in any case; not "Петербургское шоссе".
            r"петербург(?:а|у|ом|е)?\b",
            r"спб\b",
            r"питер\b",
            r"peters?burg\b",  # St/Saint Petersburg, Sankt-Peterburg
            r"spb\b",
        ),
        ("vk",),
        4,  # "more than three posts a week"
        (RegionalDuty("gospubliki", "resources"),),
        (src.SPB_RULES_2024, src.SPB_VK_2024),
    ),
)


def find_region(text: str) -> RegionalRule | None:
    """The rule of the region the text names; none when it names none or several."""
    found = [rule for rule in REGIONAL_RULES if rule.matches(text)]
    return found[0] if len(found) == 1 else None
