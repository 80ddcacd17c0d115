"""The recommendation engine: answers in, an explained, sourced strategy out (pure code)."""

from bot.advice.engine import build_advice
from bot.advice.models import (
    STEP_IDS,
    AdviceItem,
    AudienceData,
    HoursEstimate,
    Kpi,
    Msg,
    MsgList,
    NetworkScore,
    PostingSlot,
    Severity,
    Source,
    StepAdvice,
    StrategyAdvice,
    UserText,
)
from bot.advice.render import render_step_details, render_summary
from bot.advice.text import render, to_plain
from bot.domain.text_split import split_html

__all__ = [
    "STEP_IDS",
    "AdviceItem",
    "AudienceData",
    "HoursEstimate",
    "Kpi",
    "Msg",
    "MsgList",
    "NetworkScore",
    "PostingSlot",
    "Severity",
    "Source",
    "StepAdvice",
    "StrategyAdvice",
    "UserText",
    "build_advice",
    "render",
    "render_step_details",
    "render_summary",
    "split_html",
    "to_plain",
]
