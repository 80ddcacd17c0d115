"""build_advice: stored answers (and optional survey data) in, a complete strategy out.

Pure and deterministic: the same answers give the same advice; ``today`` is accepted so
date-dependent rules (laws in force from a date) stay testable.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.advice.checklist import first_steps
from bot.advice.ideas import advice_ideas
from bot.advice.models import AudienceData, NetworkScore, StepAdvice, StrategyAdvice
from bot.advice.planning import banned, make_plan, mandatory
from bot.advice.profile import read_profile
from bot.advice.rules.audience import audience_items
from bot.advice.rules.communication import communication_items
from bot.advice.rules.content import content_items
from bot.advice.rules.goals import goal_items
from bot.advice.rules.networks import network_items
from bot.advice.rules.page import page_items
from bot.advice.rules.resources import resource_items
from bot.advice.schedule import build_week, plan_rubrics

WEEKS = 4


def build_advice(
    answers: Mapping[str, Any],
    *,
    audience: AudienceData | None = None,
    today: date | None = None,
) -> StrategyAdvice:
    _ = today  # every rule in the tables is already in force; kept for dated rules
    profile = read_profile(answers, audience)
    plan = make_plan(profile)
    rubrics, added = plan_rubrics(profile)
    weeks = tuple(build_week(profile, plan, rubrics, week) for week in range(WEEKS))
    slots = weeks[0]
    goals, kpis = goal_items(profile, plan)
    steps = (
        StepAdvice("goals", tuple(goals)),
        StepAdvice("audience", tuple(audience_items(profile))),
        StepAdvice("networks", tuple(network_items(profile, plan))),
        StepAdvice("content", tuple(content_items(profile, plan, rubrics, added, slots))),
        StepAdvice("communication", tuple(communication_items(profile, plan))),
        StepAdvice("resources", tuple(resource_items(profile, plan))),
        StepAdvice("page", tuple(page_items(profile, plan))),
    )
    never = set(banned(profile))
    must = set(mandatory(profile))
    networks = tuple(
        NetworkScore(
            network=part.network,
            score=part.score,
            mandatory=part.network in must,
            banned=part.network in never,
            chosen=part.network in plan.chosen,
            posts_per_week=plan.posts.get(part.network, 0),
        )
        for part in plan.scores
    )
    return StrategyAdvice(
        library_name=profile.name,
        country=profile.country,
        profile=profile.profile,
        timezone=profile.timezone,
        steps=steps,
        networks=networks,
        kpis=tuple(kpis),
        slots=slots,
        weeks=weeks,
        rubrics=rubrics,
        hours=plan.hours,
        audience_from_survey=profile.survey is not None,
        post_ideas=advice_ideas(profile, rubrics),
        first_steps=first_steps(profile, plan, rubrics),
        languages=profile.languages,
    )
