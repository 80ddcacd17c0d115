"""/plan: this week's and next week's posts, each with its draft, reminders, the channel."""

from __future__ import annotations

from aiogram import Router

from handlers.plan import channel, posts, progress, review


def create_router() -> Router:
    router = Router(name="plan")
    router.include_routers(
        posts.create_router(),
        channel.create_router(),
        progress.create_router(),
        review.create_router(),
    )
    return router
