from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.questions import Kind, Question
from bot.i18n import Translator
from bot.survey.questions import (
    AGE,
    DEFAULT_QUESTIONNAIRE,
    GENDER,
    INTERESTS,
    NETWORKS_USED,
    PLACE,
    SurveyConfig,
    build_questionnaire,
)
from bot.survey.stats import (
    HIDDEN,
    MIN_CELL,
    count_answers,
    count_crosstab,
    summarize,
    suppress,
    to_audience,
)
from bot.survey.summary import results_text

CHOICE_QUESTIONS = [
    q for q in DEFAULT_QUESTIONNAIRE.questions if q.kind in (Kind.SINGLE, Kind.MULTI)
]


def answer_for(question: Question) -> st.SearchStrategy[Any]:
    # Few choices per question so that both small and large cells turn up often.
    values = [*[o.value for o in question.options][:4], "retired_value"]
    if question.kind is Kind.MULTI:
        return st.lists(st.sampled_from(values), max_size=4)  # duplicates on purpose
    return st.sampled_from(values)


responses_strategy = st.lists(
    st.fixed_dictionaries(
        {},
        optional={q.id: answer_for(q) for q in CHOICE_QUESTIONS},
    ),
    max_size=120,
)


def naive(
    question: Question, responses: Sequence[Mapping[str, Any]]
) -> tuple[int, dict[str, int]]:
    answered = 0
    counts: dict[str, int] = {}
    for answers in responses:
        value = answers.get(question.id)
        chosen = set(value) if isinstance(value, list) else ({value} if value else set())
        if chosen:
            answered += 1
        for item in chosen:
            counts[item] = counts.get(item, 0) + 1
    return answered, counts


@settings(max_examples=150, deadline=None)
@given(responses_strategy)
def test_exact_counts_equal_a_naive_count(responses: list[dict[str, Any]]) -> None:
    exact = count_answers(DEFAULT_QUESTIONNAIRE, responses)
    for question in CHOICE_QUESTIONS:
        answered, counts = naive(question, responses)
        assert exact[question.id].answered == answered
        assert {v: c for v, c in exact[question.id].counts.items() if c} == counts


@settings(max_examples=150, deadline=None)
@given(responses_strategy)
def test_staff_never_see_a_small_cell_or_a_way_to_compute_one(
    responses: list[dict[str, Any]],
) -> None:
    exact = count_answers(DEFAULT_QUESTIONNAIRE, responses)
    # The minimum of responses is its own rule (tested below); here every size is shown.
    stats = summarize(DEFAULT_QUESTIONNAIRE, responses, min_results=0)
    assert stats.respondents == len(responses)
    for question in CHOICE_QUESTIONS:
        shown = stats.questions[question.id]
        true = exact[question.id]
        assert shown.answered == (None if 0 < true.answered < MIN_CELL else true.answered)
        for cell in shown.cells:
            count = true.counts[cell.value]
            if 0 < count < MIN_CELL:
                assert cell.hidden
                assert cell.percent is None
                assert cell.display == HIDDEN
            assert cell.paired == (cell.hidden and count >= MIN_CELL)
            if not cell.hidden:
                assert cell.count == count
                expected = round(100 * count / true.answered, 1) if true.answered else None
                assert cell.percent == expected
        hidden = [cell for cell in shown.cells if cell.hidden]
        if question.kind is Kind.SINGLE and shown.answered is not None:
            # answered minus the visible cells must never give a lone hidden cell away
            assert len(hidden) != 1 or shown.withheld

    table = stats.crosstab
    assert table is not None
    totals, cells = count_crosstab(DEFAULT_QUESTIONNAIRE, responses)
    for (row, column), cell in table.cells.items():
        count = cells.get((row, column), 0)
        assert cell.count in (None, count)
        if 0 < count < MIN_CELL:
            assert cell.hidden
    # Rows are the age groups the age table shows, with the same numbers.
    for row, cell in table.row_totals.items():
        assert cell == stats.questions[AGE].cell(row)
        assert cell.count
    assert set(table.rows) <= set(totals)

    audience = to_audience(stats)
    assert audience.sample_size == len(responses)
    assert audience.small_sample == (len(responses) < 30)
    for value, share in audience.age.items():
        assert true_share_is_shown(exact[AGE].counts[value], exact[AGE].answered, share)


def true_share_is_shown(count: int, answered: int, share: float) -> bool:
    return count >= MIN_CELL and share == round(count / answered, 4)


def test_small_groups_are_hidden_and_paired() -> None:
    assert suppress({"a": 30, "b": 3, "c": 0, "d": 12}, total=45) == {
        "a": 30,
        "b": None,
        "c": 0,
        "d": None,
    }
    assert suppress({"a": 30, "b": 3, "c": 12}) == {
        "a": 30,
        "b": None,
        "c": 12,
    }
    assert suppress({"a": 3, "b": 4, "c": 9}, total=16) == {
        "a": None,
        "b": None,
        "c": 9,
    }


def reader(age: str, gender: str, interests: list[str], place: str) -> dict[str, Any]:
    return {AGE: age, GENDER: gender, INTERESTS: interests, PLACE: place, NETWORKS_USED: ["vk"]}


