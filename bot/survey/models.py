"""The survey's entities, as the repository returns them and the rules and texts read them.

Plain data, no SQL and no aiogram: ``bot.db.surveys`` builds them, everything else reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.survey.questions import SurveyConfig


class LinkProblem(StrEnum):
    """Why a reader cannot answer through a link; handlers map these to texts."""

    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    CLOSED = "closed"
    EXPIRED = "expired"
    FULL = "full"


class EditRefusal(StrEnum):
    """Why staff's change to a survey was not saved; handlers map these to texts."""

    CLOSED = "closed"
    ANSWERED = "answered"
    """Questions or places changed after a reader sent answers."""
    CAP_TOO_LOW = "cap_too_low"
    """The new cap is below the number of readers who already started."""


@dataclass(frozen=True, slots=True)
class Survey:
    id: int
    library_id: int
    created_by: int
    title: str
    config: SurveyConfig
    status: str
    closes_at: str | None
    response_cap: int | None
    created_at: str
    closed_at: str | None

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def accepts(self, now: datetime) -> bool:
        """Open and before its closing moment: past its date a survey takes no answers, even
        before the scheduler closes it. The same rule in SQL: ``bot.db.surveys.accepting``."""
        return self.is_open and (
            self.closes_at is None or datetime.fromisoformat(self.closes_at) > now
        )


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    survey_id: int
    kind: str
    label: str
    payload: str


@dataclass(frozen=True, slots=True)
class Resolved:
    survey: Survey
    source: Source


@dataclass(frozen=True, slots=True)
class Response:
    id: int
    survey_id: int
    reader_hash: str
    source_id: int | None
    started_at: str
    completed_at: str | None

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True, slots=True)
class Started:
    response: Response
    resumed: bool
    """True when this reader had already started (or finished) this survey."""


@dataclass(frozen=True, slots=True)
class SourceCount:
    source: Source
    started: int
    completed: int


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One response for export: a sequential respondent number instead of any identity."""

    number: int
    source_kind: str
    source_label: str
    started_at: str
    completed_at: str | None
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PulsePoll:
    id: int
    survey_id: int | None
    library_id: int | None
    chat_id: int
    message_id: int
    poll_id: str
    question: str
    options: list[str]
    counts: list[int]
    total_voters: int
    is_closed: bool
