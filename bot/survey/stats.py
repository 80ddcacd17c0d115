"""Counting survey answers, and hiding small groups before anyone sees them.

Two layers: :func:`count_answers` is the exact count (never shown), :func:`summarize`
turns it into what staff see. Nothing is broken down below ``min_results`` completed
responses. A cell with 1-4 people is shown as ``<5``; while a hidden cell could be worked
out from a total and the visible cells, the smallest visible cell is hidden as well
(complementary suppression, :func:`suppress`). Zero is shown: it tells nothing about any
one reader. Charts, exported tables, summaries and the audience data handed to the advice
engine all read the suppressed view.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.questions import Kind, Question, Questionnaire
from bot.survey.questions import AGE, EDUCATION, GENDER, INTERESTS, NETWORKS_USED, PLACE

MIN_CELL = 5
"""Groups smaller than this are never shown as numbers."""
HIDDEN = f"<{MIN_CELL}"
PAIRED = "*"
"""Shown for a group of five or more hidden only so that a small one cannot be worked out."""
SMALL_SAMPLE = 30
"""Below this many responses the audience picture gets a warning."""
MIN_RESULTS = 10
"""Default of ``SURVEY_MIN_RESULTS``: completed responses before any breakdown is shown."""


# --- exact counts ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionCounts:
    """Exact numbers for one question; internal, never shown as they are."""

    question_id: str
    answered: int
    """Respondents who gave this question any answer."""
    counts: dict[str, int]
    """Respondents per choice (for multiple choice a respondent counts once per choice)."""


def _chosen(question: Question, value: Any) -> list[str]:
    """The distinct choices in one stored answer (empty when it has none)."""
    if question.kind is Kind.MULTI:
        if not isinstance(value, list):
            return []
        return list(dict.fromkeys(str(item) for item in value))
    if question.kind is Kind.SINGLE and isinstance(value, str) and value:
        return [value]
    return []


def _ordered(question: Question, counts: Counter[str]) -> dict[str, int]:
    """Declared choices first (zeros included), then values no longer offered."""
    declared = [option.value for option in question.options]
    extra = sorted(value for value in counts if value not in declared)
    return {value: counts[value] for value in [*declared, *extra]}


def count_answers(
    questionnaire: Questionnaire, responses: Iterable[Mapping[str, Any]]
) -> dict[str, QuestionCounts]:
    """Exact counts per choice question (text and number questions are not counted)."""
    questions = [q for q in questionnaire.questions if q.kind in (Kind.SINGLE, Kind.MULTI)]
    answered: Counter[str] = Counter()
    counts: dict[str, Counter[str]] = {q.id: Counter() for q in questions}
    for answers in responses:
        for question in questions:
            chosen = _chosen(question, answers.get(question.id))
            if chosen:
                answered[question.id] += 1
                counts[question.id].update(chosen)
    return {
        q.id: QuestionCounts(q.id, answered[q.id], _ordered(q, counts[q.id])) for q in questions
    }


def count_crosstab(
    questionnaire: Questionnaire,
    responses: Iterable[Mapping[str, Any]],
    row_id: str = AGE,
    column_id: str = INTERESTS,
) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Exact (row totals, cells) of two questions: respondents who answered both."""
    row_question = questionnaire.question(row_id)
    column_question = questionnaire.question(column_id)
    if row_question is None or column_question is None:
        return {}, {}
    totals: Counter[str] = Counter()
    cells: Counter[tuple[str, str]] = Counter()
    for answers in responses:
        rows = _chosen(row_question, answers.get(row_id))
        columns = _chosen(column_question, answers.get(column_id))
        if not rows or not columns:
            continue
        for row in rows:
            totals[row] += 1
            cells.update((row, column) for column in columns)
    return dict(totals), dict(cells)


# --- what staff see -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    value: str
    count: int | None
    """None when hidden."""
    percent: float | None
    """Of the respondents who answered the question (or the row); None when hidden."""
    paired: bool = False
    """Hidden although not small, to protect a small group next to it (shown as ``*``)."""

    @property
    def hidden(self) -> bool:
        return self.count is None

    @property
    def display(self) -> str:
        if self.count is not None:
            return str(self.count)
        return PAIRED if self.paired else HIDDEN


@dataclass(frozen=True, slots=True)
class QuestionStats:
    question_id: str
    kind: Kind
    answered: int | None
    """None when fewer than :data:`MIN_CELL` answered."""
    cells: tuple[Cell, ...]
    withheld: bool = False
    """Every choice hidden: no way to show any without giving a small group away."""

    def cell(self, value: str) -> Cell | None:
        return next((cell for cell in self.cells if cell.value == value), None)


@dataclass(frozen=True, slots=True)
class CrossTab:
    row_id: str
    column_id: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    row_totals: dict[str, Cell]
    cells: dict[tuple[str, str], Cell]
    """(row, column) -> people in the row group who chose the column; percent of the row."""


