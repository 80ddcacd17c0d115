"""Outgoing Telegram messages: stored first, then sent within Telegram's limits.

Handlers call :class:`~bot.outbox.repository.Outbox` (``enqueue_*``); one
:class:`~bot.outbox.sender.OutboxSender` per process delivers.
"""

from bot.outbox.limiter import Rate, RateLimiter
from bot.outbox.repository import Enqueued, Outbox, OutboxRow
from bot.outbox.sender import OutboxSender

__all__ = ["Enqueued", "Outbox", "OutboxRow", "OutboxSender", "Rate", "RateLimiter"]
