"""A Bot whose session is a recorder, and a small bot to test harnesses on.

In the spirit of aiogram's own ``tests/mocked_bot.py``, with two differences: queued results
are taken first-in first-out, and a method with nothing queued gets a realistic reply from
the same pretend Telegram that console mode uses (a Message with a fresh id in the right
chat, ``True`` for answerCallbackQuery, the bot's User for getMe, …). That pretend Telegram
also refuses what the real one refuses (HTML it cannot parse, text over 4096 characters,
callback data over 64 bytes, an edit that changes nothing) with TelegramBadRequest.

Tests talk to the bot through :class:`tests.chat.ChatUser`, which feeds updates to the real
Dispatcher with this bot and reads back what the session accepted; Telegram objects for
queued results come from :mod:`tests.factories`:

    bot = MockedBot()
    anna = ChatUser(dispatcher, bot, 100)
    assert anna.texts(await anna.send("/start")) == ["Привет"]
    await anna.press("Да")
"""

from __future__ import annotations

import contextlib
import html
import json
from collections import defaultdict, deque
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import (
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
    User,
)

from bot.console.fake_telegram import (
    FakeTelegram,
    TelegramRejectionError,
    UnsupportedMethodError,
    rejection_reply,
)

USER_ID = 1001
TOKEN = "42:TEST"

_QueuedError = BaseException | type[TelegramAPIError]


class MockedSession(BaseSession):
    """Records every call; answers from a per-method FIFO queue, else like Telegram would."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        self.results: list[Any] = []  # what each request got back (or raised), in order
        # Refused requests by id(); the record keeps the request alive, so ids stay unique.
        self.refusals: dict[int, Refusal] = {}
        self.telegram = FakeTelegram()
        self.closed = True
        self._queued: defaultdict[type[TelegramMethod[Any]], deque[dict[str, Any] | _Raise]] = (
            defaultdict(deque)
        )

    def add_result_for(
        self,
        method: type[TelegramMethod[Any]],
        *,
        ok: bool = True,
        result: Any = None,
        description: str | None = None,
        error_code: int = 400,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Queue the Bot API reply for the next call of ``method``.

        ``ok=False`` replies become aiogram's exceptions exactly as real ones do (400 ->
        TelegramBadRequest, 403 -> TelegramForbiddenError, ``retry_after`` -> RetryAfter).
        """
        reply: dict[str, Any] = {"ok": ok}
        if ok:
            reply["result"] = _jsonable(result)
        else:
            reply["description"] = description or "Bad Request"
            reply["error_code"] = error_code
            parameters = {"retry_after": retry_after, "migrate_to_chat_id": migrate_to_chat_id}
            if any(value is not None for value in parameters.values()):
                reply["parameters"] = {k: v for k, v in parameters.items() if v is not None}
        self._queued[method].append(reply)

    def fail_next(
        self,
        method: type[TelegramMethod[Any]],
        error: _QueuedError,
        message: str = "Forbidden: bot was blocked by the user",
    ) -> None:
        """Make the next call of ``method`` raise ``error``.

        Pass an exception, or an aiogram API error class to get it built with the real
        method object: ``fail_next(SendMessage, TelegramForbiddenError)``.
        """
        self._queued[method].append(_Raise(error, message))

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,
    ) -> TelegramType:
        self.closed = False
        self.requests.append(method)
        queue = self._queued.get(type(method))
        queued = queue.popleft() if queue else None
        try:
            result = self._reply(bot, method, queued)
        except NotImplementedError:
            raise
        except BaseException as error:
            # Kept beside its request: what the user "saw" excludes it (tests/chat.py).
            self.results.append(error)
            self.refusals[id(method)] = Refusal(method, error, queued=queued is not None)
            raise
        self.results.append(result)
        return result  # type: ignore[no-any-return]

    def _reply(
        self, bot: Bot, method: TelegramMethod[Any], queued: dict[str, Any] | _Raise | None
    ) -> Any:
        if isinstance(queued, _Raise):
            raise queued.build(method)
        if queued is not None:
            reply = queued
        else:
            try:
                reply = {"ok": True, "result": self.telegram.reply(bot, method)}
            except UnsupportedMethodError:
                raise NotImplementedError(
                    f"No default result for {method.__api_method__}: queue one with "
                    f"bot.session.add_result_for({type(method).__name__}, result=...)"
                ) from None
            except TelegramRejectionError as rejection:
                reply = rejection_reply(rejection)  # too long, bad HTML, not modified, …
        status = 200 if reply["ok"] else int(reply["error_code"])
        return self.check_response(bot, method, status, json.dumps(reply)).result

    def refusal(self, request: TelegramMethod[Any]) -> Refusal | None:
        """Why ``request`` was refused, or None when Telegram accepted it."""
        return self.refusals.get(id(request))

    def accepted(self, requests: list[Any] | None = None) -> list[Any]:
        """The requests Telegram accepted: what the user actually got to see."""
        pool = self.requests if requests is None else requests
        return [request for request in pool if id(request) not in self.refusals]

    def clear(self) -> None:
        """Forget every recorded call (queued replies stay queued)."""
        self.requests.clear()
        self.results.clear()
        self.refusals.clear()

    async def close(self) -> None:
        self.closed = True

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:  # pragma: no cover - tests never download
        yield b""

    def requests_of(self, method: type[TelegramMethod[TelegramType]]) -> list[Any]:
        return [request for request in self.requests if isinstance(request, method)]