@dataclass(frozen=True, slots=True)
class SurveyStats:
    respondents: int
    questions: dict[str, QuestionStats]
    crosstab: CrossTab | None
    min_results: int = MIN_RESULTS

    @property
    def too_few(self) -> bool:
        """Below the minimum: only the number of responses may be shown."""
        return self.respondents < self.min_results

    @property
    def small_sample(self) -> bool:
        return self.respondents < SMALL_SAMPLE


def is_small(count: int) -> bool:
    return 0 < count < MIN_CELL


def _bounds(count: int, shown: Mapping[str, int | None]) -> tuple[int, float]:
    """What a viewer who knows these rules learns of one hidden cell: its range."""
    if is_small(count):
        return 1, MIN_CELL - 1
    # Paired: five or more, and no bigger than the smallest cell left visible (pairing takes
    # the smallest), which a reader of this code knows.
    visible = [c for c in shown.values() if c]
    return MIN_CELL, min(visible) if visible else float("inf")


def derivable(counts: Mapping[str, int], shown: Mapping[str, int | None], total: int) -> list[str]:
    """Small hidden cells whose exact value follows from ``total`` and what is shown.

    Cells add up to ``total``; a hidden small cell is in 1..4, a paired one in 5..(the
    smallest visible cell). A cell is given away when only one value fits the sum.
    """
    hidden = [value for value, count in shown.items() if count is None and counts[value]]
    rest = total - sum(count or 0 for count in shown.values())
    bounds = {value: _bounds(counts[value], shown) for value in hidden}
    given_away = []
    for value in hidden:
        if not is_small(counts[value]):
            continue
        low_others = sum(bounds[other][0] for other in hidden if other != value)
        high_others = sum(bounds[other][1] for other in hidden if other != value)
        low = max(1, rest - high_others)
        high = min(MIN_CELL - 1, rest - low_others)
        if low >= high:
            given_away.append(value)
    return given_away


def suppress(counts: Mapping[str, int], *, total: int | None = None) -> dict[str, int | None]:
    """Hide small cells; when the cells add up to a known ``total``, hide more as needed.

    ``total`` is given where each respondent is in exactly one cell (single choice, a
    link, a poll with one answer): there the total minus the visible cells could give a
    hidden one away, so the smallest visible cells are hidden as well (complementary
    suppression) until no small cell can be worked out. If even hiding every cell leaves
    one computable, every cell is hidden, zeros included (see :func:`suppress_table`).
    """
    return suppress_table(counts, total=total)[0]


def suppress_table(
    counts: Mapping[str, int], *, total: int | None = None
) -> tuple[dict[str, int | None], bool]:
    """:func:`suppress`, and whether the whole table had to be withheld."""
    shown: dict[str, int | None] = {
        value: None if is_small(count) else count for value, count in counts.items()
    }
    if total is None:
        return shown, False
    while derivable(counts, shown, total):
        visible = [(count, value) for value, count in shown.items() if count]
        if not visible:
            return dict.fromkeys(counts), True
        shown[min(visible)[1]] = None
    return shown, False


def _percent(count: int | None, base: int) -> float | None:
    if count is None or base == 0:
        return None
    return round(100 * count / base, 1)


def _question_stats(question: Question, counts: QuestionCounts) -> QuestionStats:
    # Single choice: each respondent is in one cell, so the cells add up to "answered".
    total = counts.answered if question.kind is Kind.SINGLE else None
    shown, withheld = suppress_table(counts.counts, total=total)
    cells = tuple(
        Cell(
            value,
            count,
            _percent(count, counts.answered),
            paired=count is None and counts.counts[value] >= MIN_CELL,
        )
        for value, count in shown.items()
    )
    answered = None if is_small(counts.answered) else counts.answered
    return QuestionStats(question.id, question.kind, answered, cells, withheld=withheld)


def _crosstab(
    questionnaire: Questionnaire,
    totals: Mapping[str, int],
    cells: Mapping[tuple[str, str], int],
    *,
    row_id: str,
    column_id: str,
    row_stats: QuestionStats | None,
) -> CrossTab | None:
    row_question = questionnaire.question(row_id)
    column_question = questionnaire.question(column_id)
    if row_question is None or column_question is None or row_stats is None:
        return None
    all_rows = tuple(o.value for o in row_question.options if o.value in totals)
    all_rows += tuple(sorted(set(totals) - set(all_rows)))
    # Only the age groups the age question itself shows: the same groups hidden everywhere,
    # so one table cannot reveal what another hides.
    rows = tuple(
        row for row in all_rows if (cell := row_stats.cell(row)) is not None and cell.count
    )
    declared_columns = [o.value for o in column_question.options]
    used_columns = {column for _, column in cells}
    columns = tuple(c for c in declared_columns if c in used_columns)
    columns += tuple(sorted(used_columns - set(columns)))
    shown_cells: dict[tuple[str, str], int | None] = {}
    # A column's cells add up to that choice's count among those who answered both, which
    # the question's own table may show; so each column is suppressed against its total,
    # counted over every age group (those not shown as well: the stricter assumption).
    kept = []
    for column in columns:
        column_counts = {row: cells.get((row, column), 0) for row in all_rows}
        shown_column, withheld = suppress_table(column_counts, total=sum(column_counts.values()))
        if withheld:
            continue  # nothing of this interest can be shown by age
        kept.append(column)
        for row in rows:
            shown_cells[(row, column)] = shown_column[row]
    return CrossTab(
        row_id,
        column_id,
        rows,
        tuple(kept),
        {row: row_stats.cell(row) or Cell(row, None, None) for row in rows},
        {
            key: Cell(
                key[1],
                count,
                _percent(count, totals[key[0]]),
                paired=count is None and cells.get(key, 0) >= MIN_CELL,
            )
            for key, count in shown_cells.items()
        },
    )


