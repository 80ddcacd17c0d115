"""The first two weeks: what to do, by which day, in order (pure).

``first_steps(profile, plan, rubrics)`` -> tuple of ChecklistItem. New pages are created,
existing ones tidied; official marks are set up only where the law binds the library;
the FAQ is pinned; the first posts come from the plan's own rubrics.
"""

from __future__ import annotations

from bot.advice.models import ChecklistItem, Msg, MsgList, rubric_label
from bot.advice.planning import Plan
from bot.advice.profile import LibraryProfile
from bot.advice.rules.common import msg, option, options, plural
from bot.advice.rules.networks import parent_label


def _step(day: int, action: Msg, why: Msg) -> ChecklistItem:
    return ChecklistItem(day, action, why)


def first_steps(
    profile: LibraryProfile, plan: Plan, rubrics: tuple[str, ...]
) -> tuple[ChecklistItem, ...]:
    steps: list[ChecklistItem] = []
    new = [n for n in plan.chosen if n not in profile.net_current]
    have = [n for n in plan.chosen if n in profile.net_current]
    if new:
        steps.append(
            _step(
                1,
                msg("advice.first.create", networks=options("net", new)),
                msg("advice.first.why.create"),
            )
        )
    if have:
        steps.append(
            _step(
                1,
                msg("advice.first.tidy", networks=options("net", have)),
                msg("advice.first.why.tidy"),
            )
        )
    if profile.russian_public and "vk" in plan.chosen:
        steps.append(_step(2, msg("advice.first.gosorg"), msg("advice.first.why.gosorg")))
    if profile.russian_department:
        steps.append(
            _step(
                2,
                msg("advice.first.department", parent=parent_label(profile)),
                msg("advice.first.why.department"),
            )
        )
    steps.append(_step(3, msg("advice.first.faq"), msg("advice.first.why.faq")))
    steps.append(_step(3, msg("advice.first.rules"), msg("advice.first.why.rules")))
    first = rubrics[:2]
    main = plan.chosen[0] if plan.chosen else "vk"
    steps.append(
        _step(
            4,
            msg(
                "advice.first.posts",
                network=option("net", main),
                rubrics=MsgList(tuple(rubric_label(r) for r in first)),
            ),
            msg("advice.first.why.posts"),
        )
    )
    steps.append(
        _step(
            5,
            plural("advice.first.schedule", "posts", posts=plan.posts.get(main, 0)),
            msg("advice.first.why.schedule"),
        )
    )
    if profile.partners and "none" not in profile.partners:
        steps.append(_step(8, msg("advice.first.partners"), msg("advice.first.why.partners")))
    steps.append(_step(14, msg("advice.first.baseline"), msg("advice.first.why.baseline")))
    return tuple(steps)
