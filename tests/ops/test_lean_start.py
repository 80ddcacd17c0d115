"""Starting the bot loads no heavy library it may never use (each costs megabytes and time)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("matplotlib", "docx", "openpyxl", "redis", "qrcode", "icalendar", "holidays", "PIL")
ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "REDIS_URL"}}
    env["MPLCONFIGDIR"] = str(tmp_path / "mpl")
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_importing_the_app_and_the_entry_point_loads_no_heavy_library(tmp_path: Path) -> None:
    script = (
        "import sys, bot.app, bot.__main__, bot.factory, handlers; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(tmp_path),
        check=True,
    )
    assert done.stdout.strip() == ""


def test_the_console_answers_without_loading_them(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", "console", "--lang", "en"],
        input="/help\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(tmp_path),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "/settings" in done.stdout  # the help answer reached the terminal
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert not imported & set(HEAVY)
