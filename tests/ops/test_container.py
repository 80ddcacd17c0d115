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
