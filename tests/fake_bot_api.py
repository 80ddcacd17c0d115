"""Just enough of the Telegram Bot API on 127.0.0.1 to run the real HTTP session against.

aiogram's ``AiohttpSession`` posts form data to ``/bot<token>/<method>``; this server reads
it the same way Telegram does (urlencoded, or multipart when a file is attached, with JSON in
the complex fields), records every call, answers like Telegram, and serves ``getUpdates``
with long-poll semantics from a queue that tests fill with :meth:`FakeBotApi.push_update`.

    async with FakeBotApi() as api:
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api.url)))
        api.push_update({"message": {...}})
        call = await api.wait_for_call("sendMessage", lambda c: "Привет" in c.params["text"])
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from bot.console.fake_telegram import BOT_FIRST_NAME, BOT_USERNAME
from bot.console.render import html_to_entities

_JSON_FIELDS = {"reply_markup", "allowed_updates", "commands", "entities", "link_preview_options"}


@dataclass
class UploadedFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Call:
    """One request: the method, its token, the form fields (as sent), files, and the reply."""

    method: str
    token: str
    params: dict[str, str]
    files: dict[str, UploadedFile] = field(default_factory=dict)
    result: Any = None
    """What the server answered (a message dict for sendMessage, …)."""
    answered: bool = False

    def json(self, name: str) -> Any:
        """A field that aiogram sends as JSON (``reply_markup``, ``commands``, …), decoded."""
        return json.loads(self.params[name])

    def buttons(self) -> list[tuple[str, str | None]]:
        """``(text, callback_data)`` of the inline keyboard in ``reply_markup``."""
        if "reply_markup" not in self.params:
            return []
        rows = self.json("reply_markup").get("inline_keyboard", [])
        return [(button["text"], button.get("callback_data")) for row in rows for button in row]


class FakeBotApi:
    """An aiohttp server on a free local port; use it as ``async with FakeBotApi() as api``."""

    def __init__(self, *, bot_id: int = 42) -> None:
        self.bot_id = bot_id
        self.calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    async def stop(self) -> None:
        # Wake any long poll so that the server has nothing in flight when it shuts down.
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- what tests use --------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for ``getUpdates``; an ``update_id`` is given if it has none."""
        update = dict(update)
        update.setdefault("update_id", next(self._update_ids))
        self._updates.append(update)
        self._notify()
        return int(update["update_id"])

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 10.0,
        *,
        answered: bool = True,
    ) -> Call:
        """The first recorded call of ``method`` matching ``predicate``, waiting if need be.

        By default the call must have been answered (so ``call.result`` is there); pass
        ``answered=False`` to catch one still in progress, such as a long poll.
        ``timeout`` only bounds a hang (it raises ``TimeoutError`` listing what was called);
        a passing test returns as soon as the call arrives.
        """

        def found() -> Call | None:
            for call in self.calls:
                if (
                    call.method == method
                    and (call.answered or not answered)
                    and (predicate is None or predicate(call))
                ):
                    return call
            return None

        try:
            async with asyncio.timeout(timeout):
                await self._until(lambda: found() is not None)
        except TimeoutError:
            seen = [(call.method, call.params) for call in self.calls]
            raise TimeoutError(f"no matching {method} call; calls so far: {seen}") from None
        call = found()
        assert call is not None
        return call

    # --- the server ------------------------------------------------------------------

    def _notify(self) -> None:
        """Wake everyone waiting for a change; later waiters wait for the next one."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _until(self, condition: Callable[[], bool]) -> None:
        while not condition():
            await self._changed.wait()

    async def _handle(self, request: web.Request) -> web.Response:
        params: dict[str, str] = {}
        files: dict[str, UploadedFile] = {}
        form = await request.post() if request.method == "POST" else request.query
        for name, value in form.items():
            if isinstance(value, FileField):
                files[name] = UploadedFile(value.filename, value.content_type, value.file.read())
            else:
                params[name] = str(value)
        call = Call(request.match_info["method"], request.match_info["token"], params, files)
        self.calls.append(call)
        self._notify()
        handler = getattr(self, f"_api_{call.method.lower()}", None)
        if handler is None:
            reply = _error(404, "Not Found: method not found")
        else:
            call.result = await handler(call)
            reply = web.json_response({"ok": True, "result": call.result})
        call.answered = True
        self._notify()
        return reply

    async def _api_getme(self, call: Call) -> dict[str, Any]:
        return self._bot_user()

    async def _api_getupdates(self, call: Call) -> list[dict[str, Any]]:
        offset = int(call.params.get("offset", 0))
        timeout = float(call.params.get("timeout", 0))
        # An offset confirms every update before it, as in Telegram.
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0 and not self._closing:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._until(lambda: bool(self._updates) or self._closing)
        return list(self._updates[:100])

    async def _api_sendmessage(self, call: Call) -> dict[str, Any]:
        return self._message(call, **self._text(call, "text"))

    async def _api_senddocument(self, call: Call) -> dict[str, Any]:
        upload = self._upload(call, "document")
        document: dict[str, Any] = {"file_id": "document-1", "file_unique_id": "u-document-1"}
        if upload is not None:
            document |= {"file_name": upload.filename, "file_size": len(upload.data)}
        return self._message(call, document=document, **self._text(call, "caption"))

    async def _api_sendphoto(self, call: Call) -> dict[str, Any]:
        size = {"file_id": "photo-1", "file_unique_id": "u-photo-1", "width": 1280, "height": 720}
        return self._message(call, photo=[size], **self._text(call, "caption"))

    async def _api_editmessagetext(self, call: Call) -> dict[str, Any] | bool:
        if "inline_message_id" in call.params:
            return True
        return self._message(
            call,
            message_id=int(call.params["message_id"]),
            edit_date=int(time.time()),
            **self._text(call, "text"),
        )

    async def _api_editmessagereplymarkup(self, call: Call) -> dict[str, Any] | bool:
        if "inline_message_id" in call.params:
            return True
        return self._message(call, message_id=int(call.params["message_id"]), text="…")

    async def _api_answercallbackquery(self, call: Call) -> bool:
        return True

    async def _api_getmyname(self, call: Call) -> dict[str, Any]:
        return {"name": BOT_FIRST_NAME}

    _api_setmycommands = _api_answercallbackquery
    _api_setmydescription = _api_answercallbackquery
    _api_setmyshortdescription = _api_answercallbackquery
    _api_setmyname = _api_answercallbackquery
    _api_sendchataction = _api_answercallbackquery
    _api_deletewebhook = _api_answercallbackquery
    _api_deletemessage = _api_answercallbackquery
    _api_close = _api_answercallbackquery

    # --- replies ---------------------------------------------------------------------

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }

    def _message(self, call: Call, **content: Any) -> dict[str, Any]:
        chat_id = int(call.params["chat_id"])
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": self._bot_user(),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "date": int(time.time()),
        }
        message.update(content)
        if "reply_markup" in call.params:
            markup = call.json("reply_markup")
            if "inline_keyboard" in markup:
                message["reply_markup"] = markup
        return message

    @staticmethod
    def _text(call: Call, name: str) -> dict[str, Any]:
        if name not in call.params:
            return {}
        text = call.params[name]
        entities: list[dict[str, object]] = []
        if call.params.get("parse_mode", "").upper() == "HTML":
            text, entities = html_to_entities(text)
        if not entities:
            return {name: text}
        return {name: text, "entities" if name == "text" else "caption_entities": entities}

    @staticmethod
    def _upload(call: Call, name: str) -> UploadedFile | None:
        reference = call.params.get(name, "")
        if reference.startswith("attach://"):
            return call.files.get(reference.removeprefix("attach://"))
        return None


def _error(status: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": status, "description": description}, status=status
    )


def message_update(
    text: str, *, user_id: int = 1001, message_id: int = 1, language_code: str = "ru"
) -> dict[str, Any]:
    """A Bot API ``message`` update as Telegram sends it (a ``/command`` gets its entity)."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": "Анна"},
        "from": _user(user_id, language_code),
        "text": text,
    }
    if text.startswith("/"):
        length = len(text.split(maxsplit=1)[0])
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"message": message}


def callback_update(
    data: str, message: dict[str, Any], *, user_id: int = 1001, language_code: str = "ru"
) -> dict[str, Any]:
    """A ``callback_query`` update pressing a button of ``message`` (a message dict)."""
    return {
        "callback_query": {
            "id": f"cb-{data}",
            "from": _user(user_id, language_code),
            "chat_instance": f"chat-{user_id}",
            "message": message,
            "data": data,
        }
    }


def _user(user_id: int, language_code: str) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Анна", "language_code": language_code}
