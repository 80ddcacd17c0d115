"""What staff read about a survey's sources and pulse polls, in Telegram HTML.

Counts of fewer than five people show as "<5" (escaped: it is text, not a tag); everything
staff or readers typed is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.domain.translate import Translate, decimal_text
from bot.survey import stats
from bot.survey.models import PulsePoll, Source, SourceCount
from bot.survey.pulse import shares
from bot.survey.stats import MIN_CELL


def shown_count(count: int) -> str:
    """A count as staff may see it: 1-4 people become ``<5``."""
    return stats.HIDDEN if stats.is_small(count) else str(count)


def sources_text(counts: Sequence[SourceCount], t: Translate) -> str:
    if not counts:
        return t("survey.staff.sources_empty")
    lines = [t("survey.staff.sources_title")]
    for item in counts:
        lines.append(
            t(
                "survey.staff.source_line",
                source=escape(source_name(item.source, t)),
                # "<5" is text, not a tag: unescaped, Telegram refuses the whole message.
                started=escape(shown_count(item.started)),
                completed=escape(shown_count(item.completed)),
            )
        )
    return "\n".join(lines)


def source_name(source: Source, t: Translate) -> str:
    """ "Poster: at the entrance" (unescaped: the caller escapes)."""
    kind = t(f"survey.source.{source.kind}")
    return f"{kind}: {source.label}" if source.label else kind


def pulse_text(poll: PulsePoll, t: Translate) -> str:
    percents = shares(poll.counts, poll.total_voters)
    lines = [t("survey.pulse.results_title", question=escape(poll.question))]
    for option, count, percent in zip(poll.options, poll.counts, percents, strict=True):
        if stats.is_small(count):
            lines.append(
                t("survey.pulse.results_line_hidden", option=escape(option), min=MIN_CELL)
            )
        else:
            lines.append(
                t(
                    "survey.pulse.results_line",
                    option=escape(option),
                    count=count,
                    percent=decimal_text(percent, t),
                )
            )
    lines.append(t.plural("survey.pulse.voters", poll.total_voters))
    return "\n".join(lines)
