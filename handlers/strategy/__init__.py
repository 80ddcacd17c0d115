"""The strategy wizard and what follows it: its states, callbacks and screens (``view``),
the conversation (``flow``, ``answers``), the lists of strategies, advice and files.

The wizard's own router (``answers``) is included last of all features by
``handlers.create_router``: it takes what nobody else did.
"""

from __future__ import annotations

from aiogram import Router

from handlers.strategy import advice, export, strategies


def create_router() -> Router:
    router = Router(name="strategy")
    router.include_routers(
        strategies.create_router(), advice.create_router(), export.create_router()
    )
    return router
