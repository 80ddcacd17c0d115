from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.clock import to_db
from bot.db.engine import Database
from bot.db.surveys import accepting
from bot.domain import method
from bot.domain.questions import OTHER, Kind
from bot.i18n import Translator
from bot.survey import pulse
from bot.survey.links import (
    MAX_PAYLOAD_LEN,
    deep_link,
    new_payload,
    parse_payload,
    reader_hash,
)
from bot.survey.models import Survey
from bot.survey.pulse import MAX_OPTION_LEN, MAX_OPTIONS, MIN_OPTIONS, parse_options
from bot.survey.questions import (
    AGE,
    DEFAULT_QUESTIONNAIRE,
    EDUCATION,
    INTERESTS,
    NETWORKS_USED,
    PLACE,
    QUESTION_IDS,
    SurveyConfig,
    build_questionnaire,
    end_of_day,
    option_label,
)


def values(question_id: str) -> list[str]:
    question = DEFAULT_QUESTIONNAIRE.question(question_id)
    assert question is not None
    return [option.value for option in question.options]


def method_values(question_id: str) -> list[str]:
    question = method.STRATEGY_METHOD.question(question_id)
    assert question is not None
    return [option.value for option in question.options]


def test_values_match_the_wizard_audience_step() -> None:
    assert values(AGE) == list(method.AGE_GROUPS) == method_values("aud_age")
    assert values(EDUCATION) == method_values("aud_education")
    assert values(INTERESTS) == method_values("aud_interests")
    assert values(NETWORKS_USED) == [*method.NETWORKS, "none"]
    assert set(values(PLACE)) == set(method_values("aud_geo"))
    want = DEFAULT_QUESTIONNAIRE.question("sv_wants")
    assert want is not None
    assert {o.value for o in want.options} - {OTHER} <= set(method.RUBRICS)


def test_reused_option_sets_are_the_wizards() -> None:
    for question_id, wizard_id in [
        (AGE, "aud_age"),
        (EDUCATION, "aud_education"),
        (INTERESTS, "aud_interests"),
        (NETWORKS_USED, "net_current"),
    ]:
        ours = DEFAULT_QUESTIONNAIRE.question(question_id)
        theirs = method.STRATEGY_METHOD.question(wizard_id)
        assert ours is not None
        assert theirs is not None
        assert ours.option_set == theirs.option_set


def test_config_switches_questions_off_and_sets_places() -> None:
    config = SurveyConfig(title="Опрос", disabled=frozenset({"sv_visits", "sv_gender"}))
    config = config.with_places([" Озёрки ", "Сосновка", "озёрки", ""])
    questionnaire = build_questionnaire(config)

    ids = [q.id for q in questionnaire.questions]
    assert ids == [q for q in QUESTION_IDS if q not in {"sv_visits", "sv_gender"}]
    place = questionnaire.question(PLACE)
    assert place is not None
    assert [o.value for o in place.options] == ["Озёрки", "Сосновка", OTHER]
    assert place.kind is Kind.SINGLE
    assert config.toggled("sv_visits").disabled == frozenset({"sv_gender"})


def test_config_round_trips_through_json() -> None:
    config = SurveyConfig(
        title="Что вам интересно",
        disabled=frozenset({"sv_wants"}),
        places=("Озёрки",),
        closes_at=datetime(2026, 12, 31, 18, 0, tzinfo=timezone(timedelta(hours=3))),
        response_cap=300,
    )
    assert SurveyConfig.from_json(config.to_json()) == config


@pytest.mark.parametrize(
    "kwargs",
    [
        {"title": ""},
        {"title": "x" * 121},
        {"title": "x", "disabled": frozenset({"nope"})},
        {"title": "x", "disabled": frozenset(QUESTION_IDS)},
        {"title": "x", "places": ("a",) * 13},
        {"title": "x", "places": ("A", "a")},
        {"title": "x", "places": (OTHER,)},
        {"title": "x", "closes_at": datetime(2030, 1, 1)},  # noqa: DTZ001 - naive on purpose
        {"title": "x", "response_cap": 0},
    ],
)
def test_bad_configs_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - several messages
        SurveyConfig(**kwargs)  # type: ignore[arg-type]


def test_place_labels(t_ru: Translator) -> None:
    questionnaire = build_questionnaire(SurveyConfig(title="x", places=("Озёрки",)))
    place = questionnaire.question(PLACE)
    assert place is not None
    assert option_label(place, "Озёрки", t_ru) == "Озёрки"
    assert option_label(place, OTHER, t_ru) == "В другом месте"
    default_place = DEFAULT_QUESTIONNAIRE.question(PLACE)
    assert default_place is not None
    assert option_label(default_place, "region", t_ru) == "В другом районе нашего региона"


def test_a_closing_date_means_the_end_of_that_day_at_the_library() -> None:
    moment = end_of_day(date(2026, 12, 31), "Asia/Yekaterinburg")
    assert to_db(moment) == "2026-12-31T18:59:59.999Z"


