"""/health and /metrics: how the running bot is doing, for probes and Prometheus.

The webhook server serves both next to Telegram's path; polling mode starts a small aiohttp
server of its own when ``HEALTH_PORT`` is set. /health answers 200 when the database (and
Redis, when used) answer, 503 otherwise, with the outbox backlog either way. /metrics needs
the optional ``prometheus-client`` (``pip install '.[metrics]'``); without it, 404.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiohttp import web

from bot.db.engine import Database
from bot.db.reads import fetch_all

logger = logging.getLogger(__name__)

HEALTH_PATH = "/health"
METRICS_PATH = "/metrics"
_TIMEOUT = 2.0

Ping = Callable[[], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class HealthSources:
    db: Database
    redis_ping: Ping | None = None
    metrics: Metrics | None = None


HEALTH_KEY = web.AppKey("health", HealthSources)


async def outbox_counts(db: Database) -> dict[str, int]:
    rows = await fetch_all(db, "SELECT status, COUNT(*) FROM outbox GROUP BY status")
    return {str(row[0]): int(row[1]) for row in rows}


async def check(sources: HealthSources) -> tuple[bool, dict[str, Any]]:
    """(healthy, report): each dependency's state and the outbox backlog."""
    report: dict[str, Any] = {}
    healthy = True
    try:
        async with asyncio.timeout(_TIMEOUT):
            counts = await outbox_counts(sources.db)
        report["database"] = "ok"
        report["outbox"] = {
            "pending": counts.get("pending", 0) + counts.get("sending", 0),
            "failed": counts.get("failed", 0),
            "blocked": counts.get("blocked", 0),
        }
    except Exception:
        logger.warning("health: database does not answer", exc_info=True)
        report["database"] = "unavailable"
        healthy = False
    if sources.redis_ping is None:
        report["redis"] = "not used"
    else:
        try:
            async with asyncio.timeout(_TIMEOUT):
                await sources.redis_ping()
            report["redis"] = "ok"
        except Exception:
            logger.warning("health: redis does not answer", exc_info=True)
            report["redis"] = "unavailable"
            healthy = False
    report["status"] = "ok" if healthy else "error"
    return healthy, report


async def _health(request: web.Request) -> web.Response:
    healthy, report = await check(request.app[HEALTH_KEY])
    return web.json_response(report, status=200 if healthy else 503)


async def _metrics(request: web.Request) -> web.Response:
    sources = request.app[HEALTH_KEY]
    if sources.metrics is None:
        raise web.HTTPNotFound(text="metrics need prometheus-client: pip install '.[metrics]'")
    body, content_type = await sources.metrics.render(sources.db)
    response = web.Response(body=body)
    response.headers["Content-Type"] = content_type
    return response


def add_health_routes(app: web.Application, sources: HealthSources) -> None:
    app[HEALTH_KEY] = sources
    app.router.add_get(HEALTH_PATH, _health)
    app.router.add_get(METRICS_PATH, _metrics)


def create_health_app(sources: HealthSources) -> web.Application:
    app = web.Application()
    add_health_routes(app, sources)
    return app


class Metrics:
    """Prometheus metrics on a registry of their own (tests build several side by side)."""

    def __init__(self) -> None:
        # Optional dependency, imported only when metrics are wanted.
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram  # noqa: PLC0415

        self.registry = CollectorRegistry()
        self.updates = Counter(
            "bot_updates_handled_total",
            "Telegram updates handled, by type and outcome",
            ["type", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "bot_handler_seconds",
            "Time to handle one update, by type",
            ["type"],
            registry=self.registry,
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.outbox = Gauge(
            "bot_outbox_messages",
            "Notifications in the outbox, by status (pending is the backlog)",
            ["status"],
            registry=self.registry,
        )

    @staticmethod
    def available() -> bool:
        try:
            import prometheus_client  # noqa: F401, PLC0415
        except ImportError:
            return False
        return True

    async def render(self, db: Database) -> tuple[bytes, str]:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest  # noqa: PLC0415

        counts = await outbox_counts(db)
        for status in ("pending", "sending", "sent", "failed", "blocked"):
            self.outbox.labels(status).set(counts.get(status, 0))
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    def middleware(self) -> BaseMiddleware:
        return _MetricsMiddleware(self)


class _MetricsMiddleware(BaseMiddleware):
    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        kind = event.event_type if isinstance(event, Update) else type(event).__name__
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await handler(event, data)
            outcome = "ok"
            return result
        finally:
            self._metrics.latency.labels(kind).observe(time.perf_counter() - started)
            self._metrics.updates.labels(kind, outcome).inc()
