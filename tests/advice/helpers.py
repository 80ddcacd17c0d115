"""Small lookups over an advice, shared by the tests."""

from __future__ import annotations

from collections.abc import Iterator

from bot.advice.models import AdviceItem, Msg, MsgList, Param, StrategyAdvice


def items(advice: StrategyAdvice, step_id: str | None = None) -> list[AdviceItem]:
    steps = [advice.step(step_id)] if step_id else list(advice.steps)
    return [item for step in steps for item in step.items]


def keys(advice: StrategyAdvice, step_id: str | None = None) -> list[str]:
    return [item.text.key for item in items(advice, step_id)]


def find(advice: StrategyAdvice, key: str) -> AdviceItem:
    return next(item for item in items(advice) if item.text.key == key)


def all_messages(advice: StrategyAdvice) -> Iterator[Msg]:
    """Every message of an advice, nested ones included (texts, reasons, KPI cells)."""

    def walk(value: Param) -> Iterator[Msg]:
        if isinstance(value, Msg):
            yield value
            for param in value.params.values():
                yield from walk(param)
        elif isinstance(value, MsgList):
            for part in value.items:
                yield from walk(part)

    for item in items(advice):
        yield from walk(item.text)
        for reason in item.reasons:
            yield from walk(reason)
    for kpi in advice.kpis:
        for message in (kpi.metric, kpi.baseline, kpi.target, kpi.how):
            yield from walk(message)


def score(advice: StrategyAdvice, network: str) -> int:
    return next(s.score for s in advice.networks if s.network == network)


def rank(advice: StrategyAdvice, network: str) -> int:
    return [s.network for s in advice.networks].index(network)
