"""A copy of the database tells nobody who answered: no reader id, name or testable hash."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
from aiogram import Dispatcher
from aiogram.utils.i18n import I18n

from bot.access import Role
from bot.db.engine import Database
from bot.db.survey_key import key_path
from bot.i18n import Translator
from bot.logging_setup import setup_quiet_libraries
from bot.survey.questions import INTERESTS, build_questionnaire
from handlers.common import help_text
from handlers.survey.callbacks import ForgetAction, ForgetCb
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.survey.bot_helpers import answer_survey, staff_library, survey_with_link

READERS = 20
FORGETTING = range(15, 20)
"""These readers use /forget after answering."""

READER = Role(staff=False, admin=False)


def reader_id(number: int) -> int:
    # Large and distinctive, so neither the number nor its bytes can occur by accident.
    return 6_123_456_789_001 + number * 7_919


def reader_name(number: int) -> str:
    return f"Ксенофонтия{number:02d}"


def _hmac(key: bytes, telegram_id: int) -> str:
    return hmac.new(key, str(telegram_id).encode("ascii"), hashlib.sha256).hexdigest()


def _cells(path: Path) -> list[object]:
    """Every value in every table of the database file, read with sqlite3 alone."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        cells: list[object] = []
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                cells.extend(row)
        return cells
    finally:
        connection.close()


def _candidate_keys(cells: list[object]) -> list[bytes]:
    """Anything stored that could serve as a hashing key: every text and blob, raw and hex."""
    keys: list[bytes] = []
    for cell in cells:
        if isinstance(cell, str) and cell:
            keys.append(cell.encode("utf-8"))
            with contextlib.suppress(ValueError):
                keys.append(bytes.fromhex(cell))
        elif isinstance(cell, bytes) and cell:
            keys.append(cell)
    return keys


@pytest.mark.sqlite_only(reason="reads the SQLite file byte by byte, free pages included")
async def test_the_database_alone_names_no_reader(
    db: Database,
    db_path: Path,
    dispatcher: Dispatcher,
    bot: MockedBot,
    i18n: I18n,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    setup_quiet_libraries()
    ru, en = Translator(i18n, "ru"), Translator(i18n, "en")
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    questionnaire = build_questionnaire(survey.config)
    interests = questionnaire.question(INTERESTS)
    assert interests is not None
    chats = [
        ChatUser(dispatcher, bot, reader_id(n), language_code="ru", first_name=reader_name(n))
        for n in range(READERS)
    ]
    for number, chat in enumerate(chats):
        await answer_survey(chat, survey, source.payload, number=number)
        if number % 4 == 0:
            await chat.send("/help")  # outside the survey, too
            await chat.send("просто текст")
        if number % 5 == 1:
            await chat.send("/language")
            await chat.press("English")
    for number in FORGETTING:
        chat = chats[number]
        await chat.send("/forget")
        texts = chat.texts(await chat.press_data(ForgetCb(action=ForgetAction.CONFIRM).pack()))
        # A reader's chosen language is kept (under their pseudonym) until they forget.
        t = en if number % 5 == 1 else ru
        assert texts == [t.plural("survey.forget.done", 1)]

    # Sanity: the bot did keep what it should (a test that cannot fail is worth nothing).
    remembered = [row[0] for row in await db.execute_fetchall("SELECT reader_hash FROM responses")]
    assert len(remembered) == READERS - len(FORGETTING)
    file = key_path(db_path)
    assert file is not None
    key = bytes.fromhex(file.read_text().strip())
    assert {_hmac(key, reader_id(n)) for n in range(15)} == set(remembered)
    pseudonymous_states = await db.execute_fetchall(
        "SELECT key FROM fsm WHERE key LIKE '%survey_reader:%'"
    )
    assert pseudonymous_states, "readers' states are stored, under their pseudonyms"
    assert chats[1].texts(await chats[1].send("/help")) == [help_text(READER, en)]
    # After /forget the choice is gone too.
    assert chats[16].texts(await chats[16].send("/help")) == [help_text(READER, ru)]

    # Everything written, then only the database file is copied, as a backup would be.
    await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "copy" / "bot.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(db_path, copy)
    raw = copy.read_bytes()
    cells = _cells(copy)
    texts = [str(cell) for cell in cells if cell is not None]

    assert key not in raw and key.hex().encode() not in raw
    keys = _candidate_keys(cells)
    for number in range(READERS):
        telegram_id, name = reader_id(number), reader_name(number)
        for needle in (str(telegram_id), name):
            assert not any(needle in text for text in texts), (needle, number)
            assert needle.encode("utf-8") not in raw, (needle, number)
        # SQLite keeps integers big-endian in 6 or 8 bytes: not even deleted rows hold them.
        assert telegram_id.to_bytes(6, "big") not in raw
        assert telegram_id.to_bytes(8, "big") not in raw
        # No hash that the database alone lets anyone recompute.
        unkeyed = hashlib.sha256(str(telegram_id).encode()).hexdigest()
        assert unkeyed not in raw.decode("latin-1")
        for candidate in keys:
            assert _hmac(candidate, telegram_id) not in texts
        if number in FORGETTING:
            assert _hmac(key, telegram_id).encode() not in raw, "forgotten, also on free pages"

    # Nor do the logs name them.
    logged = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    for number in range(READERS):
        assert str(reader_id(number)) not in logged
        assert reader_name(number) not in logged


async def test_a_reader_becomes_an_ordinary_user_by_joining_a_team(
    db: Database, dispatcher: Dispatcher, bot: MockedBot, i18n: I18n
) -> None:
    from bot.db.repositories import Repositories  # noqa: PLC0415

    repo = Repositories(db)
    library = await staff_library(db)
    survey, source = await survey_with_link(db, library)
    chat = ChatUser(dispatcher, bot, 8_000_001, language_code="ru", first_name="Вера")
    await answer_survey(chat, survey, source.payload)
    assert await repo.users.get(chat.user.id) is None
    # A dead invitation makes nobody staff.
    await chat.send("/start inv_nosuchtoken")
    assert await repo.users.get(chat.user.id) is None

    token = await repo.invites.create(library.id, library.owner_id)
    await chat.send(f"/start inv_{token}")
    user = await repo.users.get(chat.user.id)
    assert user is not None and user.role == "staff" and user.first_name == "Вера"
    assert await repo.libraries.member_role(library.id, chat.user.id) == "editor"
    # Their answers stay as they were, still under the pseudonym only.
    assert [tuple(r) for r in await db.execute_fetchall("SELECT count(*) FROM responses")] == [
        (1,)
    ]
