"""Sliding-window limits driven by a fake clock."""

from __future__ import annotations

import pytest

from bot.outbox.limiter import Rate, RateLimiter


def greedy_sends(limiter: RateLimiter, chats: list[int], until: float) -> list[tuple[float, int]]:
    """Send round-robin as fast as the limiter allows; return (time, chat) of every send."""
    now, sent, turn = 0.0, [], 0
    while now < until:
        chat = chats[turn % len(chats)]
        wait = limiter.delay(chat, now)
        if wait > 0:
            now += wait
            continue
        limiter.record(chat, now)
        sent.append((now, chat))
        turn += 1
    return [(t, c) for t, c in sent if t < until]


def max_in_window(times: list[float], period: float) -> int:
    return max(sum(1 for t in times if start <= t < start + period) for start in times)


def test_private_chat_gets_one_message_per_second() -> None:
    limiter = RateLimiter()
    limiter.record(7, 0.0)
    assert limiter.delay(7, 0.0) == pytest.approx(1.0)
    assert limiter.delay(7, 0.4) == pytest.approx(0.6)
    assert limiter.delay(7, 1.0) == 0.0
    assert limiter.delay(8, 0.0) == 0.0  # another chat is not held back


def test_group_gets_twenty_per_minute_in_any_window() -> None:
    sends = greedy_sends(RateLimiter(), [-100], until=300.0)
    times = [t for t, _ in sends]
    assert max_in_window(times, 60.0) == 20
    assert len(times) == 100  # and the limit is used fully: 20 per minute for 5 minutes
    assert times[20] == pytest.approx(60.0)


def test_global_limit_holds_across_many_chats() -> None:
    sends = greedy_sends(RateLimiter(), list(range(1, 201)), until=10.0)
    times = [t for t, _ in sends]
    assert max_in_window(times, 1.0) == 30
    assert len(times) == 300
    per_chat: dict[int, list[float]] = {}
    for t, chat in sends:
        per_chat.setdefault(chat, []).append(t)
    assert all(max_in_window(ts, 1.0) == 1 for ts in per_chat.values())


def test_custom_rates_and_validation() -> None:
    limiter = RateLimiter(global_rate=Rate(2, 1.0), private_rate=Rate(5, 1.0))
    limiter.record(1, 0.0)
    limiter.record(2, 0.0)
    assert limiter.delay(3, 0.5) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="bad rate"):
        Rate(0, 1.0)
