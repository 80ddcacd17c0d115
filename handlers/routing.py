"""Routing that costs little: what the router tree does once it is built.

aiogram offers an update to every router in turn, and each router checks each of its
handlers' filters, so a wizard answer, the last router in line, passes some 70 filter
checks first. Two passes over the built tree cut that down without changing who handles
what:

- :func:`run_filters_in_loop`: synchronous filters (a magic ``F`` filter, a bare state)
  would each run in aiogram's thread pool; they only read the update, so they run in the
  loop.
- :func:`guard_routes`: a router whose handlers all need a command (or all need callback
  data of known prefixes) gets a first filter that says so, and the update skips the whole
  router, sub-routers included, when it cannot be one of those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject, HandlerObject
from aiogram.filters import Command, Filter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.types import CallbackQuery, Message


def run_filters_in_loop(router: Router) -> None:
    """Checks every synchronous filter of ``router``'s tree on the event loop."""
    for handler in _handlers(router):
        for filter_object in handler.filters or ():
            if not filter_object.awaitable:
                filter_object.callback = _in_loop(filter_object.callback)
                filter_object.awaitable = True


def _in_loop(check: Callable[..., Any]) -> Callable[..., Any]:
    async def awaited(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    return awaited


def _handlers(router: Router) -> Iterator[HandlerObject]:
    for observer in router.observers.values():
        # A router's own filters (``router.message.filter(...)``) live on a stand-in handler
        # of aiogram's, checked before any of its handlers.
        yield observer._handler
        yield from observer.handlers
    for child in router.sub_routers:
        yield from _handlers(child)


# What every handler of a router (and of its sub-routers) needs, or None: "anything may do".
Needs = frozenset[str] | None


@dataclass(frozen=True)
class CommandsOnly(Filter):
    """Passes a message that can be a command: its text or caption, after leading spaces
    (aiogram's ``Command`` splits them off), begins with one of ``prefixes``."""

    prefixes: frozenset[str]

    async def __call__(self, message: Message) -> bool:
        text = message.text or message.caption
        return text is not None and text.lstrip()[:1] in self.prefixes


@dataclass(frozen=True)
class CallbackPrefixes(Filter):
    """Passes a button press whose data begins with one of ``prefixes`` ("prefix:")."""

    prefixes: frozenset[str]

    async def __call__(self, callback: CallbackQuery) -> bool:
        data = callback.data
        return data is not None and data.partition(":")[0] in self.prefixes


def guard_routes(router: Router) -> None:
    """Gives each router of the tree a first filter for messages and presses, where all its
    handlers need commands, or callback data of known prefixes."""
    _guard(router, "message", _command_prefixes, CommandsOnly)
    _guard(router, "callback_query", _callback_prefixes, CallbackPrefixes)


def _guard(
    router: Router,
    event: str,
    needs_of: Callable[[HandlerObject], Needs],
    guard: Callable[[frozenset[str]], Filter],
) -> Needs:
    """Installs the guards of ``router``'s subtree for ``event``; returns what it needs."""
    needs: set[str] | None = set()
    for handler in router.observers[event].handlers:
        wanted = needs_of(handler)
        needs = None if wanted is None or needs is None else needs | wanted
    for child in router.sub_routers:
        wanted = _guard(child, event, needs_of, guard)
        needs = None if wanted is None or needs is None else needs | wanted
    if needs is None:
        return None
    observer = router.observers[event]
    # First, before the router's own filters: it is the cheapest of them.
    observer._handler.filters = [
        FilterObject(guard(frozenset(needs))),
        *(observer._handler.filters or []),
    ]
    return frozenset(needs)


def _command_prefixes(handler: HandlerObject) -> Needs:
    for filter_object in handler.filters or ():
        if isinstance(filter_object.callback, Command):
            return frozenset(filter_object.callback.prefix)
    return None


def _callback_prefixes(handler: HandlerObject) -> Needs:
    for filter_object in handler.filters or ():
        check = filter_object.callback
        if isinstance(check, CallbackQueryFilter) and check.callback_data.__separator__ == ":":
            return frozenset({check.callback_data.__prefix__})
    return None
