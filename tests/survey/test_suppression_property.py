"""No released table lets anyone work out a group of fewer than five people.

The checker here does not reuse the code's own reasoning: it enumerates every sum the
hidden cells could make, as someone who has read this code would (a ``<5`` cell holds
1-4 people, a paired one at least 5 and no more than the smallest cell left visible).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.questions import Kind
from bot.survey.questions import AGE, INTERESTS, SurveyConfig, build_questionnaire
from bot.survey.stats import (
    MIN_CELL,
    count_answers,
    count_crosstab,
    summarize,
    suppress,
    suppress_table,
)

QUESTIONNAIRE = build_questionnaire(SurveyConfig(title="x", places=("Озёрки", "Сосновка")))


def _reachable(ranges: list[tuple[int, int]], limit: int) -> set[int]:
    sums = {0}
    for low, high in ranges:
        sums = {s + v for s in sums for v in range(low, high + 1) if s + v <= limit}
    return sums


def possible_values(
    counts: Mapping[str, int],
    shown: Mapping[str, int | None],
    total: int,
    unknown: Mapping[str, tuple[int, int]] | None = None,
) -> dict[str, set[int]]:
    """For each hidden small cell, every value consistent with what is released.

    ``unknown`` are cells not released at all, with the range a viewer can tell them in.
    """
    unknown = unknown or {}
    visible = [count for count in shown.values() if count]
    cap = min(visible) if visible else total
    rest = total - sum(count or 0 for count in shown.values())
    hidden = [v for v, c in shown.items() if c is None and counts[v]]
    ranges = {
        v: (1, MIN_CELL - 1) if counts[v] < MIN_CELL else (MIN_CELL, max(MIN_CELL, cap))
        for v in hidden
    }
    ranges.update(unknown)
    found: dict[str, set[int]] = {}
    for value in hidden:
        if counts[value] >= MIN_CELL:
            continue
        others = [ranges[o] for o in ranges if o != value]
        sums = _reachable(others, rest)
        found[value] = {x for x in range(1, MIN_CELL) if rest - x in sums}
    return found


def assert_safe(
    counts: Mapping[str, int],
    shown: Mapping[str, int | None],
    total: int,
    unknown: Mapping[str, tuple[int, int]] | None = None,
) -> None:
    for value, count in shown.items():
        if count is not None:
            assert count == counts[value], "a released number is the true one"
            assert count == 0 or count >= MIN_CELL, "no small group is shown"
    for value, options in possible_values(counts, shown, total, unknown).items():
        assert counts[value] in options
        assert len(options) >= 2, f"{value} = {counts[value]} follows from the total"


counts_strategy = st.dictionaries(
    st.sampled_from("abcdefg"), st.integers(min_value=0, max_value=25), min_size=1, max_size=6
)


@settings(max_examples=150, deadline=None)
@given(counts_strategy)
def test_single_choice_tables_give_no_small_group_away(counts: dict[str, int]) -> None:
    total = sum(counts.values())
    shown, withheld = suppress_table(counts, total=total)
    if withheld:
        # Nothing but "hidden" per choice: no marker tells a small cell from a large one.
        assert all(count is None for count in shown.values())
        return
    assert_safe(counts, shown, total)


def test_known_leaks_of_the_old_rule_are_closed() -> None:
    # One hidden cell of 1 next to a paired 5: the total left exactly 6 = 1 + 5.
    counts = {"a": 1, "b": 5, "c": 20}
    assert_safe(counts, suppress(counts, total=26), 26)
    # Two hidden cells of 1 each: their sum 2 could only be 1 + 1.
    counts = {"a": 1, "b": 1, "c": 20}
    assert_safe(counts, suppress(counts, total=22), 22)
    counts = {"a": 4, "b": 4, "c": 20}
    assert_safe(counts, suppress(counts, total=28), 28)


def _answers(draw: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in QUESTIONNAIRE.questions:
        values = [o.value for o in question.options]
        if question.kind is Kind.SINGLE:
            answers[question.id] = draw(st.sampled_from(values))
        elif question.kind is Kind.MULTI:
            answers[question.id] = draw(
                st.lists(st.sampled_from(values[:6]), min_size=1, max_size=3, unique=True)
            )
    return answers


@st.composite
def responses(draw: Any) -> list[dict[str, Any]]:
    # Few distinct profiles repeated: small and large groups side by side.
    profiles = draw(st.lists(st.composite(_answers)(), min_size=1, max_size=5))
    counts = draw(st.lists(st.integers(1, 9), min_size=len(profiles), max_size=len(profiles)))
    return [profile for profile, n in zip(profiles, counts, strict=True) for _ in range(n)]


@settings(max_examples=25, deadline=None)
@given(responses(), st.integers(min_value=5, max_value=20))
def test_every_released_table_is_safe(answers: list[dict[str, Any]], min_results: int) -> None:
    stats = summarize(QUESTIONNAIRE, answers, min_results=min_results)
    if len(answers) < min_results:
        assert stats.too_few
        assert stats.questions == {} and stats.crosstab is None
        return
    exact = count_answers(QUESTIONNAIRE, answers)
    for question in QUESTIONNAIRE.questions:
        question_stats = stats.questions.get(question.id)
        if question_stats is None:
            continue
        counts = exact[question.id].counts
        shown = {cell.value: cell.count for cell in question_stats.cells}
        if question.kind is Kind.SINGLE and not question_stats.withheld:
            assert_safe(counts, shown, exact[question.id].answered)
        else:
            assert all(c is None or c == 0 or c >= MIN_CELL for c in shown.values())
    table = stats.crosstab
    assert table is not None
    age = stats.questions[AGE]
    # Only age groups the age table shows appear in the cross-tab.
    assert all((age.cell(row) and age.cell(row).count) for row in table.rows)  # type: ignore[union-attr]
    totals, cells = count_crosstab(QUESTIONNAIRE, answers, AGE, INTERESTS)
    for column in table.columns:
        column_counts = {row: cells.get((row, column), 0) for row in totals}
        shown = {row: table.cells[(row, column)].count for row in table.rows}
        # Age groups left out of the cross-tab: zero there if the age table says 0, else
        # somewhere between 0 and what the age table lets a viewer tell of that group.
        unknown: dict[str, tuple[int, int]] = {}
        for row in column_counts:
            if row in table.rows:
                continue
            age_cell = age.cell(row)
            if age_cell is None or age_cell.count == 0:
                continue
            small = 0 < exact[AGE].counts.get(row, 0) < MIN_CELL
            unknown[row] = (0, MIN_CELL - 1) if small else (0, sum(column_counts.values()))
        released = {row: column_counts[row] for row in shown}
        assert_safe(released, shown, sum(column_counts.values()), unknown)
