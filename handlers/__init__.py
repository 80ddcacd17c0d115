"""The bot's router tree, built anew on every call so each Dispatcher gets its own."""

from aiogram import F, Router
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
from handlers.routing import guard_routes, run_filters_in_loop
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
    guard_routes(root)
    return root