def test_closing_time_text_sorts_like_sqlite_now() -> None:
    moment = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=3)))
    assert to_db(moment) == "2026-03-01T09:00:00.123Z"


def test_payloads_are_random_short_and_telegram_safe() -> None:
    payloads = {new_payload() for _ in range(1000)}
    assert len(payloads) == 1000
    for payload in payloads:
        assert len(payload) <= MAX_PAYLOAD_LEN
        assert re.fullmatch(r"[A-Za-z0-9_-]+", payload)
        assert parse_payload(payload) == payload


@pytest.mark.parametrize(
    "text",
    [
        "",
        "sv_",
        "survey_1",
        "sv_" + "a" * 21,
        "sv_" + "a" * 23,
        "sv_" + "a" * 21 + "!",
        "sv_" + "a" * 21 + " ",
        "sv_" + "а" * 22,  # Cyrillic a
        " sv_" + "a" * 22,
        "sv_" + "a" * 22 + "\n",
        "x" * 65,
        None,
        12345,
    ],
)
def test_parser_rejects_anything_not_exactly_ours(text: object) -> None:
    assert parse_payload(text) is None


@given(st.text(max_size=80))
def test_parser_accepts_only_the_exact_shape(text: str) -> None:
    parsed = parse_payload(text)
    if parsed is not None:
        assert parsed == text
        assert re.fullmatch(r"sv_[A-Za-z0-9_-]{22}", text)


def test_deep_link() -> None:
    payload = new_payload()
    assert (
        deep_link("@LibraryHelperBot", payload) == f"https://t.me/LibraryHelperBot?start={payload}"
    )
    with pytest.raises(ValueError, match="username"):
        deep_link("bad name", payload)
    with pytest.raises(ValueError, match="payload"):
        deep_link("LibraryHelperBot", "hello")


def test_reader_hash_is_keyed_and_stable() -> None:
    first = reader_hash(b"a" * 32, 123456789)
    assert first == reader_hash(b"a" * 32, 123456789)
    assert first != reader_hash(b"b" * 32, 123456789)
    assert first != reader_hash(b"a" * 32, 123456780)
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert "123456789" not in first


@dataclass
class Option:
    voter_count: int


def test_pulse_tally_from_poll_options() -> None:
    result = pulse.tally([Option(3), Option(0), Option(5)], 3, 8)
    assert result == pulse.Tally([3, 0, 5], 8, False)
    assert pulse.shares(result.counts, result.total_voters) == [37.5, 0.0, 62.5]
    assert pulse.shares([0, 0], 0) == [0.0, 0.0]
    with pytest.raises(ValueError, match="expected 2"):
        pulse.tally([Option(1)], 2, 1)
    with pytest.raises(ValueError, match="negative"):
        pulse.tally([Option(-1), Option(1)], 2, 1)


def test_closing_time_in_the_past_is_allowed_for_configs() -> None:
    # Staff screens refuse past dates; the type itself only needs an aware moment.
    SurveyConfig(title="x", closes_at=datetime.now(UTC) - timedelta(days=1))


@given(st.lists(st.text(alphabet=" ab\u200b", max_size=5), max_size=16))
def test_pulse_options_are_lines_without_blanks_or_repeats(lines: list[str]) -> None:
    options = parse_options("\n".join(lines))
    seen = dict.fromkeys(" ".join(line.replace("\u200b", "").split()) for line in lines)
    cleaned = [option for option in seen if option]
    if MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
        assert options == cleaned
    else:
        assert options is None


def test_pulse_option_too_long_is_refused() -> None:
    assert parse_options("да\n" + "н" * (MAX_OPTION_LEN + 1)) is None
    assert parse_options("  да  \nнет\nда\n\n") == ["да", "нет"]
    assert parse_options("да\n\u200b\n...\nнет") == ["да", "нет"]  # nothing to read: dropped


async def test_survey_accepts_in_python_as_the_sql_says(db: Database) -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    cases = [
        ("open", None, True),
        ("open", to_db(now + timedelta(milliseconds=1)), True),
        ("open", to_db(now), False),
        ("open", to_db(now - timedelta(days=1)), False),
        ("closed", None, False),
        ("closed", to_db(now + timedelta(days=1)), False),
    ]
    for status, closes_at, expected in cases:
        survey = Survey(1, 1, 1, "t", SurveyConfig(title="t"), status, closes_at, None, "", None)
        assert survey.accepts(now) is expected, (status, closes_at)
        cursor = await db.execute(
            f"SELECT {accepting('s', '?')} FROM (SELECT ? AS status, ? AS closes_at) s",
            (to_db(now), status, closes_at),
        )
        row = await cursor.fetchone()
        assert row is not None and bool(row[0]) is expected, (status, closes_at)
