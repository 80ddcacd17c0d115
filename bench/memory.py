"""Memory and start-up: users mid-wizard, the idle bot, the console's first prompt.

- ``wizard``: RSS of one bot process (SQLite, ``create_dispatcher``) before and after N users
  each pressed /start and typed the library's name, so every one of them is mid-wizard.
- ``idle``: ``import bot.app`` in a fresh interpreter: seconds and RSS, beside the same for
  bare Python, ``import pydantic`` and ``import aiogram`` (what the framework costs before
  the bot's own code), and what ``tracemalloc`` sees allocated by package during the import.
- ``console``: ``python -m bot console`` on a pseudo-terminal, seconds until its first
  prompt (``you> ``), each run a fresh process.

    .venv/bin/python bench/memory.py                # 10,000 users, 3 runs
    .venv/bin/python bench/memory.py --users 500 --runs 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, machine, rss_mb

PROMPT = b"you> "
IMPORTS = {
    "python alone": "pass",
    "import pydantic": "import pydantic",
    "import aiogram": "import aiogram, aiogram.types",
    "import bot.app": "import bot.app, bot.__main__",
}
OWN = ("bot", "handlers")


def _env(folder: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "REDIS_URL"}}
    env |= {"PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", "MPLCONFIGDIR": folder}
    return env


async def wizard_users(users: int) -> tuple[float, float, float]:
    """(RSS before, RSS after N users mid-wizard, seconds taken)."""
    from pydantic import SecretStr

    from bot.config import Settings
    from bot.console.fake_telegram import FakeTelegram
    from bot.db.connection import open_database
    from bot.db.repositories import Repositories
    from bot.factory import create_dispatcher
    from bot.i18n import create_i18n
    from bot.storage import DatabaseStorage
    from tests.chat import ChatUser
    from tests.mocked_bot import MockedBot

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        db = await open_database(path)
        settings = Settings(
            _env_file=None, bot_token=None, database_path=path, survey_secret=SecretStr("b")
        )
        dispatcher = create_dispatcher(
            repo=Repositories(db),
            storage=DatabaseStorage(db),
            i18n=create_i18n(),
            settings=settings,
        )
        bot = MockedBot()
        # One user first: what a process holds once it has handled anything at all.
        warm = ChatUser(dispatcher, bot, 1)
        await warm.send("/start")
        await warm.send("Библиотека")
        bot.session.clear()
        before = rss_mb()
        started = time.perf_counter()
        for user_id in range(2, users + 2):
            chat = ChatUser(dispatcher, bot, user_id)
            await chat.send("/start")
            await chat.send(f"Библиотека {user_id}")
            # The mocked session records every request and its fake Telegram every message
            # (for later edits); a real session keeps neither, so neither is counted.
            bot.session.clear()
            bot.session.telegram = FakeTelegram()
        elapsed = time.perf_counter() - started
        after = rss_mb()
        states = await db.execute_fetchall("SELECT count(*) FROM fsm")
        await db.close()
    assert next(iter(states))[0] == users + 1, "every user's wizard state is stored"
    return before, after, elapsed


def import_run(code: str, folder: str) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, RSS in MB) of running ``code`` in a fresh interpreter.

    CPU seconds are what an idle core would take: on a loaded machine the wall time also
    counts waiting for a core."""
    program = (
        "import time, re; t = time.perf_counter(); c = time.process_time(); "
        f"{code}; s = time.perf_counter() - t; c = time.process_time() - c; "
        "print(s, c, re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read())[1])"
    )
    out = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
        env=_env(folder),
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]) / 1024


