"""Reader surveys as the bot runs them: links, answers, results, milestones and closing.

Knows the repositories, the pure modules of :mod:`bot.survey` and the notifier, never
Telegram types; handlers call it and render. Two functions are meant for other parts of
the bot: :func:`audience_for_strategy` (advice: the survey's audience of a strategy) and
:func:`announce_closed` (results once a survey closes; ``bot.scheduling.jobs`` closes
surveys past their date).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Any

from bot.advice.models import AudienceData as AdviceAudience
from bot.db.repositories import Repositories
from bot.db.surveys import SurveyRepository
from bot.db.units import after_commit
from bot.domain.method import NETWORKS
from bot.domain.questions import OTHER, Question, Questionnaire, ticked_key
from bot.domain.summary import other_key
from bot.domain.text_split import split_html
from bot.domain.translate import Translate
from bot.outbox.repository import KEEP_FINISHED
from bot.services.notifier import Notifier
from bot.survey import charts, export, links, poster, prefill, stats, summary, waves
from bot.survey.models import (
    EditRefusal,
    LinkProblem,
    PulsePoll,
    Response,
    Source,
    SourceCount,
    Survey,
)
from bot.survey.pulse import VotedOption, tally
from bot.survey.questions import (
    INTEREST_VALUES,
    SurveyConfig,
    build_questionnaire,
)
from bot.survey.stats import MIN_CELL, SMALL_SAMPLE, AudienceData, SurveyStats
from bot.survey.texts import pulse_text, sources_text

logger = logging.getLogger(__name__)

MILESTONES = (10, 50, 100)
"""Completed responses at which staff and bot admins hear how the survey is going."""

MIN_FOR_STRATEGY = 30
"""Default of ``SURVEY_MIN_FOR_STRATEGY``: completed responses before a survey may fill step 2."""

AUDIENCE_SURVEY_KEY = "aud_survey_id"
"""Strategy answer naming the survey whose results filled the audience step."""


def privacy_facts(min_results: int) -> dict[str, int]:
    """The numbers /privacy and the readers' note state, from the code and the settings."""
    return {
        "min_results": min_results,
        "min_cell": MIN_CELL,
        "outbox_days": KEEP_FINISHED.days,
    }


# --- advice integration ----------------------------------------------------------------------


def to_advice_audience(audience: AudienceData) -> AdviceAudience:
    """The survey's audience in the advice engine's type: the one place the two meet.

    Both use the wizard's option values as keys; the survey's extras are dropped: places
    (the advice reads geography from step 2 answers), the "other" interest and "no
    networks", which name no group or network.
    """
    return AdviceAudience(
        sample_size=audience.sample_size,
        age=dict(audience.age),
        gender=dict(audience.gender),
        interests={k: v for k, v in audience.interests.items() if k in INTEREST_VALUES},
        education=dict(audience.education),
        networks={k: v for k, v in audience.networks.items() if k in NETWORKS},
    )


async def survey_audience(
    surveys: SurveyRepository, survey: Survey, *, min_results: int = stats.MIN_RESULTS
) -> AudienceData:
    """The audience from the survey's answers alone; empty below ``min_results``."""
    questionnaire = build_questionnaire(survey.config)
    kept = await surveys.kept_counts(survey.id)
    survey_stats = stats.summarize_kept(questionnaire, kept, min_results=min_results)
    return stats.to_audience(survey_stats)


async def audience_for_strategy(
    repo: Repositories, strategy_id: int, *, min_results: int = stats.MIN_RESULTS
) -> AdviceAudience | None:
    """Survey results for the advice engine, when step 2 of this strategy came from one.

    None when the audience step was not filled from a survey (or was switched back to the
    librarian's own description, or the survey is gone, or fewer than ``min_results``
    readers completed it: then no number may be shown, and none is cited).
    Recomputed from the live responses on every call.
    """
    answers = await repo.answers.all(strategy_id)
    survey_id = answers.get(AUDIENCE_SURVEY_KEY)
    if answers.get("aud_source") != "survey" or not isinstance(survey_id, int):
        return None
    strategy = await repo.strategies.get(strategy_id)
    surveys = repo.surveys
    survey = await surveys.get_survey(survey_id)
    if strategy is None or survey is None or survey.library_id != strategy.library_id:
        return None
    audience = await survey_audience(surveys, survey, min_results=min_results)
    if audience.sample_size < min_results:
        return None
    return to_advice_audience(audience)