@dataclass(frozen=True)
class Refusal:
    """A request Telegram refused; ``queued``: the test asked for it with ``fail_next`` and co."""

    request: TelegramMethod[Any]
    error: BaseException
    queued: bool


class _Raise:
    def __init__(self, error: _QueuedError, message: str) -> None:
        self.error = error
        self.message = message

    def build(self, method: TelegramMethod[Any]) -> BaseException:
        if isinstance(self.error, type):
            return self.error(method=method, message=self.message)
        return self.error


class MockedBot(Bot):
    """A Bot with token ``42:TEST`` on a :class:`MockedSession`, HTML by default like ours."""

    if TYPE_CHECKING:
        session: MockedSession

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default", DefaultBotProperties(parse_mode=ParseMode.HTML))
        super().__init__(kwargs.pop("token", TOKEN), session=MockedSession(), **kwargs)
        self._me = User.model_validate(self.session.telegram.bot_user(self))

    def add_result_for(self, method: type[TelegramMethod[Any]], **kwargs: Any) -> None:
        self.session.add_result_for(method, **kwargs)


def _jsonable(value: Any) -> Any:
    if isinstance(value, TelegramObject):
        return value.model_dump(mode="json", exclude_none=True, by_alias=True)
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


# --- a small bot to exercise the harnesses ---------------------------------------------


class ToyForm(StatesGroup):
    name = State()


def create_toy_router() -> Router:
    """/start with a keyboard, presses that edit and answer, /doc, /photo, /name, /bad_html,
    /fail, an echo."""
    router = Router(name="toy")

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(text="Да", callback_data="answer:yes"),
                    InlineKeyboardButton(text="Нет", callback_data="answer:no"),
                ],
                [InlineKeyboardButton(text="Сайт", url="https://example.org/")],
            ]
        )
        await message.answer(
            '<b>Привет</b>! Библиотека &amp; <a href="https://example.org/">сайт</a>. Идём?',
            reply_markup=keyboard,
        )

    @router.callback_query(F.data.startswith("answer:"))
    async def answered(callback: CallbackQuery) -> None:
        choice = "да" if callback.data == "answer:yes" else "нет"
        if isinstance(callback.message, Message):
            await callback.message.edit_text(f"Вы ответили: <i>{choice}</i>")
        await callback.answer("Принято")

    @router.message(Command("doc"))
    async def document(message: Message) -> None:
        await message.answer_document(
            BufferedInputFile(b"plan\n", filename="plan.txt"), caption="<b>План</b>"
        )

    @router.message(Command("photo"))
    async def photo(message: Message) -> None:
        await message.answer_photo(BufferedInputFile(b"\x89PNG fake", filename="chart.png"))

    @router.message(Command("name"))
    async def ask_name(message: Message, state: FSMContext) -> None:
        await state.set_state(ToyForm.name)
        await message.answer("Как вас зовут?")

    @router.message(ToyForm.name, F.text)
    async def got_name(message: Message, state: FSMContext) -> None:
        await state.clear()
        await message.answer(f"Приятно познакомиться, {html.escape(message.text or '')}!")

    @router.message(Command("bad_html"))
    async def bad_html(message: Message) -> None:
        # Unescaped, so Telegram refuses it; swallowing the refusal hides it from the user.
        with contextlib.suppress(TelegramBadRequest):
            await message.answer("fewer than <5 readers")

    @router.message(Command("fail"))
    async def fail(message: Message) -> None:
        raise RuntimeError("toy handler failed")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"Эхо: {html.escape(message.text or '')}")

    return router


def build_toy_dispatcher(storage: BaseStorage | None = None) -> Dispatcher:
    dispatcher = Dispatcher(storage=storage or MemoryStorage())
    dispatcher.include_router(create_toy_router())
    return dispatcher
