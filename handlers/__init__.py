"""The bot's router tree, built anew on every call so each Dispatcher gets its own."""

from aiogram import F, Router
from aiogram.enums import ChatType

from handlers import (
    access,
    admin,
    advice,
    common,
    export,
    fallback,
    library,
    plan,
    settings,
    strategies,
    survey_closing,
    survey_editor,
    survey_links,
    survey_menu,
    survey_offer,
    survey_pulse,
    survey_reader,
    survey_results,
    survey_settings,
    team,
    wizard,
)
from handlers.wizard_flow import flow_middleware


def create_router() -> Router:
    root = Router(name="root")
    private = Router(name="private")
    # Staff and readers talk to the bot one to one.
    private.message.filter(F.chat.type == ChatType.PRIVATE)
    private.message.middleware(flow_middleware)
    private.callback_query.middleware(flow_middleware)
    private.include_routers(
        team.create_router(),  # its /start handles invite links before the plain /start
        # Survey links (/start sv_…) and typing in survey dialogs, before /start and the
        # wizard: their states live in other destinies, so they must be asked first.
        survey_reader.create_router(),
        survey_menu.create_router(),
        survey_offer.create_router(),  # before the wizard takes the same pick
        # The editor's /cancel and "text expected" serve the links' and pulse polls' steps too.
        survey_editor.create_router(),
        survey_settings.create_router(),
        survey_links.create_router(),
        survey_closing.create_router(),
        survey_results.create_router(),
        survey_pulse.create_router(),
        # The plan's /cancel and typed texts live in its own destiny, like the survey's.
        plan.create_router(),
        common.create_router(),
        library.create_router(),
        settings.create_router(),
        strategies.create_router(),
        advice.create_router(),
        export.create_router(),
        admin.create_router(),
        # Refusals, after every feature router's filters said no, and before the wizard,
        # which would take a refused command typed mid-question for an unknown answer.
        access.create_router(),
        wizard.create_router(),
        fallback.create_router(),
    )
    root.include_router(private)
    root.include_router(survey_pulse.create_poll_router())
    return root
