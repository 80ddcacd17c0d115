"""Pulse polls: one native Telegram poll in a library's chat, tallied from poll updates.

Telegram sends the whole poll (every option's ``voter_count``) on each change, so the
tally is taken as sent and stored in place of the old one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.domain.validation import has_letters, visible_text

MIN_OPTIONS = 2
MAX_OPTIONS = 12
"""Telegram's limits on a poll's options."""
MAX_OPTION_LEN = 100
"""Telegram's limit on an option's text."""


def parse_options(text: str) -> list[str] | None:
    """One option per line, as it would be seen (invisible characters and extra spaces
    dropped), without lines that show no letter or digit and without repeats; None unless
    there are MIN_OPTIONS to MAX_OPTIONS options of at most MAX_OPTION_LEN characters."""
    lines = dict.fromkeys(visible_text(line) for line in text.splitlines())
    options = [option for option in lines if has_letters(option)]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        return None
    if any(len(option) > MAX_OPTION_LEN for option in options):
        return None
    return options


class VotedOption(Protocol):
    """What we read from aiogram's ``PollOption``."""

    @property
    def voter_count(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Tally:
    counts: list[int]
    total_voters: int
    is_closed: bool


def tally(
    options: Sequence[VotedOption], expected: int, total_voters: int, *, is_closed: bool = False
) -> Tally:
    """Counts from a poll update, checked against the options we posted."""
    if len(options) != expected:
        raise ValueError(f"poll has {len(options)} options, expected {expected}")
    counts = [int(option.voter_count) for option in options]
    if any(count < 0 for count in counts) or total_voters < 0:
        raise ValueError("negative vote count")
    return Tally(counts, total_voters, is_closed)


def shares(counts: Sequence[int], total_voters: int) -> list[float]:
    """Percent of voters per option (they add up to more than 100 in multiple-answer polls)."""
    if total_voters <= 0:
        return [0.0 for _ in counts]
    return [round(100 * count / total_voters, 1) for count in counts]