def summarize(
    questionnaire: Questionnaire,
    responses: Sequence[Mapping[str, Any]],
    *,
    min_results: int = MIN_RESULTS,
) -> SurveyStats:
    """What staff may see of these (completed) responses.

    Below ``min_results`` responses nothing but their number: with a handful of readers,
    even a hidden small group next to a zero says who answered what.
    """
    if len(responses) < min_results:
        return SurveyStats(len(responses), {}, None, min_results=min_results)
    totals, cells = count_crosstab(questionnaire, responses, AGE, INTERESTS)
    exact = count_answers(questionnaire, responses)
    return _summary(questionnaire, len(responses), exact, totals, cells, min_results=min_results)


@dataclass(frozen=True, slots=True)
class KeptCounts:
    """Exact counts of a survey's completed responses as the database keeps them."""

    respondents: int
    answered: Mapping[str, int]
    """Question id -> respondents who gave it any choice."""
    choices: Mapping[tuple[str, str], int]
    """(question id, choice) -> respondents."""
    row_totals: Mapping[str, int]
    """Age group -> respondents who gave an age and interests."""
    cells: Mapping[tuple[str, str], int]
    """(age group, interest) -> respondents."""


def kept_question_counts(
    questionnaire: Questionnaire, kept: KeptCounts
) -> dict[str, QuestionCounts]:
    """The same numbers :func:`count_answers` gives, from kept counts (zeros dropped)."""
    questions = [q for q in questionnaire.questions if q.kind in (Kind.SINGLE, Kind.MULTI)]
    chosen: dict[str, Counter[str]] = {q.id: Counter() for q in questions}
    for (question_id, value), n in kept.choices.items():
        if question_id in chosen and n > 0:
            chosen[question_id][value] = n
    return {
        q.id: QuestionCounts(q.id, kept.answered.get(q.id, 0), _ordered(q, chosen[q.id]))
        for q in questions
    }


def summarize_kept(
    questionnaire: Questionnaire, kept: KeptCounts, *, min_results: int = MIN_RESULTS
) -> SurveyStats:
    """What staff may see, from kept counts: the same as :func:`summarize` of the responses."""
    if kept.respondents < min_results:
        return SurveyStats(kept.respondents, {}, None, min_results=min_results)
    totals = {row: n for row, n in kept.row_totals.items() if n > 0}
    cells = {key: n for key, n in kept.cells.items() if n > 0}
    exact = kept_question_counts(questionnaire, kept)
    return _summary(questionnaire, kept.respondents, exact, totals, cells, min_results=min_results)


def _summary(
    questionnaire: Questionnaire,
    respondents: int,
    exact: Mapping[str, QuestionCounts],
    totals: Mapping[str, int],
    cells: Mapping[tuple[str, str], int],
    *,
    min_results: int,
) -> SurveyStats:
    questions = {
        q.id: _question_stats(q, exact[q.id]) for q in questionnaire.questions if q.id in exact
    }
    crosstab = _crosstab(
        questionnaire, totals, cells, row_id=AGE, column_id=INTERESTS, row_stats=questions.get(AGE)
    )
    return SurveyStats(respondents, questions, crosstab, min_results=min_results)


# --- audience for step 2 --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AudienceData:
    """The reader survey's picture of the audience, in the wizard's vocabulary.

    Shares are fractions (0..1) of the respondents who answered that question; groups
    hidden as too small are left out, so shares may add up to less than 1 (or more, for
    multiple choice). Keys are the option values of the wizard's step 2 (age groups,
    education, interests, networks); geography keys are the place question's values.
    """

    sample_size: int
    age: dict[str, float]
    gender: dict[str, float]
    education: dict[str, float]
    interests: dict[str, float]
    geography: dict[str, float]
    networks: dict[str, float]
    small_sample: bool


def _shares(stats: SurveyStats, question_id: str) -> dict[str, float]:
    question = stats.questions.get(question_id)
    if question is None or not question.answered:
        return {}
    return {
        cell.value: round(cell.count / question.answered, 4)
        for cell in question.cells
        if cell.count  # hidden and zero groups say nothing useful
    }


def to_audience(stats: SurveyStats) -> AudienceData:
    return AudienceData(
        sample_size=stats.respondents,
        age=_shares(stats, AGE),
        gender=_shares(stats, GENDER),
        education=_shares(stats, EDUCATION),
        interests=_shares(stats, INTERESTS),
        geography=_shares(stats, PLACE),
        networks=_shares(stats, NETWORKS_USED),
        small_sample=stats.small_sample,
    )
