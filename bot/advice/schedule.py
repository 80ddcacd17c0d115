"""A typical week: posting slots per network, in the library's local time, with rubrics."""

from __future__ import annotations

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
from bot.advice.models import PostingSlot
from bot.advice.planning import Plan
from bot.advice.profile import LibraryProfile
from bot.advice.segments import main_segment

MAX_RUBRICS = 7
DEFAULT_RUBRIC = {VALUE: "new_arrivals", ENGAGE: "reader_question", PROMO: "events"}


def plan_rubrics(profile: LibraryProfile) -> tuple[tuple[str, ...], dict[str, str]]:
    """The rubrics to run and, for those we added, why ("goal:a", "segment:seniors", "mix")."""
    chosen = list(profile.topics)
    why: dict[str, str] = {}
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
        if not any(CATEGORY[r] == part for r in chosen):
            chosen.append(DEFAULT_RUBRIC[part])
            why[DEFAULT_RUBRIC[part]] = "mix"
    # Keep the user's own first, then the additions, but every part of the mix present.
    kept = chosen[:MAX_RUBRICS]
    for part in MIX_PARTS:
        if any(CATEGORY[r] == part for r in kept):
            continue
        extra = next(r for r in chosen if CATEGORY[r] == part)
        # Replace the last rubric of a part that has more than one.
        for i in range(len(kept) - 1, -1, -1):
            if sum(CATEGORY[x] == CATEGORY[kept[i]] for x in kept) > 1:
                kept[i] = extra
                break
    return tuple(dict.fromkeys(kept)), {r: w for r, w in why.items() if r in kept}


def _in_windows(time: str, windows: tuple[str, ...]) -> bool:
    return any(TIME_OF_DAY[w][0] <= time < TIME_OF_DAY[w][1] for w in windows)


def candidate_times(profile: LibraryProfile, network: str) -> tuple[str, ...]:
    times = list(dict.fromkeys(SEGMENT_TIMES[main_segment(profile)] + PRACTICE[network].times))
    if profile.times:
        fitting = [t for t in times if _in_windows(t, profile.times)]
        if not fitting:
            # None of the usual peaks falls in the hours the staff can post: an hour into
            # each window they named.
            fitting = [f"{int(TIME_OF_DAY[w][0][:2]) + 1:02d}:00" for w in profile.times]
        times = fitting
    return tuple(times)


def _days(network: str, count: int) -> list[int]:
    preferred = PRACTICE[network].days
    if count <= len(preferred):
        return sorted(preferred[:count])
    per_day, extra = divmod(count, 7)
    days = [d for d in range(7) for _ in range(per_day)]
    days += sorted(preferred[:extra])
    return sorted(days)


def _rotation(rubrics: tuple[str, ...]) -> list[str]:
    """Rubrics in value / promo / engagement turns: a third each (rule of thirds)."""
    parts = {part: [r for r in rubrics if CATEGORY[r] == part] for part in MIX_PARTS}
    longest = max(len(v) for v in parts.values()) or 1
    order: list[str] = []
    for i in range(longest * len(MIX_PARTS)):
        part = MIX_PARTS[i % len(MIX_PARTS)]
        pool = parts[part]
        if pool:
            order.append(pool[(i // len(MIX_PARTS)) % len(pool)])
    return order or list(rubrics)


def build_week(
    profile: LibraryProfile, plan: Plan, rubrics: tuple[str, ...], week: int = 0
) -> tuple[PostingSlot, ...]:
    """Slots of one week; ``week`` moves the rubric rotation on so weeks differ."""
    taken: set[tuple[int, str]] = set()
    raw: list[tuple[str, int, str]] = []
    for network, count in plan.posts.items():
        times = candidate_times(profile, network)
        used_today: dict[int, int] = {}
        for day in _days(network, count):
            index = used_today.get(day, 0)
            free = [t for t in times[index:] if (day, t) not in taken] or list(times[index:])
            time = free[0] if free else times[-1]
            used_today[day] = times.index(time) + 1 if time in times else index + 1
            taken.add((day, time))
            raw.append((network, day, time))
    raw.sort(key=lambda r: (r[1], r[2], NETWORK_ORDER.index(r[0])))
    rotation = _rotation(rubrics)
    main = plan.chosen[0] if plan.chosen else ""
    main_by_day: dict[int, str] = {}
    slots: list[PostingSlot] = []
    main_posts = plan.posts.get(main, 0)
    turn = week * main_posts
    # The main network's posts set the day's rubric; other networks adapt the same post.
    for network, day, time in sorted(raw, key=lambda r: r[0] != main):
        if network != main and day in main_by_day:
            rubric = main_by_day[day]
        else:
            rubric = rotation[turn % len(rotation)]
            turn += 1
            if network == main:
                main_by_day.setdefault(day, rubric)
        slots.append(PostingSlot(network, day, time, rubric))
    slots.sort(key=lambda s: (s.weekday, s.time, NETWORK_ORDER.index(s.network)))
    return tuple(slots)


def mix_shares(slots: tuple[PostingSlot, ...]) -> dict[str, int]:
    """Percent of slots in each part of the mix."""
    if not slots:
        return dict.fromkeys(MIX_PARTS, 0)
    counts = {part: sum(1 for s in slots if CATEGORY[s.rubric] == part) for part in MIX_PARTS}
    return {part: round(100 * n / len(slots)) for part, n in counts.items()}