# --- closing -------------------------------------------------------------------------------


async def announce_closed(
    repo: Repositories,
    notifier: Notifier,
    survey: Survey,
    *,
    min_results: int = stats.MIN_RESULTS,
) -> None:
    """Results to the library's staff (and the summary to bot admins), once per survey.

    The outbox's dedupe keys make a second call (another worker, a retry) send nothing.
    """
    questionnaire = build_questionnaire(survey.config)
    kept = await repo.surveys.kept_counts(survey.id)
    survey_stats = stats.summarize_kept(questionnaire, kept, min_results=min_results)
    staff = await notifier.library_staff(survey.library_id)
    key = f"survey:{survey.id}:closed"
    for user_id in dict.fromkeys([*staff, *sorted(notifier.admin_ids)]):
        t = await notifier.translator_for(user_id)
        text = "\n\n".join(
            [
                t("survey.staff.closed_notice", title=escape(survey.title)),
                summary.results_text(questionnaire, survey_stats, t, survey.title),
            ]
        )
        for index, part in enumerate(split_html(text)):
            await notifier.tell(user_id, _fixed(part), dedupe_key=f"{key}:{index}")
    for user_id in dict.fromkeys(staff):
        t = await notifier.translator_for(user_id)
        drawn = await asyncio.to_thread(charts.survey_charts, questionnaire, survey_stats, t)
        for question_id, png in drawn:
            await notifier.document(
                user_id, png, f"{question_id}.png", dedupe_key=f"{key}:chart:{question_id}"
            )


def _milestone_text(title: str, count: int) -> Callable[[Translate], str]:
    return lambda t: t.plural("survey.staff.milestone", count, title=escape(title))


def _fixed(text: str) -> Callable[[Translate], str]:
    return lambda _t: text


# --- the service handlers use ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Opened:
    """A reader came through a link and has their response (new or earlier)."""

    survey: Survey
    response: Response
    resumed: bool
    library_name: str | None = None


@dataclass(frozen=True, slots=True)
class ReaderSession:
    """One reader's response to one survey, for the duration of an update."""

    survey: Survey
    response: Response
    reader: str
    questionnaire: Questionnaire
    accepting: bool = True
    """The survey took answers when the update read it."""
    completed: int = 0
    """The survey's completed responses when the update read it."""


@dataclass(frozen=True, slots=True)
class Finished:
    saved: bool
    """False when the survey closed meanwhile."""
    first_time: bool
    """True only for the first completion (thanks); False for changed answers."""


@dataclass(frozen=True, slots=True)
class Edited:
    survey: Survey
    """As saved (or as closed, when the new cap was already reached)."""
    closed_by_cap: bool


@dataclass(frozen=True, slots=True)
class Preview:
    """What "use for my strategy" would write into step 2, before staff confirm it."""

    audience: AudienceData
    values: dict[str, Any]
    """Step 2 answers drawn from the survey (``aud_source`` excluded)."""


@dataclass(frozen=True, slots=True)
class Applied:
    strategy_id: int
    audience: AudienceData
    answers: dict[str, Any]

    @property
    def small_sample(self) -> bool:
        return self.audience.sample_size < SMALL_SAMPLE


