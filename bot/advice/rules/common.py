"""Small constructors shared by the rule modules."""

from __future__ import annotations

from collections.abc import Iterable

from bot.advice.models import AdviceItem, Msg, MsgList, Param, Severity, Source, UserText
from bot.domain.method import TIMEZONES

KNOWN_ZONES = frozenset(zone for zones in TIMEZONES.values() for zone in zones)


def msg(key: str, /, **params: Param) -> Msg:
    return Msg(key, params)


def plural(key: str, count: str, /, **params: Param) -> Msg:
    """A message whose noun agrees with the number in ``params[count]`` (an ngettext key)."""
    assert isinstance(params.get(count), int), (key, count)
    return Msg(key, params, count)


def option(option_set: str, value: str) -> Msg:
    """The wizard's own label of an option (``opt.<set>.<value>``)."""
    return Msg(f"opt.{option_set}.{value}")


def options(option_set: str, values: Iterable[str]) -> MsgList:
    return MsgList(tuple(option(option_set, value) for value in values))


def item(
    text: Msg,
    *reasons: Msg,
    sources: Iterable[Source] = (),
    severity: Severity = Severity.INFO,
) -> AdviceItem:
    unique: dict[str, Source] = {}
    for source in sources:
        unique.setdefault(source.id, source)
    return AdviceItem(text, tuple(reasons), tuple(unique.values()), severity)


def conflict(text: Msg, *reasons: Msg, sources: Iterable[Source] = ()) -> AdviceItem:
    """The plan contradicts an answer (hours, skills, budget): the library must choose."""
    return item(text, *reasons, sources=sources, severity=Severity.CONFLICT)


def warning(text: Msg, *reasons: Msg, sources: Iterable[Source] = ()) -> AdviceItem:
    """A caution that is not a contradiction between answers."""
    return item(text, *reasons, sources=sources, severity=Severity.WARNING)


def pct(share: float) -> int:
    return round(share * 100)


def zone(name: str) -> Param:
    """The wizard's label of a time zone it offers; a typed zone name as it was typed."""
    return option("tz", name) if name in KNOWN_ZONES else UserText(name)