def traced_import(folder: str) -> list[tuple[str, float]]:
    """MB that tracemalloc sees allocated (and kept) by each package during ``import bot.app``."""
    program = f"""
import json, tracemalloc
tracemalloc.start()
import bot.app, bot.__main__
snapshot = tracemalloc.take_snapshot()
sizes = {{}}
for stat in snapshot.statistics("filename"):
    name = stat.traceback[0].filename
    if "site-packages/" in name:
        package = name.split("site-packages/", 1)[1].split("/", 1)[0]
    elif name.startswith({str(ROOT)!r}):
        package = name[len({str(ROOT)!r}) + 1:].split("/", 1)[0]
    else:
        package = "python (stdlib, frozen)"
    package = package.removesuffix(".py").split(".")[0]
    sizes[package] = sizes.get(package, 0) + stat.size
print(json.dumps(sizes))
"""
    out = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
        env=_env(folder),
    ).stdout
    sizes: dict[str, int] = json.loads(out.strip().splitlines()[-1])
    return sorted(((k, v / 2**20) for k, v in sizes.items()), key=lambda kv: -kv[1])


def import_times(folder: str) -> list[tuple[str, float]]:
    """Cumulative import seconds by top-level package (``python -X importtime``)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import bot.app, bot.__main__"],
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
        env=_env(folder),
    )
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line.split("|")
        try:
            own = int(parts[0].split(":")[1])
        except ValueError:
            continue  # the header line
        package = parts[2].strip().split(".")[0]
        totals[package] = totals.get(package, 0.0) + own / 1e6
    return sorted(totals.items(), key=lambda kv: -kv[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def console_prompt(folder: str, timeout: float = 120.0) -> tuple[float, float]:
    """(wall, CPU) seconds from starting ``python -m bot console`` until its first prompt."""
    leader, follower = pty.openpty()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--lang", "en"],
        stdin=follower,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        cwd=folder,
        env=_env(folder) | {"NO_COLOR": "1", "DATABASE_PATH": f"{folder}/console.sqlite3"},
    )
    os.close(follower)
    seen = b""
    try:
        while PROMPT not in seen:
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"no prompt within {timeout} s: {seen[-200:]!r}")
            ready, _, _ = select.select([leader], [], [], 1.0)
            if ready:
                seen += os.read(leader, 4096)
        return time.perf_counter() - started, cpu_seconds(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
        os.close(leader)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per start-up figure")
    parser.add_argument("--only", choices=["wizard", "idle", "console"], action="append")
    args = parser.parse_args()
    parts = args.only or ["wizard", "idle", "console"]
    print(f"machine: {machine()}")
    print(f"command: python bench/memory.py --users {args.users} --runs {args.runs}")
    if "wizard" in parts:
        before, after, seconds = asyncio.run(wizard_users(args.users))
        print(
            f"{args.users} users mid-wizard: RSS {before:.0f} MB -> {after:.0f} MB "
            f"(+{after - before:.1f} MB; {2 * args.users / seconds:.0f} updates/s)"
        )
    with tempfile.TemporaryDirectory() as folder:
        if "idle" in parts:
            print(f"idle (median of {args.runs} fresh interpreters):")
            for label, code in IMPORTS.items():
                runs = [import_run(code, folder) for _ in range(args.runs)]
                wall = statistics.median(s for s, _, _ in runs)
                cpu = statistics.median(c for _, c, _ in runs)
                rss = statistics.median(r for _, _, r in runs)
                print(f"  {label:<16} {wall:6.2f} s wall, {cpu:6.2f} s CPU, RSS {rss:5.0f} MB")
            print("  import time by package (-X importtime, own time, top 8):")
            for package, seconds in import_times(folder)[:8]:
                print(f"    {package:<24} {seconds:6.2f} s")
            print("  kept allocations after import bot.app by package (tracemalloc, top 8):")
            traced = traced_import(folder)
            own = sum(mb for package, mb in traced if package in OWN)
            for package, mb in traced[:8]:
                print(f"    {package:<24} {mb:6.1f} MB")
            print(f"    the bot's own code (bot, handlers): {own:.1f} MB")
        if "console" in parts:
            times = [console_prompt(folder) for _ in range(args.runs)]
            wall = statistics.median(w for w, _ in times)
            cpu = statistics.median(c for _, c in times)
            print(
                f"console first prompt: {wall:.2f} s wall, {cpu:.2f} s CPU "
                f"(median of {args.runs} fresh processes)"
            )


if __name__ == "__main__":
    main()
