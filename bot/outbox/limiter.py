"""Telegram's sending limits as sliding windows: at most N sends in any period of T seconds.

Limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
about 30 messages per second overall, one per second in a private chat, 20 per minute in a
group. A sliding window keeps them strictly; a token bucket would let a full bucket plus a
period's refill through in the first minute of a group.

Pure and clock-free: callers pass ``now`` (monotonic seconds), so tests use a fake clock.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rate:
    limit: int
    period: float  # seconds

    def __post_init__(self) -> None:
        if self.limit < 1 or self.period <= 0:
            raise ValueError(f"bad rate {self.limit}/{self.period}s")


GLOBAL_RATE = Rate(30, 1.0)
PRIVATE_CHAT_RATE = Rate(1, 1.0)
GROUP_CHAT_RATE = Rate(20, 60.0)


class SlidingWindow:
    """Send times of one key, oldest first, never more than ``rate.limit`` of them."""

    __slots__ = ("_sent", "rate")

    def __init__(self, rate: Rate) -> None:
        self.rate = rate
        self._sent: deque[float] = deque()

    def delay(self, now: float) -> float:
        """Seconds until one more send fits in the window (0.0: now)."""
        self._forget(now)
        if len(self._sent) < self.rate.limit:
            return 0.0
        return self._sent[0] + self.rate.period - now

    def record(self, now: float) -> None:
        self._forget(now)
        self._sent.append(now)

    def idle(self, now: float) -> bool:
        self._forget(now)
        return not self._sent

    def _forget(self, now: float) -> None:
        while self._sent and self._sent[0] + self.rate.period <= now:
            self._sent.popleft()


class RateLimiter:
    """The global window plus one window per chat (private chats have positive ids)."""

    def __init__(
        self,
        *,
        global_rate: Rate = GLOBAL_RATE,
        private_rate: Rate = PRIVATE_CHAT_RATE,
        group_rate: Rate = GROUP_CHAT_RATE,
    ) -> None:
        self._global = SlidingWindow(global_rate)
        self._private_rate = private_rate
        self._group_rate = group_rate
        self._chats: dict[int, SlidingWindow] = {}

    def delay(self, chat_id: int, now: float) -> float:
        """Seconds to wait before sending to ``chat_id``; 0.0 means go."""
        chat = self._chats.get(chat_id)
        chat_delay = chat.delay(now) if chat is not None else 0.0
        return max(self._global.delay(now), chat_delay)

    def record(self, chat_id: int, now: float) -> None:
        """Count one request to ``chat_id`` (failed requests count too: Telegram saw them)."""
        self._global.record(now)
        chat = self._chats.get(chat_id)
        if chat is None:
            rate = self._private_rate if chat_id > 0 else self._group_rate
            chat = self._chats[chat_id] = SlidingWindow(rate)
        chat.record(now)
        if len(self._chats) > 10_000:  # keep memory flat on a long-running process
            self._chats = {key: w for key, w in self._chats.items() if not w.idle(now)}
