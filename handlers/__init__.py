"""The bot's router tree, built anew on every call so each Dispatcher gets its own."""

from collections.abc import Callable, Iterator
from typing import Any

from aiogram import F, Router
from aiogram.dispatcher.event.handler import FilterObject
from aiogram.enums import ChatType

from handlers import (
    access,
    admin,
    common,
    fallback,
    library,
    plan,
    privacy,
    settings,
    strategy,
    survey,
    team,
)
from handlers.strategy import answers
from handlers.strategy.flow import flow_middleware


def create_router() -> Router:
    root = Router(name="root")
    private = Router(name="private")
    # Staff and readers talk to the bot one to one.
    private.message.filter(F.chat.type == ChatType.PRIVATE)
    private.message.middleware(flow_middleware)
    private.callback_query.middleware(flow_middleware)
    private.include_routers(
        privacy.create_router(),  # a command for everyone, in any state
        team.create_router(),  # its /start handles invite links before the plain /start
        # Survey links, typing in survey dialogs and the staff's survey buttons, before
        # /start and the wizard (the order inside: handlers/survey/__init__.py).
        survey.create_router(),
        # The plan's /cancel and typed texts live in its own destiny, like the survey's.
        plan.create_router(),
        common.create_router(),
        library.create_router(),
        settings.create_router(),
        strategy.create_router(),  # lists, advice and files of strategies
        admin.create_router(),
        # Refusals, after every feature router's filters said no, and before the wizard,
        # which would take a refused command typed mid-question for an unknown answer.
        access.create_router(),
        answers.create_router(),  # the wizard's questions take what nobody else did
        fallback.create_router(),
    )
    root.include_router(private)
    root.include_router(survey.create_poll_router())
    run_filters_in_loop(root)
    return root


def run_filters_in_loop(router: Router) -> None:
    """Checks every synchronous filter of ``router``'s tree on the event loop.

    aiogram runs a filter that is a plain function (a magic ``F`` filter, a bare state) in
    its thread pool, one thread hop per check: three per wizard answer, most of the cost of
    routing it. Those filters only read the update, so they run in the loop instead.
    """
    for filter_object in _filters(router):
        if not filter_object.awaitable:
            filter_object.callback = _in_loop(filter_object.callback)
            filter_object.awaitable = True


def _filters(router: Router) -> Iterator[FilterObject]:
    for observer in router.observers.values():
        # The observer's own filters (``router.message.filter(...)``) live on a stand-in
        # handler of aiogram's, checked before any of its handlers.
        for handler in (observer._handler, *observer.handlers):
            yield from handler.filters or ()
    for child in router.sub_routers:
        yield from _filters(child)


def _in_loop(check: Callable[..., Any]) -> Callable[..., Any]:
    async def awaited(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    return awaited
