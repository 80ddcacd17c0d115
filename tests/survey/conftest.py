from __future__ import annotations

import pytest

from bot.db.engine import Database
from bot.db.repositories import Libraries, Users
from bot.db.surveys import SurveyRepository
from bot.i18n import Translator, create_i18n

STAFF_ID = 1001


@pytest.fixture
async def library_id(db: Database) -> int:
    await Users(db).upsert(STAFF_ID, "Staff", "ru")
    library = await Libraries(db).create(STAFF_ID, "Central library")
    return library.id


@pytest.fixture
def repo(db: Database) -> SurveyRepository:
    return SurveyRepository(db)


@pytest.fixture(scope="session")
def t_ru() -> Translator:
    return Translator(create_i18n(), "ru")


@pytest.fixture(scope="session")
def t_en() -> Translator:
    return Translator(create_i18n(), "en")
