"""Every benchmark, one after another, in one table: the machine, each command, its figures.

Each part runs as its own process (so one part's memory does not count in the next), with
sizes that finish in minutes on a busy 2-core machine; pass ``--full`` for the issue's sizes
(10,000 readers and librarians, 1,000,000 stored responses: much longer).

    .venv/bin/python bench/suite.py
    .venv/bin/python bench/suite.py --full
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent

QUICK = [
    ["dispatch.py", "--users", "100", "--rounds", "1"],
    ["ingest.py", "--readers", "1000", "--staff", "2000"],
    ["aggregation.py", "--sizes", "10000", "100000"],
    ["startup.py", "--runs", "1"],
]
FULL = [
    ["dispatch.py", "--users", "300", "--rounds", "3"],
    ["ingest.py", "--readers", "10000", "--staff", "10000"],
    ["aggregation.py", "--sizes", "10000", "100000", "1000000"],
    ["startup.py", "--runs", "3"],
]


def main(full: bool) -> None:
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load {os.getloadavg()[0]:.1f} at start")  # fmt: skip
    for script, *arguments in FULL if full else QUICK:
        command = [sys.executable, str(BENCH / script), *arguments]
        print(f"\n$ python bench/{script} {' '.join(arguments)}", flush=True)
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        for line in done.stdout.splitlines():
            if not line.startswith(("machine:", "command:")):
                print(f"  {line}")
        if done.returncode:
            print(f"  FAILED ({done.returncode}): {done.stderr.strip().splitlines()[-1:]}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true")
    main(parser.parse_args().full)
