"""Every benchmark in one command, one table: ``python -m bench`` (or bench/run_all.py).

Each benchmark runs as a fresh process of its own, one after another (never two at once:
they would measure each other). The table gives the machine and its load at the start, the
exact command of each part and its figures; the dispatch-type parts (wizard, ingest) carry
their ratio to bare aiogram fed the same updates in the same process.

    .venv/bin/python -m bench                  # full sizes: takes a long while
    .venv/bin/python -m bench --quick          # small sizes, a few minutes
    .venv/bin/python -m bench --database-url postgresql://postgres@127.0.0.1:55432/postgres
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, machine

BENCH = ROOT / "bench"


@dataclass
class Part:
    name: str
    arguments: list[str]

    @property
    def command(self) -> str:
        return " ".join(["python", *self.arguments])


def plan(quick: bool, tiny: bool, database_url: str | None) -> list[Part]:
    """What to run; ``tiny`` is the smoke test's size (seconds, not minutes)."""
    if tiny:
        wizard, readers, sizes, users, runs = 3, 2, ["20"], 20, 1
    elif quick:
        wizard, readers, sizes, users, runs = 100, 300, ["10000"], 1000, 1
    else:
        wizard, readers, sizes, users, runs = (
            300,
            10_000,
            ["10000", "100000", "1000000"],
            10_000,
            3,
        )
    rounds = "1" if quick or tiny else "3"
    parts = [
        Part("wizard, SQLite", ["bench/dispatch.py", "--users", str(wizard), "--rounds", rounds]),
        Part("survey ingest, SQLite", ["bench/survey_ingest.py", "--readers", str(readers)]),
    ]
    if database_url:
        parts.append(
            Part(
                "survey ingest, PostgreSQL",
                [
                    "bench/survey_ingest.py",
                    "--readers",
                    str(readers),
                    "--database-url",
                    database_url,
                ],
            )
        )
    parts += [
        Part("aggregation", ["bench/results_at_size.py", "--sizes", *sizes]),
        Part(
            "memory and start-up", ["bench/memory.py", "--users", str(users), "--runs", str(runs)]
        ),
    ]
    return parts


def run(part: Part) -> tuple[list[str], float]:
    """The part's figures (its output without the machine and command lines), seconds."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *part.arguments], cwd=ROOT, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    lines = [
        line
        for line in done.stdout.splitlines()
        if line.strip() and not line.startswith(("machine:", "command:"))
    ]
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        lines += [f"FAILED (exit {done.returncode}): " + " / ".join(tail)]
    return lines, seconds


def table(rows: list[tuple[Part, list[str], float]]) -> str:
    out = ["| part | command | figures |", "| --- | --- | --- |"]
    for part, lines, seconds in rows:
        figures = "<br>".join(line.strip().replace("|", "/") for line in lines)
        out.append(f"| {part.name} ({seconds:.0f} s) | `{part.command}` | {figures} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a few minutes")
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help="also run the ingest on this PostgreSQL server")
    args = parser.parse_args(argv)
    print(f"machine at start: {machine()}")
    flags = " --quick" if args.quick else ""
    print(f"command: python -m bench{flags}{' --database-url ...' if args.database_url else ''}")
    rows = []
    for part in plan(args.quick, args.tiny, args.database_url):
        lines, seconds = run(part)
        rows.append((part, lines, seconds))
    print(table(rows))
    print(f"machine at end: {machine()}")
    return 1 if any(line.startswith("FAILED") for _, lines, _ in rows for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
