"""Routing costs little and changes nothing: no filter runs in aiogram's thread pool, and a
router's guard lets through everything its handlers could take (handlers/routing.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from aiogram import Bot, Router
from aiogram.dispatcher.event.handler import CallableObject
from aiogram.filters import Command, CommandStart, Filter
from aiogram.types import CallbackQuery, Chat, Message, User
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers import create_router
from handlers.routing import CallbackPrefixes, CommandsOnly
from tests.mocked_bot import MockedBot


def _callables(router: Router) -> list[tuple[str, CallableObject]]:
    found: list[tuple[str, CallableObject]] = []
    for name, observer in router.observers.items():
        where = f"{router.name}.{name}"
        for handler in (observer._handler, *observer.handlers):
            if handler is not observer._handler:
                found.append((f"{where} handler {handler.callback!r}", handler))
            found += [(f"{where} filter {f.callback!r}", f) for f in handler.filters or ()]
    for child in router.sub_routers:
        found += _callables(child)
    return found


def _routers(router: Router) -> dict[str, Router]:
    found = {router.name: router}
    for child in router.sub_routers:
        found.update(_routers(child))
    return found


def _guard(router: Router, event: str) -> Filter | None:
    own = router.observers[event]._handler.filters or []
    guards = [f.callback for f in own if isinstance(f.callback, CommandsOnly | CallbackPrefixes)]
    return guards[0] if guards else None


def test_every_filter_and_handler_runs_on_the_event_loop() -> None:
    found = _callables(create_router())
    # The tree has magic filters and bare states as filters (sync in aiogram's eyes): the
    # check is about them, not about an empty tree.
    assert len(found) > 100
    in_threads = [where for where, callable_object in found if not callable_object.awaitable]
    assert in_threads == []


def test_routers_of_commands_and_known_buttons_are_guarded() -> None:
    routers = _routers(create_router())
    # Only commands: a typed wizard answer skips the router whole.
    assert _guard(routers["common"], "message") == CommandsOnly(frozenset("/"))
    assert _guard(routers["admin"], "message") == CommandsOnly(frozenset("/"))
    # No message handlers at all: nothing gets in.
    assert _guard(routers["survey_offer"], "message") == CommandsOnly(frozenset())
    # Its buttons' prefixes, the strategies' own and nothing else.
    guard = _guard(routers["strategy"], "callback_query")
    assert isinstance(guard, CallbackPrefixes) and {"sg", "adv", "exp"} <= guard.prefixes
    assert "q" not in guard.prefixes  # the wizard's question buttons
    # Typed texts in a state can be anything: no guard where such a handler lives.
    assert _guard(routers["wizard"], "message") is None
    assert _guard(routers["private"], "message") is None
    assert _guard(routers["survey"], "message") is None


def _message(text: str | None, caption: str | None = None) -> Message:
    return Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=Chat(id=1, type="private"),
        text=text,
        caption=caption,
    )


COMMANDS = [Command("help"), Command("stats", prefix="/!"), CommandStart()]
_bot: list[Bot] = []


def _command_passes(command: Command, message: Message) -> bool:
    if not _bot:
        _bot.append(MockedBot())
    return bool(asyncio.run(command(message, _bot[0])))


def _guard_passes(guard: CommandsOnly, message: Message) -> bool:
    return asyncio.run(guard(message))


@settings(deadline=None)  # an event loop per example: slow on a busy machine
@given(
    lead=st.text(alphabet=" \t\n\u00a0\u2003", max_size=3),
    prefix=st.sampled_from(["/", "!", ""]),
    word=st.sampled_from(["help", "stats", "start", "hel", ""]),
    rest=st.text(max_size=12),
    as_caption=st.booleans(),
)
def test_the_command_guard_lets_through_every_command_aiogram_would_take(
    lead: str, prefix: str, word: str, rest: str, as_caption: bool
) -> None:
    text = f"{lead}{prefix}{word}{rest}"
    message = _message(None, text) if as_caption else _message(text)
    for command in COMMANDS:
        guard = CommandsOnly(frozenset(command.prefix))
        if _command_passes(command, message):
            assert _guard_passes(guard, message), (text, command)


def test_the_command_guard_on_examples() -> None:
    guard = CommandsOnly(frozenset("/"))
    spaced = _message(" \u00a0/help")
    assert _command_passes(Command("help"), spaced) and _guard_passes(guard, spaced)
    assert _guard_passes(guard, _message(None, "/start with a photo"))
    for text in ("help", "Центральная библиотека", "", None):
        assert not _guard_passes(guard, _message(text))
    press = CallbackPrefixes(frozenset({"q", "st"}))
    assert asyncio.run(press(_callback("q:pick:1"))) and not asyncio.run(press(_callback("qq:1")))
    assert not asyncio.run(press(_callback(None)))


def _callback(data: str | None) -> CallbackQuery:
    user = User(id=1, is_bot=False, first_name="A")
    return CallbackQuery(id="1", from_user=user, chat_instance="c", data=data)