class SurveyService:
    def __init__(
        self,
        repo: Repositories,
        notifier: Notifier,
        *,
        key: Callable[[], Awaitable[bytes]],
        milestones: Sequence[int] = MILESTONES,
        min_results: int = stats.MIN_RESULTS,
        min_for_strategy: int = MIN_FOR_STRATEGY,
    ) -> None:
        self.min_results = min_results
        self.min_for_strategy = min_for_strategy
        self.repo = repo
        self._surveys = repo.surveys
        self.notifier = notifier
        self.milestones = tuple(sorted(milestones))
        self._load_key = key
        self._secret: bytes | None = None
        self._secret_lock = asyncio.Lock()
        self._announced: set[str] = set()

    # --- readers ---------------------------------------------------------------------------

    # -- what handlers read and record, without reaching the repository ----------------------

    async def response_counts(self, survey_id: int) -> tuple[int, int]:
        """(started, completed) responses of a survey."""
        return await self._surveys.response_counts(survey_id)

    async def sources(self, survey_id: int) -> list[Source]:
        """The survey's links, in the order they were added."""
        return await self._surveys.sources(survey_id)

    async def add_source(self, survey_id: int, kind: str, label: str = "") -> Source:
        """A new link (with its own payload) for where the survey is published."""
        return await self._surveys.add_source(survey_id, kind, label)

    async def record_pulse_poll(
        self,
        survey: Survey,
        *,
        chat_id: int,
        message_id: int,
        poll_id: str,
        question: str,
        options: list[str],
    ) -> None:
        """Remember a pulse poll the bot posted for ``survey``, so its votes are counted."""
        await self._surveys.create_pulse_poll(
            chat_id=chat_id,
            message_id=message_id,
            poll_id=poll_id,
            question=question,
            options=options,
            survey_id=survey.id,
            library_id=survey.library_id,
        )

    async def tally_pulse(
        self,
        poll_id: str,
        options: Sequence[VotedOption],
        total_voters: int,
        *,
        is_closed: bool,
    ) -> bool:
        """Store Telegram's new tally of one of our pulse polls; False for other polls and
        for a tally that does not fit the stored poll."""
        stored = await self._surveys.pulse_poll(poll_id)
        if stored is None:
            return False
        try:
            counted = tally(options, len(stored.options), total_voters, is_closed=is_closed)
        except ValueError:
            return False
        return await self._surveys.update_pulse_counts(
            poll_id, counted.counts, counted.total_voters, is_closed=counted.is_closed
        )

    async def reader_hash(self, telegram_id: int) -> str:
        """The reader's pseudonym; the key is read (or created) once per process."""
        return links.reader_hash(await self.load_key(), telegram_id)

    def loaded_reader_hash(self, telegram_id: int) -> str | None:
        """The pseudonym without awaiting: None until the key has been loaded."""
        return None if self._secret is None else links.reader_hash(self._secret, telegram_id)

    async def load_key(self) -> bytes:
        if self._secret is None:
            async with self._secret_lock:
                if self._secret is None:
                    self._secret = await self._load_key()
        return self._secret

    async def open_link(self, payload: str | None, telegram_id: int) -> Opened | LinkProblem:
        if payload is None or links.parse_payload(payload) is None:
            return LinkProblem.MALFORMED
        reader = await self.reader_hash(telegram_id)
        opened = await self._surveys.open_link(payload, reader)
        if isinstance(opened, LinkProblem):
            return opened
        return Opened(opened.survey, opened.reader.response, opened.resumed, opened.library_name)

    async def session(
        self, survey_id: int, telegram_id: int, *, lock: bool = False
    ) -> ReaderSession | None:
        """The reader's response to this survey, if they have one (read once per update).

        ``lock``: the survey's row stays as read until the update commits (see
        :meth:`SurveyRepository.reader_response`); taken by the send.
        """
        reader = await self.reader_hash(telegram_id)
        found = await self._surveys.reader_response(survey_id, reader, lock=lock)
        if found is None:
            return None
        return ReaderSession(
            found.survey,
            found.response,
            reader,
            build_questionnaire(found.survey.config),
            accepting=found.accepting,
            completed=found.completed,
        )

    async def answers(self, session: ReaderSession) -> dict[str, Any]:
        return await self._surveys.answers(session.response.id)

    @staticmethod
    def next_question(session: ReaderSession, answers: dict[str, Any]) -> Question | None:
        """Where a reader goes on: the first question without an answer (skips count)."""
        return session.questionnaire.first_unanswered(answers)

    async def choose(self, session: ReaderSession, question: Question, value: str) -> bool:
        """A single choice; choosing anything but "other" drops an old "other" text."""
        saved = await self._save(session, question.id, value)
        if saved and value != OTHER:
            await self._surveys.delete_answer(
                session.response.id, session.reader, other_key(question.id)
            )
        return saved

    async def toggle(
        self, session: ReaderSession, question: Question, value: str
    ) -> list[str] | None:
        """Flip one choice of a multiple-choice question (kept until Done confirms it);
        None when the survey closed."""
        answers = await self.answers(session)
        selected = question.toggled(question.selection(answers), value)
        if not await self._save(session, ticked_key(question.id), selected):
            return None
        return selected

    async def confirm(self, session: ReaderSession, question: Question) -> bool:
        """Done: the ticks become the answer; an unticked "Other" loses its text."""
        answers = await self.answers(session)
        selected = question.selection(answers)
        if not await self._save(session, question.id, selected):
            return False
        response, reader = session.response.id, session.reader
        await self._surveys.delete_answer(response, reader, ticked_key(question.id))
        if OTHER not in selected:
            await self._surveys.delete_answer(response, reader, other_key(question.id))
        return True

    async def skip(self, session: ReaderSession, question: Question) -> bool:
        """An optional question left out: stored as null, so the reader moves past it."""
        if not await self._save(session, question.id, None):
            return False
        await self._surveys.delete_answer(
            session.response.id, session.reader, ticked_key(question.id)
        )
        return True

    async def save_other(self, session: ReaderSession, question: Question, text: str) -> bool:
        return await self._save(session, other_key(question.id), text)

    async def _save(self, session: ReaderSession, key: str, value: Any) -> bool:
        return await self._surveys.save_answer(session.response.id, session.reader, key, value)

    async def finish(self, session: ReaderSession) -> Finished:
        """Send the answers; milestones and the response cap are checked on first completion.

        ``session`` should come from :meth:`session` with ``lock``: whether the survey takes
        answers is then what holds at the commit.
        """
        if session.response.is_complete:
            # Changing answers after sending: saved as they went; still open?
            return Finished(saved=session.accepting, first_time=False)
        if self._quiet(session) and self._surveys.complete_at_commit(
            session.response.id, session.reader
        ):
            return Finished(saved=True, first_time=True)
        completed, count, accepting = await self._surveys.complete_counted(
            session.response.id, session.reader, session.survey.id
        )
        if not completed:
            return Finished(saved=accepting, first_time=False)
        await self._after_completion(session.survey, count)
        return Finished(saved=True, first_time=True)

    def _quiet(self, session: ReaderSession) -> bool:
        """Whether this completion can tell nobody anything: no cap to reach, no milestone
        this process has not announced yet at the count after it. Then it needs no count
        of its own and is sent with the update's COMMIT."""
        survey, after = session.survey, session.completed + 1
        if survey.response_cap is not None:
            return False
        return all(
            after < milestone or f"survey:{survey.id}:milestone:{milestone}" in self._announced
            for milestone in self.milestones
        )

    async def _after_completion(self, survey: Survey, completed: int) -> None:
        # ">=" and not "==": with many readers finishing at once, the count read here may
        # already be past the milestone; the outbox dedupe key keeps each notice single.
        for milestone in self.milestones:
            key = f"survey:{survey.id}:milestone:{milestone}"
            if completed >= milestone and key not in self._announced:
                await self.notifier.staff_and_admins(
                    survey.library_id, _milestone_text(survey.title, milestone), dedupe_key=key
                )
                # Remembered once the notice is stored: an update rolled back (killed, or
                # a database error) must leave the milestone to the next completion.
                after_commit(self.repo.db, partial(self._announced.add, key))
        if survey.response_cap is not None and completed >= survey.response_cap:
            await self.close(survey)

    async def forget(self, telegram_id: int) -> int:
        return await self._surveys.forget_reader(await self.reader_hash(telegram_id))

    async def response_count(self, telegram_id: int) -> int:
        return await self._surveys.reader_response_count(await self.reader_hash(telegram_id))

    # --- staff -----------------------------------------------------------------------------

    async def create(self, library_id: int, user_id: int, config: SurveyConfig) -> Survey:
        return await self._surveys.create_survey(library_id, user_id, config)

    async def edit(
        self,
        survey_id: int,
        library_ids: Sequence[int],
        change: Callable[[SurveyConfig], SurveyConfig],
    ) -> Edited | EditRefusal | None:
        """Apply staff's ``change`` to the survey as stored now; None if not theirs.

        The change is applied to a fresh read, so two staff members editing different
        settings do not undo each other. A cap already reached closes the survey, as the
        last completed response would have.
        """
        survey = await self.staff_survey(survey_id, library_ids)
        if survey is None:
            return None
        if not survey.is_open:
            return EditRefusal.CLOSED
        config = change(survey.config)
        questions_changed = (config.disabled, config.places) != (
            survey.config.disabled,
            survey.config.places,
        )
        saved = await self._surveys.edit_open_survey(
            survey.id, config, questions_changed=questions_changed
        )
        if isinstance(saved, EditRefusal):
            return saved
        _, completed = await self._surveys.response_counts(saved.id)
        if saved.response_cap is not None and completed >= saved.response_cap:
            closed = await self.close(saved)
            fresh = await self._surveys.get_survey(saved.id)
            return Edited(fresh or saved, closed_by_cap=closed)
        return Edited(saved, closed_by_cap=False)

    async def of_libraries(self, library_ids: Sequence[int]) -> list[Survey]:
        found: list[Survey] = []
        for library_id in library_ids:
            found += await self._surveys.of_library(library_id)
        return sorted(found, key=lambda survey: -survey.id)

    async def staff_survey(self, survey_id: int, library_ids: Sequence[int]) -> Survey | None:
        """The survey, if it belongs to one of these libraries (staff see only their own)."""
        survey = await self._surveys.get_survey(survey_id)
        return survey if survey is not None and survey.library_id in library_ids else None

    async def statistics(self, survey: Survey) -> tuple[Questionnaire, SurveyStats]:
        questionnaire = build_questionnaire(survey.config)
        kept = await self._surveys.kept_counts(survey.id)
        return questionnaire, stats.summarize_kept(
            questionnaire, kept, min_results=self.min_results
        )

    async def results_texts(self, survey: Survey, t: Translate) -> list[str]:
        """The live summary with the survey's pulse polls, split for Telegram."""
        questionnaire, survey_stats = await self.statistics(survey)
        parts = [summary.results_text(questionnaire, survey_stats, t, survey.title)]
        parts += [
            pulse_text(poll, t, min_results=self.min_results)
            for poll in await self.pulse_polls(survey)
        ]
        return split_html("\n\n".join(parts))

    async def pulse_polls(self, survey: Survey) -> list[PulsePoll]:
        polls = await self._surveys.pulse_polls_of_library(survey.library_id)
        return [poll for poll in polls if poll.survey_id in (None, survey.id)]

    async def charts(self, survey: Survey, t: Translate) -> list[tuple[str, bytes]]:
        """One PNG per question; none below the minimum of responses."""
        questionnaire, survey_stats = await self.statistics(survey)
        if survey_stats.too_few:
            return []
        # matplotlib takes a while; the event loop keeps serving readers meanwhile.
        return await asyncio.to_thread(charts.survey_charts, questionnaire, survey_stats, t)

    async def export_table(self, survey: Survey, t: Translate) -> list[list[str]]:
        questionnaire, survey_stats = await self.statistics(survey)
        return export.table(questionnaire, survey_stats, t)

    async def export_csv(self, survey: Survey, t: Translate) -> bytes:
        table = await self.export_table(survey, t)
        # Large surveys take seconds to write: off the event loop, readers keep answering.
        return await asyncio.to_thread(
            export.to_csv, table, delimiter=export.csv_delimiter(t.locale)
        )

    async def export_xlsx(self, survey: Survey, t: Translate) -> bytes:
        table = await self.export_table(survey, t)
        title = t("survey.export.sheet_title")
        return await asyncio.to_thread(export.to_xlsx, table, sheet_title=title)

    async def run_again(self, survey: Survey, user_id: int, t: Translate) -> Survey:
        """A new wave: the same questions and places, new links of the same kinds."""
        base = survey.title.removesuffix(t("survey.wave.suffix", n=survey.config.wave))
        title = waves.wave_title(base, survey.config.wave + 1, t)
        config = survey.config.next_wave(survey.id, title)
        wave = await self._surveys.create_survey(survey.library_id, user_id, config)
        for source in await self._surveys.sources(survey.id):
            await self._surveys.add_source(wave.id, source.kind, source.label)
        return wave

    async def previous_wave(self, survey: Survey) -> Survey | None:
        """The survey this one asks again, if it is still there (and the same library's)."""
        previous_id = survey.config.previous_wave
        previous = None if previous_id is None else await self._surveys.get_survey(previous_id)
        return previous if previous and previous.library_id == survey.library_id else None

    async def compare_waves(self, survey: Survey, previous: Survey, t: Translate) -> list[str]:
        """This wave beside the previous one, split for Telegram."""
        questionnaire, now = await self.statistics(survey)
        _, before = await self.statistics(previous)
        text = waves.comparison_text(questionnaire, before, now, (previous.title, survey.title), t)
        return split_html(text)

    async def source(self, survey: Survey, source_id: int) -> Source | None:
        """One of this survey's links."""
        found = await self._surveys.sources(survey.id)
        return next((source for source in found if source.id == source_id), None)

    async def poster(self, survey: Survey, library_name: str, link: str, t: Translate) -> bytes:
        """The printable A4 poster of one link, in the language of ``t``."""
        text = poster.poster_text(
            title=survey.title,
            library=library_name,
            question_count=len(build_questionnaire(survey.config).questions),
            link=link,
            t=t,
        )
        # Drawing a 300 dpi page takes a moment; readers keep being served meanwhile.
        return await asyncio.to_thread(poster.poster_pdf, text)

    async def source_counts(self, survey: Survey) -> list[SourceCount]:
        return await self._surveys.source_counts(survey.id)

    async def sources_text(self, survey: Survey, t: Translate) -> str:
        counts = await self._surveys.source_counts(survey.id)
        return sources_text(counts, t, min_results=self.min_results)

    async def close(self, survey: Survey) -> bool:
        """Close now (staff or the cap); the results go out once, to whoever closed first."""
        closed = await self._surveys.close_survey(survey.id)
        if closed:
            fresh = await self._surveys.get_survey(survey.id)
            await announce_closed(
                self.repo, self.notifier, fresh or survey, min_results=self.min_results
            )
        return closed

    async def too_few_text(self, survey: Survey, t: Translate) -> str:
        _, completed = await self._surveys.response_counts(survey.id)
        return t.plural("survey.staff.too_few", self.min_results, count=completed)

    async def preview_for_strategy(self, survey: Survey) -> Preview:
        """Step 2 answers the survey's results give, from readers' answers only.

        Questions the survey says nothing about (hidden or unanswered) are left out, so
        the librarian's own answers to them stay as they were.
        """
        audience = await survey_audience(self._surveys, survey, min_results=self.min_results)
        values = prefill.audience_answers(audience)
        values.pop("aud_source", None)
        return Preview(audience, values)

    async def apply_to_strategy(
        self, survey: Survey, strategy_id: int, preview: Preview
    ) -> Applied:
        """Write the confirmed preview into step 2 and remember which survey it came from."""
        answers = {"aud_source": "survey", **preview.values}
        for question_id, value in answers.items():
            await self.repo.answers.save(strategy_id, question_id, value)
        await self.repo.answers.save(strategy_id, AUDIENCE_SURVEY_KEY, survey.id)
        return Applied(strategy_id, preview.audience, answers)

    async def audience_for_strategy(self, strategy_id: int) -> AdviceAudience | None:
        return await audience_for_strategy(self.repo, strategy_id, min_results=self.min_results)
