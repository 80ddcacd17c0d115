"""Which networks, how many posts, and how many hours that takes.

Hours follow the derived formula of domain-facts §5 (an estimate): posts x hours per post
+ planning + analytics + moderation, scaled down for a small library's programme.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.advice.knowledge.networks import (
    HOURS_PER_ADAPTED_POST,
    HOURS_PER_POST,
    HOURS_PER_VIDEO_POST,
    PRACTICE,
)
from bot.advice.knowledge.regions import RegionalRule, find_region
from bot.advice.models import HoursEstimate
from bot.advice.profile import LibraryProfile
from bot.advice.scoring import ScoreParts, score_networks

BANNED_IN_RUSSIA = ("instagram", "facebook")
MANDATORY_RU_PUBLIC = ("vk", "ok")
OFFICIAL_PAGE_MIN_POSTS = 1
"""Posts a week that keep an official page current where no regional rule sets a number.

The federal law (270-FZ) asks for current information, not a frequency: one post a week
is our estimate of the least that keeps a page alive; regions that set a number (at least
three a week) raise it, see knowledge.regions."""
MIN_SCORE = 50
"""Below this a network fits neither the readers nor the goals well enough to add."""


def network_cap(hours: int) -> int:
    """How many networks the weekly hours can keep alive (our estimate)."""
    if hours <= 3:
        return 1
    if hours <= 7:
        return 2
    if hours <= 14:
        return 3
    if hours <= 24:
        return 4
    return 5


def banned(profile: LibraryProfile) -> tuple[str, ...]:
    return BANNED_IN_RUSSIA if profile.country == "ru" else ()


def regional_rule(profile: LibraryProfile) -> RegionalRule | None:
    """The rules of the library's region, for a Russian state or municipal library only.

    The region answer is optional; a library that left it empty is looked up by its
    settlement, since St Petersburg is a city and a region at once.
    """
    if not profile.russian_public:
        return None
    return find_region(profile.region or profile.settlement)


def mandatory(profile: LibraryProfile) -> tuple[str, ...]:
    """Networks of the official pages: the federal two, then those the region adds."""
    if not profile.russian_public:
        return ()
    rule = regional_rule(profile)
    return tuple(dict.fromkeys(MANDATORY_RU_PUBLIC + (rule.networks if rule else ())))


def official_min_posts(profile: LibraryProfile) -> int:
    """Posts a week on each official page: the region's minimum where it is higher."""
    rule = regional_rule(profile)
    return max(OFFICIAL_PAGE_MIN_POSTS, rule.min_posts) if rule else OFFICIAL_PAGE_MIN_POSTS


def group_like(profile: LibraryProfile, network: str) -> bool:
    """Pages where readers talk (groups, chats) need more moderation than channels."""
    if network in {"ok", "whatsapp", "max"}:
        return True
    return network == "vk" and profile.discussion == "posts_and_talk"


def estimate_hours(
    profile: LibraryProfile, posts: dict[str, int], *, adapt: bool = True
) -> HoursEstimate:
    """Weekly hours of a plan; the first network is the main one, others adapt its posts."""
    long_share = 0.3 if {"reviews", "local_history", "staff_picks"} & set(profile.topics) else 0
    base = HOURS_PER_POST + long_share * 1.0
    post_hours = 0.0
    primary = 0
    for index, (network, count) in enumerate(posts.items()):
        if PRACTICE[network].video_first:
            post_hours += count * HOURS_PER_VIDEO_POST
            continue
        if index == 0 or not adapt:
            post_hours += count * base
            primary = max(primary, count)
            continue
        adapted = min(count, primary)
        post_hours += adapted * HOURS_PER_ADAPTED_POST + (count - adapted) * base
    n = len(posts)
    planning = min(3.5, 0.25 + 0.25 * n)
    analytics = min(3.5, 0.25 * n)
    moderation = sum(0.5 if group_like(profile, net) else 0.25 for net in posts)
    if "b" in profile.goals:
        moderation += 0.5
    moderation += min(3.0, profile.followers / 5000)
    return HoursEstimate(
        posts=round(post_hours, 2),
        planning=round(planning, 2),
        analytics=round(analytics, 2),
        moderation=round(moderation, 2),
        available=profile.hours,
    )


