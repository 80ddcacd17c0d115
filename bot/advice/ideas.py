"""Ready post ideas for each rubric, filled with the library's own facts.

Public API (pure and deterministic, no Telegram; the weekly plan builds drafts on it)::

    post_ideas(profile: LibraryProfile, rubric: str) -> list[PostIdea]

``profile`` is ``bot.advice.profile.read_profile(answers)``; ``rubric`` is one of
``StrategyAdvice.rubrics``: a ``cnt_topics`` value ("events", "local_history"…) or
``"own:<text>"`` for a rubric the librarian typed herself. It returns two ideas per rubric
(``IDEAS_PER_RUBRIC``), each a :class:`~bot.advice.models.PostIdea`: a headline and a body
skeleton (what to write, then the call to action), as messages of the ``advice.idea.*``
catalog keys with these parameters, all always present:

- ``name`` and ``settlement``: the library's name and place as typed;
- ``interest``: one of the readers' interests (typed ones first), rotating per idea;
- ``event``: one of the library's events (typed ones first), rotating per idea;
- ``topic``: the rubric's own name (the typed text for an own rubric).

``advice_ideas(profile, rubrics)`` gives the mapping ``StrategyAdvice.post_ideas`` holds.
Render a message with ``bot.advice.render(msg, t)``.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.advice.knowledge.rubrics import CATEGORY, VALUE
from bot.advice.models import OWN_RUBRIC, Msg, Param, PostIdea, UserText, rubric_label
from bot.advice.profile import LibraryProfile
from bot.advice.rules.common import msg, option

IDEAS_PER_RUBRIC = 2


def _interests(profile: LibraryProfile) -> list[Param]:
    found: list[Param] = [UserText(i) for i in profile.interests_other]
    found += [option("interest", i) for i in profile.aud_interests]
    return found or [msg("advice.idea.any_interest")]


def _events(profile: LibraryProfile) -> list[Param]:
    found: list[Param] = [UserText(e) for e in profile.events_other]
    found += [option("event", e) for e in profile.goal_d_events if e != "other"]
    return found or [msg("advice.idea.any_event")]


def _params(profile: LibraryProfile, rubric: str, index: int) -> dict[str, Param]:
    interests = _interests(profile)
    events = _events(profile)
    return {
        "name": UserText(profile.name) if profile.name else msg("advice.idea.our_library"),
        "settlement": UserText(profile.settlement)
        if profile.settlement
        else msg("advice.idea.our_place"),
        "interest": interests[index % len(interests)],
        "event": events[index % len(events)],
        "topic": rubric_label(rubric),
    }


def post_ideas(profile: LibraryProfile, rubric: str) -> list[PostIdea]:
    """Two ideas for one rubric: a headline and a body skeleton each, in the library's words."""
    own = rubric.startswith(OWN_RUBRIC)
    base = "own" if own else rubric
    if not own and rubric not in CATEGORY:
        return []
    category = (
        "promo"
        if own and rubric[len(OWN_RUBRIC) :] in profile.events_other
        else (VALUE if own else CATEGORY[rubric])
    )
    ideas = []
    for index in range(IDEAS_PER_RUBRIC):
        params = _params(profile, rubric, index)
        number = index + 1
        ideas.append(
            PostIdea(
                rubric=rubric,
                headline=Msg(f"advice.idea.{base}.{number}.title", params),
                body=(
                    Msg(f"advice.idea.{base}.{number}.body", params),
                    Msg(f"advice.idea.cta.{category}", params),
                ),
            )
        )
    return ideas


def advice_ideas(
    profile: LibraryProfile, rubrics: tuple[str, ...]
) -> Mapping[str, tuple[PostIdea, ...]]:
    return {rubric: tuple(post_ideas(profile, rubric)) for rubric in rubrics}
