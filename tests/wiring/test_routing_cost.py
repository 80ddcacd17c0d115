"""Routing an update costs no thread hops: aiogram runs synchronous filters and handlers in
its thread pool, so none of ours may stay synchronous once the router tree is built."""

from __future__ import annotations

from aiogram import Router
from aiogram.dispatcher.event.handler import CallableObject

from handlers import create_router


def _callables(router: Router) -> list[tuple[str, CallableObject]]:
    found: list[tuple[str, CallableObject]] = []
    for name, observer in router.observers.items():
        for handler in (observer._handler, *observer.handlers):
            where = f"{router.name}.{name}"
            if handler is not observer._handler:
                found.append((f"{where} handler {handler.callback!r}", handler))
            found += [(f"{where} filter {f.callback!r}", f) for f in handler.filters or ()]
    for child in router.sub_routers:
        found += _callables(child)
    return found


def test_every_filter_and_handler_runs_on_the_event_loop() -> None:
    found = _callables(create_router())
    # The tree has magic filters and bare states as filters (sync in aiogram's eyes): the
    # check below is about them, not about an empty tree.
    assert len(found) > 100
    in_threads = [where for where, callable_object in found if not callable_object.awaitable]
    assert in_threads == []