def test_audience_from_a_realistic_survey() -> None:
    responses = (
        [reader("18_24", "women", ["fiction", "history"], "settlement")] * 12
        + [reader("45_54", "women", ["local_history"], "settlement")] * 10
        + [reader("45_54", "men", ["local_history", "fiction"], "district")] * 6
        + [reader("65_plus", "men", ["health"], "region")] * 2
    )
    questionnaire = build_questionnaire(SurveyConfig(title="x"))
    stats = summarize(questionnaire, responses)

    gender = stats.questions[GENDER]
    assert [(c.value, c.display, c.percent) for c in gender.cells] == [
        ("women", "22", 73.3),
        ("men", "8", 26.7),
    ]
    age = stats.questions[AGE]
    assert age.cell("65_plus") is not None
    assert age.cell("65_plus").display == HIDDEN  # type: ignore[union-attr]
    # the smallest other group is hidden too, or 30 - 16 would give 65+ away
    assert age.cell("18_24").hidden  # type: ignore[union-attr]
    assert age.cell("18_24").display == "*"  # type: ignore[union-attr]
    assert not age.cell("65_plus").paired  # type: ignore[union-attr]
    assert age.cell("45_54").count == 16  # type: ignore[union-attr]

    audience = to_audience(stats)
    assert audience.sample_size == 30
    assert not audience.small_sample
    assert audience.age == {"45_54": 0.5333}
    assert audience.gender == {"women": 0.7333, "men": 0.2667}
    assert audience.interests == {
        "fiction": 0.6,
        "history": 0.4,
        "local_history": 0.5333,
    }
    assert audience.geography == {"settlement": 0.7333}  # region (2) hidden, district paired
    assert audience.networks == {"vk": 1.0}
    assert audience.education == {}

    table = stats.crosstab
    assert table is not None
    # Only the age groups the age table shows: 18-24 is paired there, 65+ small.
    assert table.rows == ("45_54",)
    assert table.cells[("45_54", "fiction")].count == 6
    assert table.cells[("45_54", "fiction")].percent == 37.5
    assert table.cells[("45_54", "local_history")].count == 16
    # Health: only the two 65+ readers chose it, so the column is left out altogether.
    assert "health" not in table.columns
    assert ("45_54", "health") not in table.cells


def test_small_sample_is_flagged_and_everything_tiny_is_hidden() -> None:
    responses = [reader("18_24", "women", ["fiction"], "settlement")] * 3
    stats = summarize(DEFAULT_QUESTIONNAIRE, responses)
    assert stats.small_sample
    assert stats.too_few and stats.questions == {} and stats.crosstab is None
    assert all(cell.count in (None, 0) for q in stats.questions.values() for cell in q.cells)
    assert all(q.answered is None for q in stats.questions.values() if q.answered != 0)
    audience = to_audience(stats)
    assert audience.small_sample
    assert audience.age == audience.gender == audience.interests == {}


def test_switched_off_questions_have_no_stats() -> None:
    questionnaire = build_questionnaire(SurveyConfig(title="x", disabled=frozenset({AGE})))
    stats = summarize(questionnaire, [reader("18_24", "women", ["fiction"], "settlement")] * 12)
    assert AGE not in stats.questions
    assert stats.crosstab is None
    assert to_audience(stats).age == {}


def test_results_text_shows_shares_and_hides_small_groups(t_ru: Translator) -> None:
    responses = (
        [reader("18_24", "women", ["fiction", "history"], "settlement")] * 12
        + [reader("45_54", "women", ["local_history"], "settlement")] * 10
        + [reader("65_plus", "men", ["health"], "region")] * 2
    )
    config = SurveyConfig(title="Опрос <2026>", places=("Озёрки & Ко", "Сосновка"))
    questionnaire = build_questionnaire(config)
    for answers in responses:
        answers[PLACE] = "Озёрки & Ко"
    text = results_text(questionnaire, summarize(questionnaire, responses), t_ru, config.title)

    assert "Опрос &lt;2026&gt;" in text
    assert "Озёрки &amp; Ко — 24 (100%)" in text
    assert "24 ответа" in text
    assert "Ответов пока мало (24)" in text
    assert f"{t_ru('opt.age.65_plus')} — меньше 5" in text
    # 22 women and 2 men: both hidden, or 24 - 22 would tell
    assert "Женский — скрыто" in text
    assert "Мужской — меньше 5" in text
    assert f"{t_ru('opt.age.45_54')} — скрыто" in text  # 10, paired with 65+ (2)
    assert f"{t_ru('opt.age.18_24')} — 12 (50%)" in text
    assert "22" not in text
    assert not re.search(r"<(?!/?(b|i)>)", text)  # no raw "<5" for Telegram's HTML parser


def test_results_text_without_responses(t_en: Translator) -> None:
    stats = summarize(DEFAULT_QUESTIONNAIRE, [])
    assert results_text(DEFAULT_QUESTIONNAIRE, stats, t_en, "x") == (
        "There are no finished answers yet."
    )


def test_results_text_below_the_minimum_shows_only_the_count(t_ru: Translator) -> None:
    responses = [reader("18_24", "women", ["fiction"], "settlement")] * 9
    stats = summarize(DEFAULT_QUESTIONNAIRE, responses)
    text = results_text(DEFAULT_QUESTIONNAIRE, stats, t_ru, "x")
    assert t_ru.plural("survey.staff.responses", 9) in text
    assert t_ru.plural("survey.staff.too_few", 10, count=9) in text
    assert t_ru("opt.age.18_24") not in text and "%" not in text
    stats = summarize(DEFAULT_QUESTIONNAIRE, responses, min_results=12)
    assert t_ru.plural("survey.staff.too_few", 12, count=9) in results_text(
        DEFAULT_QUESTIONNAIRE, stats, t_ru, "x"
    )
