"""The Dockerfile, compose file and .env.example agree with the code (Docker is not run here)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot.__main__ import MODES
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_image_runs_python_m_bot_in_a_real_mode_as_a_non_root_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert cmd is not None
    argv = json.loads(cmd.group(1))
    assert argv[:3] == ["python", "-m", "bot"]
    assert argv[3] in MODES
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert "compile_locales()" in dockerfile
    assert 'VOLUME ["/app/data"]' in dockerfile
    assert "DATABASE_PATH=/app/data/" in dockerfile


def test_dockerignore_keeps_what_the_image_needs() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for needed in ("bot", "handlers", "locales", "pyproject.toml"):
        assert needed not in ignored
    assert ".env" in ignored  # secrets stay out of the image


def test_env_example_names_exactly_the_settings() -> None:
    names = set(
        re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M)
    )
    assert names == {name.upper() for name in Settings.model_fields}


def test_compose_keeps_data_in_the_image_volume_and_stops_gracefully() -> None:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "bot-data:/app/data" in compose
    assert "DATABASE_PATH: /app/data/bot.sqlite3" in compose
    assert "stop_grace_period: 45s" in compose


def _env_of(dockerfile: str) -> dict[str, str]:
    """The image's ENV values (one ``KEY=value`` per line of ENV blocks)."""
    return dict(re.findall(r"^\s*(?:ENV\s+)?([A-Z_]+)=(\S+?)\s*\\?$", dockerfile, re.MULTILINE))


def test_image_installs_exactly_the_lock_file() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    assert "requirements.lock" not in (ROOT / ".dockerignore").read_text(encoding="utf-8")
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = set(re.findall(r"^([a-z0-9][a-z0-9._-]*)==", lock, re.MULTILINE))
    # Every runtime dependency (and the metrics extra the image serves) is pinned.
    for needed in ("aiogram", "aiosqlite", "matplotlib", "python-docx", "prometheus-client"):
        assert needed in pinned, needed
    hashed = re.findall(r"^[a-z0-9][a-z0-9._-]*==[^\n]*\\\n\s+--hash=sha256:", lock, re.M)
    assert len(hashed) == len(re.findall(r"^[a-z0-9][a-z0-9._-]*==", lock, re.MULTILINE))


def test_matplotlib_cache_is_writable_and_health_is_served_in_both_modes() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    env = _env_of(dockerfile)
    cache = env["MPLCONFIGDIR"]
    # Created and handed to the bot user before USER switches to it.
    assert re.search(rf"mkdir -p [^\n]*{re.escape(cache)}", dockerfile)
    assert re.search(rf"chown bot:bot [^\n]*{re.escape(cache)}", dockerfile)
    assert cache.startswith("/tmp/") or cache.startswith("/app/data")
    probe = re.search(r"127\.0\.0\.1:(\d+)/health", dockerfile)
    assert probe is not None
    assert env["HEALTH_PORT"] == env["WEBHOOK_PORT"] == probe.group(1)
    assert Settings.model_fields["health_port"].default is None  # only where it is set
    period = re.search(r"--start-period=(\d+)s", dockerfile)
    assert period is not None and int(period.group(1)) >= 60  # a cold start takes ~25 s
