"""Driving the survey through the real Dispatcher: staff setup and readers answering."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Dispatcher
from aiogram.methods import SendDocument, SendMessage
from aiogram.types import BufferedInputFile

from bot.db.engine import Database
from bot.db.repositories import Libraries, Library, Users
from bot.db.surveys import SurveyRepository
from bot.domain.questions import Kind, Question
from bot.survey.models import Source, Survey
from bot.survey.questions import SurveyConfig, build_questionnaire
from handlers.survey.callbacks import ReaderAction, ReaderCb
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot

STAFF_ID = 100

Choice = Callable[[Question, int], list[int]]
"""Which option indexes a reader picks for a question (reader number given)."""


def first_choices(question: Question, reader: int) -> list[int]:
    """Spread answers over the options a little, always a valid pick."""
    count = len(question.options)
    picked = reader % count
    if question.kind is Kind.MULTI:
        second = (reader + 1) % count
        # "no networks" is exclusive: tick it alone, else two ordinary options.
        if question.options[picked].exclusive or question.options[second].exclusive:
            return [picked if question.options[picked].exclusive else second]
        if question.options[picked].value == "other" or question.options[second].value == "other":
            return [0]
        return sorted({picked, second})
    if question.options[picked].value == "other":
        return [0]
    return [picked]


def last_choices(question: Question, reader: int) -> list[int]:
    """A different, fixed answer: the last ordinary option."""
    options = [i for i, o in enumerate(question.options) if o.value != "other" and not o.exclusive]
    return [options[-1]]


async def staff_library(db: Database, user_id: int = STAFF_ID) -> Library:
    await Users(db).upsert(user_id, "Анна", "ru")
    return await Libraries(db).create(user_id, "Сельская библиотека <Пушкина>")


async def survey_with_link(
    db: Database, library: Library, config: SurveyConfig | None = None
) -> tuple[Survey, Source]:
    surveys = SurveyRepository(db)
    survey = await surveys.create_survey(
        library.id, library.owner_id, config or SurveyConfig(title="Что вам интересно")
    )
    return survey, await surveys.add_source(survey.id, "poster", "Афиша")


def reader(dispatcher: Dispatcher, bot: MockedBot, user_id: int, lang: str = "ru") -> ChatUser:
    return ChatUser(dispatcher, bot, user_id, language_code=lang, first_name="Читатель")


async def answer_question(
    chat: ChatUser, survey: Survey, question: Question, picks: list[int]
) -> None:
    if question.kind is Kind.SINGLE:
        await chat.press_data(
            ReaderCb(
                action=ReaderAction.PICK,
                survey_id=survey.id,
                question=question.id,
                option=picks[0],
            ).pack()
        )
        return
    for pick in picks:
        await chat.press_data(
            ReaderCb(
                action=ReaderAction.TOGGLE, survey_id=survey.id, question=question.id, option=pick
            ).pack()
        )
    await chat.press_data(
        ReaderCb(action=ReaderAction.DONE, survey_id=survey.id, question=question.id).pack()
    )


async def answer_survey(
    chat: ChatUser,
    survey: Survey,
    payload: str,
    *,
    number: int = 0,
    choose: Choice = first_choices,
    change: bool = False,
) -> None:
    """The whole survey by buttons: open the link, start (or "change answers"), send."""
    await chat.send(f"/start {payload}")
    start = "edit" if change else "go"
    await chat.press_data(ReaderCb(action=start, survey_id=survey.id).pack())
    for question in build_questionnaire(survey.config).questions:
        await answer_question(chat, survey, question, choose(question, number))
    await chat.press_data(ReaderCb(action=ReaderAction.SEND, survey_id=survey.id).pack())


def sent_to(bot: MockedBot, chat_id: int) -> list[str]:
    return [
        r.text for r in bot.session.requests if isinstance(r, SendMessage) and r.chat_id == chat_id
    ]


def documents(requests: list[Any]) -> list[tuple[str, bytes]]:
    found = []
    for request in requests:
        if isinstance(request, SendDocument) and isinstance(request.document, BufferedInputFile):
            found.append((request.document.filename or "", request.document.data))
    return found


# --- drained reads ---------------------------------------------------------------------------
#
# bot/storage.py, bot/db/repositories.py and bot/outbox/repository.py read with
# ``async with db.execute(...) as cursor: await cursor.fetchone()``: two calls into the
# aiosqlite worker. Under concurrent updates on the shared connection another coroutine's
# commit can run between them and fails with "cannot commit transaction - SQL statements in
# progress" (found by the 200-reader test). The fix there is to drain each statement in one
# call (``execute_fetchall``), as bot/db/surveys.py does. Until that lands, the
# concurrency test runs with this stand-in, which does exactly that for every ``execute``.
