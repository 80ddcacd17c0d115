"""The wheel alone (not the checkout, not editable) starts the console and answers.

Dependencies come from this test run's environment (a .pth line), so the test needs no
network; .ci/run also installs the wheel into a clean venv from the lock file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_wheel_installed_elsewhere_starts_the_console(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(dist), str(ROOT)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = dist.glob("library_smm_bot-*.whl")

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    # This environment's packages, behind the wheel's own files in the new venv.
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         str(wheel)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "PYTHONPATH"}}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    script = env_dir / "bin" / "library-smm-bot"
    done = subprocess.run(
        [str(script), "console", "--lang", "en"],
        input="/help\n", capture_output=True, text=True, cwd=work, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "/settings" in done.stdout
    located = subprocess.run(
        [str(python), "-c", "import bot, bot.i18n; print(bot.__file__, bot.i18n.LOCALES_DIR)"],
        check=True, capture_output=True, text=True, cwd=work, env=env,
    ).stdout  # fmt: skip
    assert str(ROOT) not in located  # the wheel's copy, with its own catalogs
    assert (work / "data" / "console.sqlite3").exists()  # migrations came with the wheel
