"""Hypothesis strategies: any answers the wizard could store for STRATEGY_METHOD."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from bot.advice import AudienceData
from bot.advice.knowledge.networks import NETWORK_ORDER
from bot.advice.knowledge.reach import AGES
from bot.domain.method import STRATEGY_METHOD
from bot.domain.questions import OTHER, Kind, Question

URLS = ("lib.example.ru", "https://lib.example.ru/catalog?x=1", "@library_news", "http://a.b/<x>")
ZONES = ("Europe/Moscow", "Asia/Tokyo", "America/Chicago", "Not/AZone")
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60)


def _text(draw: st.DrawFn, question: Question) -> str:
    if question.validator == "url":
        return draw(st.sampled_from(URLS))
    if question.validator == "timezone":
        return draw(st.sampled_from(ZONES))
    text = draw(TEXT)
    return (text + "<b>&x</b>" * question.min_len)[: question.max_len]


def _value(draw: st.DrawFn, question: Question, answers: dict[str, Any]) -> Any:
    if question.kind is Kind.NUMBER:
        upper = min(question.max_value, 200_000)
        return draw(st.integers(question.min_value, upper))
    if question.kind is Kind.TEXT:
        return _text(draw, question)
    values = [o.value for o in question.visible_options(answers)]
    if question.kind is Kind.SINGLE:
        return draw(st.sampled_from(values))
    chosen = draw(st.lists(st.sampled_from(values), min_size=1, unique=True))
    exclusive = [v for v in chosen if (o := question.option(v)) is not None and o.exclusive]
    return exclusive[:1] if exclusive else chosen


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for question in STRATEGY_METHOD.questions:
        if not question.visible(given):
            continue
        if not question.required and draw(st.booleans()):
            continue
        value = _value(draw, question, given)
        given[question.id] = value
        picked = value if isinstance(value, list) else [value]
        if question.kind in (Kind.SINGLE, Kind.MULTI) and OTHER in picked:
            given[f"{question.id}.other"] = _text(draw, question) or "x"
    return given


shares = st.floats(0, 1, allow_nan=False)


@st.composite
def surveys(draw: st.DrawFn) -> AudienceData | None:
    if draw(st.booleans()):
        return None
    return AudienceData(
        sample_size=draw(st.integers(0, 500)),
        age=draw(st.dictionaries(st.sampled_from(AGES), shares, max_size=8)),
        gender=draw(st.dictionaries(st.sampled_from(("women", "men")), shares, max_size=2)),
        interests=draw(
            st.dictionaries(st.sampled_from(("fiction", "history", "science")), shares)
        ),
        networks=draw(st.dictionaries(st.sampled_from(NETWORK_ORDER), shares)),
    )
