"""A typical week: posting slots per network, in the library's local time, with rubrics.

Times come from every audience segment in proportion to its share (a network with three
posts for readers two-thirds adults and one-third seniors gets two adults' times and one
seniors' time); rubrics rotate value / announcement / conversation, and two networks never
carry the same rubric on the same day unless the librarian chose cross-posting.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.advice.knowledge.networks import NETWORK_ORDER, PRACTICE, SEGMENT_TIMES, TIME_OF_DAY
from bot.advice.knowledge.rubrics import (
    CATEGORY,
    ENGAGE,
    FOR_GOAL,
    FOR_SEGMENT,
    MIX_PARTS,
    PROMO,
    VALUE,
)
from bot.advice.models import PostingSlot, own_rubric
from bot.advice.planning import Plan
from bot.advice.profile import LibraryProfile
from bot.advice.segments import main_segment, segment_shares

MAX_RUBRICS = 8
DEFAULT_RUBRIC = {VALUE: "new_arrivals", ENGAGE: "reader_question", PROMO: "events"}


def rubric_categories(profile: LibraryProfile) -> dict[str, str]:
    """Part of the mix of every rubric, the librarian's own included (events announce)."""
    categories = dict(CATEGORY)
    for text in (*profile.topics_other, *profile.interests_other[:1]):
        categories.setdefault(own_rubric(text), VALUE)
    for text in profile.events_other:
        categories[own_rubric(text)] = PROMO
    return categories


def plan_rubrics(profile: LibraryProfile) -> tuple[tuple[str, ...], dict[str, str]]:
    """The rubrics to run and, for those we added, why.

    Reasons: "goal:a", "segment:seniors", "mix", "typed:topic", "typed:event",
    "typed:interest". The librarian's own typed topics and events come right after her
    chosen rubrics: they are the most specific facts she gave.
    """
    category = rubric_categories(profile)
    chosen = list(profile.topics)
    why: dict[str, str] = {}
    typed = [
        *((own_rubric(t), "typed:topic") for t in profile.topics_other),
        *((own_rubric(t), "typed:event") for t in profile.events_other),
        *((own_rubric(t), "typed:interest") for t in profile.interests_other[:1]),
    ]
    for rubric, reason in typed:
        if rubric not in chosen:
            chosen.append(rubric)
            why[rubric] = reason
    for goal in profile.goals:
        for rubric in FOR_GOAL[goal]:
            if rubric not in chosen:
                chosen.append(rubric)
                why[rubric] = f"goal:{goal}"
    segment = main_segment(profile)
    for rubric in FOR_SEGMENT[segment]:
        if rubric not in chosen:
            chosen.append(rubric)
            why[rubric] = f"segment:{segment}"
    for part in MIX_PARTS:
        if not any(category[r] == part for r in chosen):
            chosen.append(DEFAULT_RUBRIC[part])
            why[DEFAULT_RUBRIC[part]] = "mix"
    # Keep the user's own first, then the additions, but every part of the mix present.
    kept = chosen[:MAX_RUBRICS]
    for part in MIX_PARTS:
        if any(category[r] == part for r in kept):
            continue
        extra = next(r for r in chosen if category[r] == part)
        # Replace the last added rubric of a part that has more than one.
        for i in range(len(kept) - 1, -1, -1):
            if sum(category[x] == category[kept[i]] for x in kept) > 1:
                kept[i] = extra
                break
    return tuple(dict.fromkeys(kept)), {r: w for r, w in why.items() if r in kept}


def _in_windows(time: str, windows: tuple[str, ...]) -> bool:
    return any(TIME_OF_DAY[w][0] <= time < TIME_OF_DAY[w][1] for w in windows)


def candidate_times(
    profile: LibraryProfile, network: str, segment: str | None = None
) -> tuple[str, ...]:
    """Times for one segment's readers on a network, best first, within the staff's hours."""
    segment = segment or main_segment(profile)
    times = list(dict.fromkeys(SEGMENT_TIMES[segment] + PRACTICE[network].times))
    if profile.times:
        fitting = [t for t in times if _in_windows(t, profile.times)]
        if not fitting:
            # None of the usual peaks falls in the hours the staff can post: an hour into
            # each window they named.
            fitting = [f"{int(TIME_OF_DAY[w][0][:2]) + 1:02d}:00" for w in profile.times]
        times = fitting
    return tuple(times)


