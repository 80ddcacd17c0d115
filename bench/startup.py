"""Start-up cost: import time, time to the console's first answer, resident memory at rest.

    .venv/bin/python bench/startup.py --runs 3

Each figure comes from a fresh process (median of ``--runs``). "Old imports" adds the heavy
libraries that the start used to load (matplotlib, python-docx, openpyxl, icalendar,
qrcode, redis) to show what importing them where first used saves.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = "import matplotlib.figure, docx, openpyxl, icalendar, qrcode, redis"
RSS_OF_SELF = (
    "import re; print(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read())[1])"
)


def _env(folder: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "REDIS_URL"}}
    env |= {"PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", "MPLCONFIGDIR": folder}
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def import_run(extra: str, folder: str) -> tuple[float, int]:
    """(seconds to import the app, RSS in MB after it) in a fresh interpreter."""
    code = (
        "import time; t = time.perf_counter(); import bot.app, bot.__main__; "
        f"{extra + '; ' if extra else ''}print(time.perf_counter() - t); {RSS_OF_SELF}"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=folder, env=_env(folder),
    ).stdout.split()  # fmt: skip
    return float(out[0]), int(out[1]) // 1024


def console_run(folder: str) -> tuple[float, float, int, float]:
    """(s to the welcome line, s to the first answer, RSS in MB at rest after it, CPU s).

    The CPU seconds (user + system, the whole run: start, one answer, a second at rest)
    are what the start costs on an idle core, whatever the machine's load while measuring.
    """
    cpu_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--lang", "en"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, cwd=folder, env=_env(folder),
    )  # fmt: skip
    assert process.stdin is not None
    assert process.stdout is not None
    welcome = answer = 0.0
    process.stdin.write("/help\n")
    process.stdin.flush()
    for line in process.stdout:
        if not welcome and "Chat with the bot" in line:
            welcome = time.perf_counter() - started
        if "/settings" in line:
            answer = time.perf_counter() - started
            break
    time.sleep(1.0)  # at rest: nothing to do but wait for the next line
    status = Path(f"/proc/{process.pid}/status").read_text()
    rss = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
    process.stdin.close()
    process.wait(timeout=60)
    return welcome, answer, rss // 1024, _children_cpu() - cpu_before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        lean = [import_run("", folder) for _ in range(runs)]
        old = [import_run(HEAVY, folder) for _ in range(runs)]
        console = [console_run(folder) for _ in range(runs)]
    median = statistics.median
    python = platform.python_version()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {python}")
    print(f"command: python bench/startup.py --runs {runs}; median of {runs} fresh processes")
    print(f"import bot.app:                 {median(t for t, _ in lean):.2f} s, "
          f"{median(r for _, r in lean)} MB resident")  # fmt: skip
    print(f"  with the old start's imports: {median(t for t, _ in old):.2f} s, "
          f"{median(r for _, r in old)} MB resident")  # fmt: skip
    print(f"console welcome line:           {median(c[0] for c in console):.2f} s")
    print(f"console first answer (/help):   {median(c[1] for c in console):.2f} s")
    print(f"  CPU time of that run:         {median(c[3] for c in console):.2f} s (user + system)")
    print(f"console at rest after it:       {median(c[2] for c in console)} MB resident")


if __name__ == "__main__":
    main()
