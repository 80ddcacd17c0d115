"""Rules both features share, each in one place: toggling a choice, decimals in texts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.questions import Kind, Option, Question
from bot.domain.translate import decimal_text

QUESTION = Question(
    "q",
    Kind.MULTI,
    "q.key",
    (Option("a"), Option("b"), Option("c"), Option("none", exclusive=True)),
)
VALUES = st.sampled_from(["a", "b", "c", "none"])


class _Speaker:
    """Enough of Translate for formatting numbers: only the locale matters."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def __call__(self, key: str, /, **params: object) -> str:
        return key

    def plural(self, key: str, n: int, /, **params: object) -> str:
        return key


RU, EN = _Speaker("ru"), _Speaker("en")


# What can be stored: "none" alone, or any choice of the others.
SELECTIONS = st.just(["none"]) | st.lists(st.sampled_from(["a", "b", "c"]), unique=True)


@given(SELECTIONS, VALUES)
def test_toggling_flips_one_value_and_keeps_exclusive_alone(
    selected: list[str], value: str
) -> None:
    result = QUESTION.toggled(selected, value)
    assert len(result) == len(set(result))
    assert (value in result) != (value in selected)
    if "none" in result:
        assert result == ["none"]
    # Pressing the same button twice gives back what was there (as a set), unless the
    # exclusive choice was involved and had to drop the others.
    if "none" not in selected and value != "none":
        assert set(QUESTION.toggled(result, value)) == set(selected)


def test_toggling_examples() -> None:
    assert QUESTION.toggled([], "a") == ["a"]
    assert QUESTION.toggled(["a"], "b") == ["a", "b"]
    assert QUESTION.toggled(["a", "b"], "a") == ["b"]
    assert QUESTION.toggled(["a", "b"], "none") == ["none"]
    assert QUESTION.toggled(["none"], "c") == ["c"]


@given(st.integers(min_value=0, max_value=10_000))
def test_decimals_have_at_most_one_digit_and_a_comma_in_russian(tenths: int) -> None:
    value = tenths / 10
    ru, en = decimal_text(value, RU), decimal_text(value, EN)
    assert ru == en.replace(".", ",")
    assert float(en) == value
    assert not en.endswith(".0")


def test_decimal_examples() -> None:
    assert decimal_text(12.5, RU) == "12,5"
    assert decimal_text(12.0, EN) == "12"
    assert decimal_text(None, EN) == "0"
    assert decimal_text(2.25, EN) in {"2.2", "2.3"}