def segment_turns(profile: LibraryProfile, count: int) -> list[str]:
    """Which segment each of ``count`` posts is timed for, by share (largest remainder),
    spread over the week rather than bunched."""
    shares = [(s, share) for s, share in segment_shares(profile) if share > 0]
    if not shares or count <= 0:
        return [main_segment(profile)] * max(0, count)
    total = sum(share for _, share in shares)
    exact = [(s, count * share / total) for s, share in shares]
    seats = {s: int(x) for s, x in exact}
    left = count - sum(seats.values())
    for s, _ in sorted(exact, key=lambda sx: -(sx[1] - int(sx[1])))[:left]:
        seats[s] += 1
    order: list[str] = []
    while len(order) < count:
        for s, _ in shares:
            if seats[s] > 0:
                order.append(s)
                seats[s] -= 1
    return order


def _days(network: str, count: int) -> list[int]:
    preferred = PRACTICE[network].days
    if count <= len(preferred):
        return sorted(preferred[:count])
    per_day, extra = divmod(count, 7)
    days = [d for d in range(7) for _ in range(per_day)]
    days += sorted(preferred[:extra])
    return sorted(days)


def _rotation(rubrics: tuple[str, ...], category: Mapping[str, str]) -> list[str]:
    """Rubrics in value / promo / engagement turns: a third each (rule of thirds)."""
    parts = {part: [r for r in rubrics if category.get(r, VALUE) == part] for part in MIX_PARTS}
    longest = max(len(v) for v in parts.values()) or 1
    order: list[str] = []
    for i in range(longest * len(MIX_PARTS)):
        part = MIX_PARTS[i % len(MIX_PARTS)]
        pool = parts[part]
        if pool:
            order.append(pool[(i // len(MIX_PARTS)) % len(pool)])
    return order or list(rubrics)


def _times(profile: LibraryProfile, plan: Plan) -> list[tuple[str, int, str, str]]:
    """(network, day, time, segment) for every post of the week."""
    taken: set[tuple[int, str]] = set()
    raw: list[tuple[str, int, str, str]] = []
    for network, count in plan.posts.items():
        own_times: set[tuple[int, str]] = set()
        for day, segment in zip(_days(network, count), segment_turns(profile, count), strict=True):
            times = candidate_times(profile, network, segment)
            free = [t for t in times if (day, t) not in taken and (day, t) not in own_times]
            mine = [t for t in times if (day, t) not in own_times]
            time = (free or mine or list(times))[0]
            taken.add((day, time))
            own_times.add((day, time))
            raw.append((network, day, time, segment))
    return raw


def build_week(
    profile: LibraryProfile, plan: Plan, rubrics: tuple[str, ...], week: int = 0
) -> tuple[PostingSlot, ...]:
    """Slots of one week; ``week`` moves the rubric rotation on so weeks differ."""
    category = rubric_categories(profile)
    rotation = _rotation(rubrics, category)
    raw = _times(profile, plan)
    main = plan.chosen[0] if plan.chosen else ""
    main_posts = plan.posts.get(main, 0)
    turn = week * max(1, main_posts)
    used: dict[int, list[str]] = {}
    main_by_day: dict[int, str] = {}
    slots: list[PostingSlot] = []
    ordered = sorted(raw, key=lambda r: (r[0] != main, r[1], r[2]))
    for network, day, time, _segment in ordered:
        if network != main and profile.crosspost and day in main_by_day:
            rubric = main_by_day[day]
        else:
            # The next rubric of the rotation that no other network carries that day.
            today = used.get(day, [])
            for step in range(len(rotation)):
                rubric = rotation[(turn + step) % len(rotation)]
                if rubric not in today:
                    break
            else:
                rubric = rotation[turn % len(rotation)]
            turn += 1
            if network == main:
                main_by_day.setdefault(day, rubric)
        used.setdefault(day, []).append(rubric)
        slots.append(PostingSlot(network, day, time, rubric))
    slots.sort(key=lambda s: (s.weekday, s.time, NETWORK_ORDER.index(s.network)))
    return tuple(slots)


def mix_shares(
    slots: tuple[PostingSlot, ...], category: Mapping[str, str] = CATEGORY
) -> dict[str, int]:
    """Percent of slots in each part of the mix."""
    if not slots:
        return dict.fromkeys(MIX_PARTS, 0)
    counts = {
        part: sum(1 for s in slots if category.get(s.rubric, VALUE) == part) for part in MIX_PARTS
    }
    return {part: round(100 * n / len(slots)) for part, n in counts.items()}
