"""Counting survey answers, and hiding small groups before anyone sees them.

Two layers: :func:`count_answers` is the exact count (never shown), :func:`summarize`
turns it into what staff see. A cell with 1-4 people is shown as ``<5``; when a hidden
cell could be worked out by subtracting the visible ones from a total, the next smallest
cell is hidden as well (secondary suppression). Zero is shown: it tells nothing about
any one reader. Charts, exports of tables, summaries and the audience data handed to
the advice engine all read the suppressed view.
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

    @property
    def small_sample(self) -> bool:
        return self.respondents < SMALL_SAMPLE


def is_small(count: int) -> bool:
    return 0 < count < MIN_CELL


def suppress(counts: Mapping[str, int], *, sums_to_total: bool) -> dict[str, int | None]:
    """Hide small cells; when they add up to a shown total, make a lone hidden cell a pair.

    ``sums_to_total`` is true for single choice (each respondent in exactly one cell),
    where total minus the visible cells would give a lone hidden one away.
    """
    shown: dict[str, int | None] = {
        value: None if is_small(count) else count for value, count in counts.items()
    }
    hidden = [value for value, count in shown.items() if count is None]
    if sums_to_total and len(hidden) == 1:
        candidates = [(count, value) for value, count in shown.items() if count]
        if candidates:
            shown[min(candidates)[1]] = None
    return shown


def _percent(count: int | None, base: int) -> float | None:
    if count is None or base == 0:
        return None
    return round(100 * count / base, 1)


def _question_stats(question: Question, counts: QuestionCounts) -> QuestionStats:
    shown = suppress(counts.counts, sums_to_total=question.kind is Kind.SINGLE)
    cells = tuple(
        Cell(
            value,
            count,
            _percent(count, counts.answered),
            paired=count is None and not is_small(counts.counts[value]),
        )
        for value, count in shown.items()
    )
    answered = None if is_small(counts.answered) else counts.answered
    return QuestionStats(question.id, question.kind, answered, cells)


def _crosstab(
    questionnaire: Questionnaire,
    totals: Mapping[str, int],
    cells: Mapping[tuple[str, str], int],
    row_id: str = AGE,
    column_id: str = INTERESTS,
) -> CrossTab | None:
    row_question = questionnaire.question(row_id)
    column_question = questionnaire.question(column_id)
    if row_question is None or column_question is None:
        return None
    rows = tuple(o.value for o in row_question.options if o.value in totals)
    rows += tuple(sorted(set(totals) - set(rows)))
    declared_columns = [o.value for o in column_question.options]
    used_columns = {column for _, column in cells}
    columns = tuple(c for c in declared_columns if c in used_columns)
    columns += tuple(sorted(used_columns - set(columns)))
    shown_cells: dict[tuple[str, str], int | None] = {}
    # A column's cells add up (nearly) to that choice's count, shown in the question's own
    # table, so each column gets the same pair rule as a single-choice question.
    for column in columns:
        column_counts = {row: cells.get((row, column), 0) for row in rows}
        for row, count in suppress(column_counts, sums_to_total=True).items():
            shown_cells[(row, column)] = count
    # Rows are not sums of cells (several interests per person), so totals need no pairing.
    shown_totals = {row: None if is_small(totals[row]) else totals[row] for row in rows}
    return CrossTab(
        row_id,
        column_id,
        rows,
        columns,
        {row: Cell(row, shown_totals[row], None) for row in rows},
        {
            key: Cell(
                key[1],
                count,
                _percent(count, totals[key[0]]),
                paired=count is None and not is_small(cells.get(key, 0)),
            )
            for key, count in shown_cells.items()
        },
    )


def summarize(questionnaire: Questionnaire, responses: Sequence[Mapping[str, Any]]) -> SurveyStats:
    """What staff may see of these (completed) responses."""
    totals, cells = count_crosstab(questionnaire, responses, AGE, INTERESTS)
    return _summary(
        questionnaire, len(responses), count_answers(questionnaire, responses), totals, cells
    )


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


def summarize_kept(questionnaire: Questionnaire, kept: KeptCounts) -> SurveyStats:
    """What staff may see, from kept counts: the same as :func:`summarize` of the responses."""
    totals = {row: n for row, n in kept.row_totals.items() if n > 0}
    cells = {key: n for key, n in kept.cells.items() if n > 0}
    exact = kept_question_counts(questionnaire, kept)
    return _summary(questionnaire, kept.respondents, exact, totals, cells)


def _summary(
    questionnaire: Questionnaire,
    respondents: int,
    exact: Mapping[str, QuestionCounts],
    totals: Mapping[str, int],
    cells: Mapping[tuple[str, str], int],
) -> SurveyStats:
    questions = {
        q.id: _question_stats(q, exact[q.id]) for q in questionnaire.questions if q.id in exact
    }
    return SurveyStats(
        respondents=respondents,
        questions=questions,
        crosstab=_crosstab(questionnaire, totals, cells, AGE, INTERESTS),
    )


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
