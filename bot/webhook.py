"""Webhook mode: an aiohttp app that feeds Telegram's POSTs to the Dispatcher, plus /health.

Every update must carry ``X-Telegram-Bot-Api-Secret-Token`` equal to our secret (Telegram
sends the one given to ``setWebhook``); anything else gets 401. Updates are handled inside
the request (not in background tasks), so stopping the server waits for them to finish.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.db.engine import Database
from bot.health import HEALTH_PATH, METRICS_PATH, HealthSources, add_health_routes

logger = logging.getLogger(__name__)

# Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - for secret_token.
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def create_webhook_app(
    dispatcher: Dispatcher,
    bot: Bot,
    *,
    secret: str,
    path: str,
    db: Database,
    health: HealthSources | None = None,
    **workflow_data: Any,
) -> web.Application:
    """The app to run with ``web.AppRunner``; ``workflow_data`` reaches handlers as kwargs.

    Dispatcher startup runs on app startup; Dispatcher shutdown (which closes the FSM
    storage) runs on cleanup, i.e. after the requests in flight have finished.
    """
    if not _SECRET.match(secret):
        raise ValueError("webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    if not path.startswith("/") or path in (HEALTH_PATH, METRICS_PATH):
        raise ValueError(f"webhook path must start with '/' and differ from {HEALTH_PATH}")

    app = web.Application()
    handler = CheckedRequestHandler(
        dispatcher, bot, handle_in_background=False, secret_token=secret, **workflow_data
    )
    # Not handler.register(): its shutdown hook closes the bot session while updates are
    # still being handled; graceful_shutdown closes it after they and the outbox are done.
    app.router.add_post(path, handler.handle)
    add_health_routes(app, health or HealthSources(db))

    hook_data = {"app": app, "bot": bot, "dispatcher": dispatcher, **workflow_data}

    async def on_startup(_app: web.Application) -> None:
        await dispatcher.emit_startup(**{**dispatcher.workflow_data, **hook_data})

    async def on_cleanup(_app: web.Application) -> None:
        await dispatcher.emit_shutdown(**{**dispatcher.workflow_data, **hook_data})

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app


class CheckedRequestHandler(SimpleRequestHandler):
    """A body that is not an update gets 400 and one log line, never a 500 with a traceback.

    The update is handled inside the request and its transaction commits before the 200
    goes back, so Telegram's confirmation never runs ahead of what is stored; a retried
    update_id is recognised by its stored id (bot/middlewares.py) and changes nothing.
    """

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        try:
            update = Update.model_validate(
                await request.json(loads=bot.session.json_loads), context={"bot": bot}
            )
        except ValueError as error:  # bad JSON, bad UTF-8, or not an update (ValidationError)
            logger.warning(
                "webhook: malformed update refused", extra={"error": type(error).__name__}
            )
            return web.json_response({"ok": False, "description": "malformed update"}, status=400)
        result: Any = await self.dispatcher.feed_webhook_update(bot, update, **self.data)
        return web.Response(body=self._build_response_writer(bot=bot, result=result))


async def set_webhook(bot: Bot, dispatcher: Dispatcher, *, url: str, secret: str) -> None:
    """Point Telegram at ``url`` with our secret, for the update types the routers use."""
    await bot.set_webhook(
        url=url,
        secret_token=secret,
        allowed_updates=dispatcher.resolve_used_update_types(),
    )
