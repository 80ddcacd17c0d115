"""The building blocks of a declarative questionnaire.

The strategy wizard and the reader survey are both declared with these types; handlers,
keyboards, storage, summaries and documents read the declaration instead of hard-coding
questions. Nothing here knows about Telegram.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Answers = Mapping[str, Any]
"""Question id -> stored value (str, int, list[str]) of one strategy or response."""


class Kind(StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    TEXT = "text"
    NUMBER = "number"


OTHER = "other"
"""Option value that asks for free text; the text is stored next to the choice."""


def ticked_key(question_id: str) -> str:
    """Where a multiple-choice question's ticks wait until Done confirms them.

    The answer itself (under the question id) is written only by Done, so a question with
    ticks but no Done is still unanswered: a resumed wizard or survey comes back to it.
    """
    return f"{question_id}.ticked"


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    # Shown only when this returns True for the answers given so far (e.g. time zones of
    # the chosen country). None means always shown.
    show_if: Callable[[Answers], bool] | None = None
    exclusive: bool = False
    """For multiple choice: picking it clears the others (e.g. "none")."""

    def visible(self, answers: Answers) -> bool:
        return self.show_if is None or self.show_if(answers)


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    kind: Kind
    text_key: str
    options: Sequence[Option] = ()
    option_set: str = ""
    """Locale namespace of the option labels: ``opt.<option_set>.<value>``."""
    required: bool = True
    min_len: int = 1
    max_len: int = 500
    min_value: int = 0
    max_value: int = 1_000_000
    validator: str = ""
    """Name of an extra text check in :mod:`bot.domain.validation` ("url", "timezone", "name")."""
    show_if: Callable[[Answers], bool] | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    """Values for placeholders in the question text; ``*_key`` values are locale keys."""

    def visible(self, answers: Answers) -> bool:
        return self.show_if is None or self.show_if(answers)

    def visible_options(self, answers: Answers) -> list[Option]:
        return [option for option in self.options if option.visible(answers)]

    def option(self, value: str) -> Option | None:
        return next((option for option in self.options if option.value == value), None)

    @property
    def has_other(self) -> bool:
        return self.option(OTHER) is not None

    def option_key(self, value: str) -> str:
        return f"opt.{self.option_set}.{value}"

    def selection(self, answers: Answers) -> list[str]:
        """The choices ticked now: unconfirmed ticks first, else the confirmed answer."""
        for key in (ticked_key(self.id), self.id):
            value = answers.get(key)
            if isinstance(value, list):
                return [str(item) for item in value]
            if key == self.id and isinstance(value, str):
                return [value]
        return []

    def toggled(self, selected: Sequence[str], value: str) -> list[str]:
        """``selected`` with ``value`` flipped; an exclusive choice ("none") stands alone."""
        if value in selected:
            return [item for item in selected if item != value]
        option = self.option(value)
        if option is not None and option.exclusive:
            return [value]
        exclusive = {o.value for o in self.options if o.exclusive}
        return [item for item in selected if item not in exclusive] + [value]


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    number: int
    """1..7 for the method's steps; 0 for the library profile that comes before them."""
    title_key: str
    questions: Sequence[Question]


@dataclass(frozen=True, slots=True)
class Questionnaire:
    steps: Sequence[Step]

    def __post_init__(self) -> None:
        ids = [q.id for step in self.steps for q in step.questions]
        duplicates = {qid for qid in ids if ids.count(qid) > 1}
        if duplicates:
            raise ValueError(f"duplicate question ids: {sorted(duplicates)}")

    @property
    def questions(self) -> list[Question]:
        return [q for step in self.steps for q in step.questions]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def step_of(self, question_id: str) -> Step:
        for step in self.steps:
            if any(q.id == question_id for q in step.questions):
                return step
        raise KeyError(question_id)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def next_question(self, after: str | None, answers: Answers) -> Question | None:
        """The first visible question after ``after`` (from the start when None)."""
        questions = self.questions
        start = 0
        if after is not None:
            start = next(i for i, q in enumerate(questions) if q.id == after) + 1
        return next((q for q in questions[start:] if q.visible(answers)), None)

    def first_of_step(self, step_id: str, answers: Answers) -> Question | None:
        step = self.step(step_id)
        if step is None:
            return None
        return next((q for q in step.questions if q.visible(answers)), None)

    def first_unanswered(self, answers: Answers) -> Question | None:
        """Where a resumed wizard goes on: the first visible question without a confirmed answer.

        A skipped optional question is stored as None, so it counts as answered; ticks of a
        multiple-choice question count only after Done (see :func:`ticked_key`).
        """
        return next(
            (q for q in self.questions if q.visible(answers) and q.id not in answers), None
        )


def choices(values: Iterable[str], *, other: bool = False, none: str = "") -> tuple[Option, ...]:
    """Options for ``values``, plus "Other…" (asks for text) and an exclusive "none" option."""
    options = [Option(value) for value in values]
    if other:
        options.append(Option(OTHER))
    if none:
        options.append(Option(none, exclusive=True))
    return tuple(options)


def includes(question_id: str, *values: str) -> Callable[[Answers], bool]:
    """Condition: the answer to ``question_id`` is (or contains) one of ``values``."""

    def check(answers: Answers) -> bool:
        given = answers.get(question_id)
        if isinstance(given, list):
            return any(value in given for value in values)
        return given in values

    return check