@dataclass(frozen=True, slots=True)
class Plan:
    scores: tuple[ScoreParts, ...]
    chosen: tuple[str, ...]
    posts: dict[str, int]
    hours: HoursEstimate
    cap: int
    wanted: tuple[str, ...]
    """Networks the library is on or considers (minus the banned ones)."""
    wanted_hours: HoursEstimate
    """The library's own wish: its frequency on every network of the plan."""
    dropped_for_hours: tuple[str, ...]
    """Good networks left out only because of the hours."""
    reduced_for_hours: tuple[str, ...] = ()
    """Networks whose posts were cut below the planned frequency to fit the hours."""


def _start_posts(profile: LibraryProfile, network: str, score: int) -> int:
    practice = PRACTICE[network]
    posts = min(max(profile.frequency, practice.posts_min), practice.posts_max)
    if network in mandatory(profile):
        # A mandatory page the readers hardly use gets the official minimum, no more.
        minimum = official_min_posts(profile)
        posts = minimum if score < MIN_SCORE else max(posts, minimum)
    return posts


def _fit_posts(profile: LibraryProfile, posts: dict[str, int]) -> dict[str, int]:
    """Cut posts, from the biggest count, until the hours suffice.

    Optional secondary networks give way first, then the main network if it is optional,
    then official pages down to their legal minimum; only then anything (the shortfall is
    flagged as a conflict by the rules).
    """
    posts = dict(posts)
    names = list(posts)
    must = set(mandatory(profile))
    floor = official_min_posts(profile)

    def reducible() -> list[str]:
        for candidates in (
            [n for n in names[1:] if n not in must],
            [n for n in names[:1] if n not in must],
        ):
            if found := [n for n in candidates if posts[n] > 1]:
                return found
        return [n for n in names if n in must and posts[n] > floor] or [
            n for n in names if posts[n] > 1
        ]

    while estimate_hours(profile, posts).total > profile.hours:
        cuttable = reducible()
        if not cuttable:
            break
        biggest = max(cuttable, key=lambda n: (posts[n], names.index(n)))
        posts[biggest] -= 1
    return posts


def make_plan(profile: LibraryProfile) -> Plan:
    scores = tuple(score_networks(profile))
    excluded = set(banned(profile))
    must = mandatory(profile)
    cap = max(network_cap(profile.hours), len(must))
    # Video platforms only for libraries that make video; weak fits are not worth the hours.
    eligible = [
        p.network
        for p in scores
        if p.network not in excluded and not p.video_penalty and p.score >= MIN_SCORE
    ] or [next(p.network for p in scores if p.network not in excluded)]
    chosen = list(must)
    for network in eligible:
        if len(chosen) >= cap:
            break
        if network not in chosen:
            chosen.append(network)
    # The main network (first) is the best-scored one among the chosen.
    order = [p.network for p in scores]
    chosen.sort(key=order.index)
    by_name = {p.network: p.score for p in scores}
    start = {n: _start_posts(profile, n, by_name[n]) for n in chosen}
    posts = _fit_posts(profile, start)
    wanted = tuple(
        n
        for n in order
        if (n in profile.net_current or n in profile.net_considered) and n not in excluded
    ) or tuple(chosen)
    # Only what the plan contains: a network the librarian merely considers is no burden.
    wanted_hours = estimate_hours(profile, {n: profile.frequency for n in chosen})
    runner_ups = [n for n in eligible if n not in chosen]
    return Plan(
        scores=scores,
        chosen=tuple(chosen),
        posts=posts,
        hours=estimate_hours(profile, posts),
        cap=cap,
        wanted=wanted,
        wanted_hours=wanted_hours,
        dropped_for_hours=tuple(runner_ups[:2]),
        reduced_for_hours=tuple(n for n in chosen if posts[n] < start[n]),
    )


def top_channel(profile: LibraryProfile, plan: Plan) -> str | None:
    """The network most people of the readers' ages use in the country, when not in the plan.

    Reach is the weighted share before the messenger discount: a country's most used
    channel is often a messenger (WhatsApp in Kazakhstan), and readers are there.
    """
    excluded = set(banned(profile))
    ranked = sorted(
        (p for p in plan.scores if p.network not in excluded),
        key=lambda p: (-p.reach, p.network),
    )
    if not ranked or ranked[0].network in plan.chosen or ranked[0].reach <= 0:
        return None
    return ranked[0].network


def hours_with(profile: LibraryProfile, plan: Plan, network: str) -> HoursEstimate:
    """The plan's hours with ``network`` added at the lowest frequency its sources advise."""
    posts = {**plan.posts, network: PRACTICE[network].posts_min}
    return estimate_hours(profile, posts)
