"""Who may do what: every staff command and every strategy/wizard button of Anna's library,
tried by an outsider (John, never seen before) and by the owner of another library (Boris).
Each gets a polite answer, Anna's data stays as it was, and nothing of it reaches them."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from aiogram import Dispatcher
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
)
from aiogram.types import BufferedInputFile
from aiogram.utils.i18n import I18n

from bot.access import ADMIN_COMMANDS, STAFF_COMMANDS
from bot.db.repositories import Libraries, Repositories
from bot.db.surveys import SurveyRepository
from bot.domain.method import STRATEGY_METHOD
from bot.i18n import Translator
from bot.survey.questions import SurveyConfig
from handlers.strategy.callbacks import (
    AdviceCb,
    CalendarCb,
    ExportCb,
    QuestionCb,
    StepCb,
    StrategyCb,
)
from handlers.survey.callbacks import StaffCb
from tests.chat import ChatUser
from tests.conftest import ADMIN_ID
from tests.mocked_bot import MockedBot
from tests.profiles import WIZARD_RURAL_RU
from tests.wizard_driver import complete_wizard, wizard_position

SECRETS = (
    "Пушкина",
    str(WIZARD_RURAL_RU["lib_settlement"]),
    "Библиотека Анны",
    "Опрос Библиотеки Анны",
)


def readable(request: Any) -> str:
    """Everything a request shows its recipient: text, caption, file name and contents."""
    parts = [
        str(getattr(request, name, None) or "")
        for name in ("text", "caption", "url", "reply_markup")
    ]
    for name in ("document", "photo"):
        upload = getattr(request, name, None)
        if isinstance(upload, BufferedInputFile):
            parts.append(upload.filename or "")
            parts.append(_file_text(upload.data))
    return "\n".join(parts)


def _file_text(data: bytes) -> str:
    if zipfile.is_zipfile(io.BytesIO(data)):  # DOCX, XLSX: search their XML
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return data.decode("utf-8", "replace")


def assert_nothing_leaked(requests: list[Any], chat: ChatUser) -> None:
    for request in requests:
        target = getattr(request, "chat_id", chat.user.id)
        assert target == chat.user.id, f"{type(request).__name__} went to {target}"
        shown = readable(request)
        for secret in SECRETS:
            assert secret not in shown, f"{secret!r} leaked in {type(request).__name__}"


def answered(requests: list[Any]) -> bool:
    return any(
        isinstance(r, SendMessage | EditMessageText | SendDocument | SendPhoto)
        or (isinstance(r, AnswerCallbackQuery) and r.text)
        for r in requests
    )


async def outbox_leaks(repo: Repositories, user_id: int) -> list[str]:
    async with repo.db.execute(
        "SELECT payload, file_data FROM outbox WHERE chat_id = ?", (user_id,)
    ) as cursor:
        rows = await cursor.fetchall()
    shown = [str(row[0]) + _file_text(bytes(row[1] or b"")) for row in rows]
    return [secret for text in shown for secret in SECRETS if secret in text]


async def snapshot(repo: Repositories, anna: ChatUser) -> Any:
    strategies = await repo.strategies.of_user(anna.user.id)
    return (
        [(s.id, s.status, s.title) for s in strategies],
        {s.id: await repo.answers.all(s.id) for s in strategies},
        [await repo.libraries.members(lib.id) for lib in await repo.libraries.of_user(100)],
        await wizard_position(anna),
        await repo.strategies.of_user(200),
        [
            (survey.id, survey.status, len(await SurveyRepository(repo.db).sources(survey.id)))
            for lib in await repo.libraries.of_user(100)
            for survey in await SurveyRepository(repo.db).of_library(lib.id)
        ],
    )


@pytest.fixture
def boris(dispatcher: Dispatcher, bot: MockedBot) -> ChatUser:
    return ChatUser(dispatcher, bot, 300, language_code="ru", first_name="Борис")


@pytest.fixture
async def annas_library(
    anna: ChatUser, boris: ChatUser, repo: Repositories, i18n: I18n
) -> dict[str, int]:
    """Anna: a finished strategy, a draft open in the wizard and a reader survey.
    Boris: his own draft."""
    ru = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, ru)
    await anna.send("/start")
    await anna.press(ru("btn.new_strategy"))
    state, data = await wizard_position(anna)
    assert state is not None
    await boris.send("/start")
    await boris.send("Другая библиотека")
    (library,) = await Libraries(repo.db).of_user(anna.user.id)
    survey = await SurveyRepository(repo.db).create_survey(
        library.id, anna.user.id, SurveyConfig(title="Опрос Библиотеки Анны")
    )
    return {"complete": 1, "draft": int(data["strategy_id"]), "survey": survey.id}


def foreign_buttons(strategy_ids: dict[str, int], question_id: str) -> list[str]:
    question = STRATEGY_METHOD.question(question_id)
    assert question is not None
    value = question.options[0].value if question.options else "x"
    step = STRATEGY_METHOD.step_of(question_id).id
    buttons: list[str] = []
    # Survey staff buttons: results, exports, links, closing, "use for my strategy".
    buttons += [
        StaffCb(action=action, survey_id=strategy_ids["survey"], value=value).pack()
        for action, value in (
            ("card", ""),
            ("res", ""),
            ("charts", ""),
            ("csv", ""),
            ("xlsx", ""),
            ("sources", ""),
            ("src", "poster"),
            ("kind", "poster"),
            ("close", ""),
            ("closeyes", ""),
            ("apply", ""),
            ("pulse", ""),
        )
    ]
    for sid in (strategy_ids["complete"], strategy_ids["draft"]):
        buttons += [AdviceCb(strategy_id=sid, step="networks").pack()]
        buttons += [
            ExportCb(strategy_id=sid, file=f).pack() for f in ("docx", "ics", "png", "all")
        ]
        buttons += [CalendarCb(strategy_id=sid, weeks=13).pack()]
        buttons += [
            StrategyCb(action=action, strategy_id=sid).pack()
            for action in ("open", "copy", "delete", "delete_yes", "delete_no", "reopen")
        ]
        buttons += [
            QuestionCb(action=action, strategy_id=sid, question=question_id, value=value).pack()
            for action in ("pick", "toggle", "done", "skip", "keep", "back")
        ]
        buttons += [
            StepCb(action=action, strategy_id=sid, step=step).pack()
            for action in ("next", "edit", "finish")
        ]
    return buttons


@pytest.mark.parametrize("who", ["outsider", "other_library"])
async def test_staff_commands_and_foreign_buttons_are_refused(
    who: str,
    anna: ChatUser,
    john: ChatUser,
    boris: ChatUser,
    repo: Repositories,
    annas_library: dict[str, int],
) -> None:
    intruder = john if who == "outsider" else boris
    await repo.libraries.update_profile(
        (await repo.libraries.of_user(100))[0].id,
        name="Библиотека Анны <им. Пушкина>",
        settlement=str(WIZARD_RURAL_RU["lib_settlement"]),
        region="",
        country="ru",
        timezone="Europe/Moscow",
        is_state=True,
    )
    before = await snapshot(repo, anna)
    _, data = await wizard_position(anna)

    for command in STAFF_COMMANDS:
        replies = await intruder.send(f"/{command}")
        assert answered(replies), f"/{command} got no answer"
        assert_nothing_leaked(replies, intruder)

    for button in foreign_buttons(annas_library, str(data["question"])):
        replies = await intruder.press_data(button)
        assert any(isinstance(r, AnswerCallbackQuery) for r in replies), button
        assert_nothing_leaked(replies, intruder)

    assert await snapshot(repo, anna) == before
    assert await outbox_leaks(repo, intruder.user.id) == []


async def test_outsider_is_told_the_command_is_for_staff(
    john: ChatUser, i18n: I18n, annas_library: dict[str, int]
) -> None:
    en = Translator(i18n, "en")
    assert john.texts(await john.send("/strategies")) == [en("access.staff_only")]
    assert john.texts(await john.send("/invite")) == [en("access.owner_only")]
    reply = john.alerts(
        await john.press_data(StrategyCb(action="delete_yes", strategy_id=1).pack())
    )
    assert reply == [en("cb.unknown")]


async def test_admin_commands_refused_to_everyone_but_admins(
    dispatcher: Dispatcher,
    bot: MockedBot,
    anna: ChatUser,
    john: ChatUser,
    boris: ChatUser,
    i18n: I18n,
    annas_library: dict[str, int],
) -> None:
    ru, en = Translator(i18n, "ru"), Translator(i18n, "en")
    for command in ADMIN_COMMANDS:
        assert john.texts(await john.send(f"/{command}")) == [en("access.admin_only")]
        for staff in (anna, boris):
            assert staff.texts(await staff.send(f"/{command}")) == [ru("access.admin_only")]
    admin = ChatUser(dispatcher, bot, ADMIN_ID)
    (stats,) = admin.texts(await admin.send("/stats"))
    assert stats.startswith("<b>Статистика бота</b>")
    assert "Библиотек: 2, сотрудников: 2" in stats
