"""The recommendation engine: answers in, an explained, sourced strategy out (pure code)."""

from bot.advice.engine import build_advice
from bot.advice.ideas import post_ideas
from bot.advice.models import (
    STEP_IDS,
    AdviceItem,
    AudienceData,
    ChecklistItem,
    HoursEstimate,
    Kpi,
    Msg,
    MsgList,
    NetworkScore,
    PostIdea,
    PostingSlot,
    Severity,
    Source,
    StepAdvice,
    StrategyAdvice,
    UserText,
    rubric_label,
)
from bot.advice.profile import LibraryProfile, read_profile
from bot.advice.render import (
    render_first_steps,
    render_post_ideas,
    render_step_details,
    render_summary,
)
from bot.advice.text import render, to_plain
from bot.domain.text_split import split_html

__all__ = [
    "STEP_IDS",
    "AdviceItem",
    "AudienceData",
    "ChecklistItem",
    "HoursEstimate",
    "Kpi",
    "LibraryProfile",
    "Msg",
    "MsgList",
    "NetworkScore",
    "PostIdea",
    "PostingSlot",
    "Severity",
    "Source",
    "StepAdvice",
    "StrategyAdvice",
    "UserText",
    "build_advice",
    "post_ideas",
    "read_profile",
    "render",
    "render_first_steps",
    "render_post_ideas",
    "render_step_details",
    "render_summary",
    "rubric_label",
    "split_html",
    "to_plain",
]
