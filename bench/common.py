"""What the benchmark scripts share: the machine line, percentiles, the database, the floor."""

from __future__ import annotations

import cProfile
import math
import os
import platform
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def machine() -> str:
    """Platform, cores, Python and the load average now (the machine may be shared)."""
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load}"
    )


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    # The smallest value with at least ``share`` of all values at or below it (the small
    # epsilon keeps 0.99 * 100 from rounding up to 100 in binary floating point).
    rank = max(0, min(len(ordered) - 1, math.ceil(share * len(ordered) - 1e-9) - 1))
    return ordered[rank]


def latency_line(seconds: Sequence[float]) -> str:
    """p50/p95/p99 of per-update times, in ms."""
    ms = [value * 1000 for value in seconds]
    return (
        f"p50 {statistics.median(ms):.2f} ms, p95 {percentile(ms, 0.95):.2f} ms, "
        f"p99 {percentile(ms, 0.99):.2f} ms"
    )


def rss_mb() -> float:
    """Resident memory of this process now, in MB (from /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def open_target(target: Path | str) -> Any:
    """The bot's database: SQLite for a path, PostgreSQL for a postgresql:// URL.

    Typed loosely on purpose: both engines count units of work (``units``,
    ``unit_round_trips``, ``unit_commits``), which the ``Database`` protocol does not name."""
    from bot.db.connection import connect

    return await connect(target)


def fresh_postgres(url: str, name: str) -> str:
    """A new, empty database ``name`` on the server of ``url``; returns its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Timer:
    """Per-update wall and CPU times of awaited calls.

    CPU time (the whole process's, the database thread included) is what the update costs on
    an idle core; wall time on a shared machine also counts waiting for a core."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.cpu: list[float] = []

    async def __call__(self, call: Awaitable[Any]) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        result = await call
        self.times.append(time.perf_counter() - started)
        self.cpu.append(time.process_time() - cpu)
        return result

    @property
    def total(self) -> float:
        return sum(self.times)


def package_of(filename: str) -> str:
    """Who a profiled function belongs to: the bot's own code, a library, or Python."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if filename.startswith(str(ROOT)):
        return "ours: " + filename[len(str(ROOT)) + 1 :].split("/", 1)[0]
    if filename == "~":  # C functions: select() is the event loop waiting (the database thread)
        return "builtins (C)"
    return "python stdlib"


def profile_shares(profile: cProfile.Profile, top: int = 10) -> list[str]:
    """Share of profiled CPU time (own time of each function) by package, largest first."""
    stats = pstats.Stats(profile)
    totals: dict[str, float] = {}
    waiting = 0.0
    for (filename, _, name), row in stats.stats.items():  # type: ignore[attr-defined]
        own = float(row[2])
        if filename == "~" and "select" in name:
            waiting += own
            continue
        totals[package_of(filename)] = totals.get(package_of(filename), 0.0) + own
    everything = sum(totals.values()) + waiting
    lines = [
        f"    {package:<28} {seconds / everything:6.1%}"
        for package, seconds in sorted(totals.items(), key=lambda kv: -kv[1])[:top]
    ]
    lines.append(f"    {'waiting (select: db thread)':<28} {waiting / everything:6.1%}")
    lines.append("  the functions with the most own time:")
    hottest = sorted(stats.stats.items(), key=lambda kv: -float(kv[1][2]))  # type: ignore[attr-defined]
    for (filename, line, name), row in hottest[:top]:
        where = filename if filename == "~" else f"{package_of(filename)}:{Path(filename).name}"
        lines.append(
            f"    {float(row[2]) / everything:6.1%} {row[1]:>8} calls  {name} ({where}:{line})"
        )
    return lines
