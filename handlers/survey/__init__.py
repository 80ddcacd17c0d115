"""The reader survey and the staff's side of it, one module per screen or dialog.

Survey conversations keep their FSM state in their own destinies (``common``), so a
librarian who creates a survey, or tests their own as a reader, keeps their place in the
wizard.
"""

from __future__ import annotations

from aiogram import Router

from handlers.survey import (
    closing,
    editor,
    links,
    menu,
    offer,
    pulse,
    reader,
    results,
    settings,
)


def create_router() -> Router:
    router = Router(name="survey")
    router.include_routers(
        # Survey links (/start sv_…) and typing in survey dialogs, before /start and the
        # wizard: their states live in other destinies, so they must be asked first.
        reader.create_router(),
        menu.create_router(),
        offer.create_router(),  # before the wizard takes the same pick
        # The editor's /cancel and "text expected" serve the links' and pulse polls' steps too.
        editor.create_router(),
        settings.create_router(),
        links.create_router(),
        closing.create_router(),
        results.create_router(),
        pulse.create_router(),
    )
    return router


def create_poll_router() -> Router:
    """Poll updates (pulse polls in library chats) come from no private chat."""
    return pulse.create_poll_router()
