"""LOG_FORMAT reaches the logs of a real start: one JSON object per line, or key=value."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_log_format_setting_reaches_the_log_lines(tmp_path: Path, fmt: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "REDIS_URL"}}
    env |= {"PYTHONPATH": str(ROOT), "LOG_FORMAT": fmt, "LOG_LEVEL": "INFO"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--lang", "en"],
        input="/help\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # The console's terminal is the chat: its log lines go to data/console.log.
    assert "applying migration" not in done.stderr + done.stdout
    log = (tmp_path / "data" / "console.log").read_text(encoding="utf-8")
    lines = [line for line in log.splitlines() if "applying migration" in line]
    assert lines, log[-2000:]
    if fmt == "json":
        record = json.loads(lines[0])
        assert record["level"] == "INFO" and record["msg"].startswith("applying migration")
    else:
        assert lines[0].startswith("ts=") and " level=INFO " in lines[0]
