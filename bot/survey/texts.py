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


def html_count(cell: stats.Cell, t: Translate) -> str:
    """A suppressed count for an HTML message: ``<5`` escaped, a paired cell in words."""
    if cell.count is not None:
        return str(cell.count)
    return t("survey.chart.paired") if cell.paired else escape(stats.HIDDEN)


def sources_text(
    counts: Sequence[SourceCount], t: Translate, *, min_results: int = stats.MIN_RESULTS
) -> str:
    """Completed answers per link, suppressed like any table (each reader came by one link)."""
    if not counts:
        return t("survey.staff.sources_empty")
    total = sum(item.completed for item in counts)
    lines = [t("survey.staff.sources_title")]
    if total < min_results:
        lines.append(t.plural("survey.staff.sources_too_few", min_results, count=total))
        return "\n".join(lines)
    shown = stats.suppress({str(i): item.completed for i, item in enumerate(counts)}, total=total)
    for index, item in enumerate(counts):
        count = shown[str(index)]
        cell = stats.Cell(str(index), count, None, paired=count is None and item.completed >= 5)
        lines.append(
            t(
                "survey.staff.source_completed",
                source=escape(source_name(item.source, t)),
                completed=html_count(cell, t),
            )
        )
    return "\n".join(lines)


def source_name(source: Source, t: Translate) -> str:
    """ "Poster: at the entrance" (unescaped: the caller escapes)."""
    kind = t(f"survey.source.{source.kind}")
    return f"{kind}: {source.label}" if source.label else kind


def pulse_text(poll: PulsePoll, t: Translate, *, min_results: int = stats.MIN_RESULTS) -> str:
    """A pulse poll's tally under the survey's rules: nothing per option below the minimum."""
    lines = [t("survey.pulse.results_title", question=escape(poll.question))]
    if poll.total_voters < min_results:
        lines.append(t.plural("survey.pulse.too_few", min_results, count=poll.total_voters))
        return "\n".join(lines)
    percents = shares(poll.counts, poll.total_voters)
    # One answer per voter: the options add up to the voters, as a single-choice question.
    total = poll.total_voters if sum(poll.counts) == poll.total_voters else None
    counts = {str(i): count for i, count in enumerate(poll.counts)}
    shown = stats.suppress(counts, total=total)
    for index, (option, percent) in enumerate(zip(poll.options, percents, strict=True)):
        count = shown[str(index)]
        if count is None:
            key = "survey.pulse.results_line_hidden"
            if not stats.is_small(poll.counts[index]):
                key = "survey.pulse.results_line_paired"
            lines.append(t(key, option=escape(option), min=MIN_CELL))
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
