"""/privacy and the readers' note say what the code does: each claim has a check here.

A new claim in handlers/privacy.py without a check below fails
``test_every_claim_has_a_check``; a check that no longer holds fails its own test.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiogram import Dispatcher
from aiogram.methods import SetMyCommands
from aiogram.utils.i18n import I18n

from bot.access import Role
from bot.config import Settings
from bot.db.engine import Database
from bot.db.repositories import User
from bot.db.survey_key import key_path
from bot.i18n import SUPPORTED_LOCALES, Translator
from bot.logging_setup import log_who, setup_quiet_libraries
from bot.outbox.repository import KEEP_FINISHED
from bot.readers import ASKING_KEY, KEPT_KEYS, LANGUAGE_KEY, READER_DESTINY, reader_key
from bot.scheduling.jobs import OUTBOX_KEEP
from bot.services.surveys import privacy_facts as facts
from bot.survey.export import table
from bot.survey.questions import AGE, INTERESTS, PLACE, SurveyConfig, build_questionnaire
from bot.survey.stats import MIN_CELL, MIN_RESULTS, summarize
from handlers.common import help_text
from handlers.privacy import CLAIMS, privacy_text, reader_note
from handlers.survey.callbacks import ForgetAction, ForgetCb, ReaderAction, ReaderCb
from tests.chat import ChatUser
from tests.engines import table_names
from tests.mocked_bot import MockedBot
from tests.survey.bot_helpers import answer_survey, reader, staff_library, survey_with_link

ROOT = Path(__file__).resolve().parents[2]

READER = Role(staff=False, admin=False)


async def _columns(db: Database, table_name: str) -> set[str]:
    """A table's columns, from either engine's catalog."""
    if db.dialect == "postgresql":
        rows = await db.execute_fetchall(
            """SELECT column_name FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = ?""",
            (table_name,),
        )
        return {str(row[0]) for row in rows}
    return {row[1] for row in await db.execute_fetchall(f"PRAGMA table_info({table_name})")}


async def check_reader_stored(db: Database) -> None:
    # Answers (an "other" text is an answer), start and end, the link: nothing else.
    assert await _columns(db, "responses") == {
        "id", "survey_id", "reader_hash", "source_id", "started_at", "completed_at",
    }  # fmt: skip
    assert await _columns(db, "response_answers") == {
        "response_id", "question_id", "value", "updated_at",
    }  # fmt: skip


async def check_reader_pseudonym(db: Database) -> None:
    # The key is a file beside the SQLite database, or SURVEY_SECRET (required with
    # PostgreSQL), never a row in it (test_reader_privacy.py looks for ids, names and
    # hashes in the SQLite file itself; test_no_reader_in_any_table on both engines).
    assert key_path(Path("data/bot.sqlite3")) == Path("data/bot.sqlite3.survey-key")
    with pytest.raises(ValueError, match="SURVEY_SECRET"):
        Settings(_env_file=None, bot_token=None, database_url="postgresql://h/db")
    assert await db.execute_fetchall("SELECT * FROM settings") == []
    assert log_who(User.reader(123456789, "Мария", "ru")) == {"user": "reader"}
    # aiosqlite would log each statement with its parameters (ids among them) at DEBUG.
    setup_quiet_libraries()
    assert not logging.getLogger("aiosqlite").isEnabledFor(logging.DEBUG)


async def check_reader_state(db: Database) -> None:
    from aiogram.fsm.storage.base import StorageKey  # noqa: PLC0415

    key = reader_key(StorageKey(bot_id=1, chat_id=77, user_id=77), "ab" * 32)
    assert (key.chat_id, key.user_id) == (0, 0)
    assert key.destiny == f"{READER_DESTINY}:{'ab' * 32}"
    assert LANGUAGE_KEY == "lang"
    assert {LANGUAGE_KEY, ASKING_KEY} == KEPT_KEYS  # "the question you are being shown"


async def check_reader_staff_see(db: Database) -> None:
    questionnaire = build_questionnaire(SurveyConfig(title="x"))
    few = [{AGE: "18_24"}] * (MIN_RESULTS - 1)
    assert summarize(questionnaire, few).questions == {}
    assert summarize(questionnaire, few * 2).questions != {}
    assert MIN_CELL == 5
    assert Settings.model_fields["survey_min_results"].default == MIN_RESULTS


async def check_reader_files(db: Database) -> None:
    config = SurveyConfig(title="x", places=("Озёрки",))
    questionnaire = build_questionnaire(config)
    answers = [
        {PLACE: "Озёрки", AGE: "18_24", INTERESTS: ["other"], f"{INTERESTS}.other": "Иван П."}
    ] * 12
    t = Translator(_i18n(), "ru")
    cells = [
        cell
        for line in table(questionnaire, summarize(questionnaire, answers), t)
        for cell in line
    ]
    assert "Иван П." not in cells
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", cell) for cell in cells)
    assert not any("Афиша" in cell for cell in cells)


async def check_reader_keep(db: Database) -> None:
    # Only /forget deletes responses: no other statement in the code does.
    deleting = [
        path
        for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]
        if re.search(r"DELETE\s+FROM\s+responses", path.read_text(encoding="utf-8"), re.I)
    ]
    assert [path.relative_to(ROOT).as_posix() for path in deleting] == ["bot/db/surveys.py"]


async def check_reader_forget(db: Database) -> None:
    pass  # through the bot, in test_forget_removes_answers_and_state below


async def check_staff_stored(db: Database) -> None:
    assert await _columns(db, "users") == {
        "id", "language", "role", "first_name", "blocked_bot", "created_at", "updated_at",
        "notifications", "current_library_id",
    }  # fmt: skip


async def check_staff_outbox(db: Database) -> None:
    assert OUTBOX_KEEP is KEEP_FINISHED
    assert facts(10)["outbox_days"] == KEEP_FINISHED.days == 60


async def check_staff_logs(db: Database) -> None:
    assert log_who(User(5, "ru", "staff", "Анна", blocked_bot=False)) == {"user_id": 5}


async def check_staff_delete(db: Database) -> None:
    pass  # /forget for staff too: test_forget_removes_answers_and_state


CHECKS: dict[str, Callable[[Database], Awaitable[None]]] = {
    "privacy.reader.stored": check_reader_stored,
    "privacy.reader.pseudonym": check_reader_pseudonym,
    "privacy.reader.state": check_reader_state,
    "privacy.reader.staff_see": check_reader_staff_see,
    "privacy.reader.files": check_reader_files,
    "privacy.reader.keep": check_reader_keep,
    "privacy.reader.forget": check_reader_forget,
    "privacy.staff.stored": check_staff_stored,
    "privacy.staff.outbox": check_staff_outbox,
    "privacy.staff.logs": check_staff_logs,
    "privacy.staff.delete": check_staff_delete,
}

_I18N: list[I18n] = []


def _i18n() -> I18n:
    return _I18N[0]


def test_every_claim_has_a_check() -> None:
    assert set(CHECKS) == set(CLAIMS)


@pytest.mark.parametrize("claim", CLAIMS)
async def test_claim_holds(claim: str, db: Database, i18n: I18n) -> None:
    _I18N[:] = [i18n]
    await CHECKS[claim](db)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_texts_state_the_numbers_in_force(locale: str, i18n: I18n) -> None:
    t = Translator(i18n, locale)
    text = privacy_text(t, min_results=12)
    for claim in CLAIMS:
        assert t(claim, **facts(12)) in text
    assert "12" in text and str(MIN_CELL) in text and str(KEEP_FINISHED.days) in text
    note = reader_note(t, min_results=12)
    assert "12" in note and str(MIN_CELL) in note and "/forget" in note and "/privacy" in note


async def test_privacy_command_menu_and_help(
    dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    for locale in SUPPORTED_LOCALES:
        t = Translator(i18n, locale)
        chat = reader(dispatcher, bot, 7001, lang=locale)
        assert chat.texts(await chat.send("/privacy")) == [privacy_text(t, min_results=10)]
        assert "/privacy" in chat.texts(await chat.send("/help"))[0]
        assert f"/privacy — {t('cmd.privacy')}" in help_text(READER, t)
    await dispatcher.emit_startup(bot=bot, **dispatcher.workflow_data)
    menus = [r for r in bot.session.requests if isinstance(r, SetMyCommands)]
    assert menus and all("privacy" in [c.command for c in menu.commands] for menu in menus)


async def test_forget_removes_answers_and_state(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)  # user 100 is staff
    survey, source = await survey_with_link(db, library)
    for user_id in (100, 7002):  # a librarian testing the survey, and a reader
        chat = reader(dispatcher, bot, user_id)
        await answer_survey(chat, survey, source.payload)
        await chat.send("/language")
        await chat.press("English")
        await chat.press_data(
            ReaderCb(action=ReaderAction.CHANGE_ANSWERS, survey_id=survey.id).pack()
        )
        await chat.send("/forget")
        await chat.press_data(ForgetCb(action=ForgetAction.CONFIRM).pack())
    assert await db.execute_fetchall("SELECT * FROM responses") == []
    assert await db.execute_fetchall("SELECT * FROM fsm WHERE key LIKE '%survey_reader%'") == []
    assert [row[0] for row in await db.execute_fetchall("SELECT id FROM users")] == [100]
    # A new reader is told the same rules before the first question.
    chat = reader(dispatcher, bot, 7003)
    (greeting,) = chat.texts(await chat.send(f"/start {source.payload}"))
    assert greeting.endswith(reader_note(ru, min_results=10))


async def test_no_reader_in_any_table(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    """Every cell of every table, as text, on either engine: no reader's Telegram id or name,
    and after /forget not even their pseudonym. (On SQLite the file itself, free pages
    included, is read by test_reader_privacy.py.)"""
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    readers = {7_700_001 + n: f"Читательница{n}" for n in range(4)}
    for user_id, name in readers.items():
        chat = ChatUser(dispatcher, bot, user_id, language_code="ru", first_name=name)
        await answer_survey(chat, survey, source.payload)
        await chat.send("/language")
        await chat.press("English")
    leaving = 7_700_001
    hashes = {row[0] for row in await db.execute_fetchall("SELECT reader_hash FROM responses")}
    assert len(hashes) == len(readers)  # sanity: the answers are there
    chat = ChatUser(dispatcher, bot, leaving, language_code="ru", first_name=readers[leaving])
    await chat.send("/forget")
    await chat.press_data(ForgetCb(action=ForgetAction.CONFIRM).pack())
    kept = {row[0] for row in await db.execute_fetchall("SELECT reader_hash FROM responses")}
    (forgotten,) = hashes - kept

    cells: list[str] = []
    for name in await table_names(db):
        for row in await db.execute_fetchall(f"SELECT * FROM {name}"):
            cells.extend(str(cell) for cell in row if cell is not None)
    dump = "\n".join(cells)
    assert kept and all(tag in dump for tag in kept)  # the check can see what is there
    assert forgotten not in dump
    for user_id, name in readers.items():
        assert str(user_id) not in dump, user_id
        assert name not in dump, name
