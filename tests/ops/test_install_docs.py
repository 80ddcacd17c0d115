"""The README's install commands: one line each, from the lock files, and CI runs them."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", quick, re.DOTALL)


def test_quick_start_is_run_again_and_test_each_one_line() -> None:
    run, again, test = _blocks()
    for command in (run, again, test):
        assert "\n" not in command
    assert "-r requirements.lock" in run and run.endswith(".venv/bin/python -m bot")
    assert again == ".venv/bin/python -m bot"  # no reinstall the second time
    assert "-r requirements-dev.lock" in test and test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    *_, test = _blocks()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci
    assert any("library-smm-bot" in line and "console" in line for line in ci)


def test_lock_files_pin_every_direct_dependency() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    declared = set(re.findall(r'^\s+"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?[<>=~!]', pyproject, re.M))
    dev_lock = (ROOT / "requirements-dev.lock").read_text(encoding="utf-8")
    pinned = set(re.findall(r"^([a-z0-9][a-z0-9._-]*)==", dev_lock, re.MULTILINE))
    normal = {re.sub(r"[-_.]+", "-", name).lower() for name in declared}
    assert normal <= pinned, normal - pinned
