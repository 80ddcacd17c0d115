"""A warm parent for bot processes: imports the bot once, then forks ``python -m bot polling``
children on request, so that a test can SIGKILL the real bot and start it again many times
without paying the import (seconds on a busy machine) for every restart.

Protocol, one line each way, on stdin/stdout:

    start        -> <pid>        a child now runs bot.__main__.run(["polling"])
    reap <pid>   -> <status>     waits for that child (killed or exited)

The child is an ordinary process of its own: its event loop, database connection and HTTP
session are created after the fork; only imported modules are shared (copy-on-write).
Settings come from the environment the parent was started with. The only change to the bot:
no per-user flood limit (see ``_unlimited``).
"""

from __future__ import annotations

import os
import sys

import bot.app  # the import cost paid once, here
from bot.__main__ import run
from bot.antiflood import AntiFlood
from bot.outbox.limiter import Rate


def _unlimited() -> AntiFlood:
    # The test's librarian answers far faster than a person can (the flood limit would drop
    # their updates, which is right for a person and not what this test is about).
    return AntiFlood(Rate(1_000_000, 1.0))


setattr(bot.app, "AntiFlood", _unlimited)  # noqa: B010  (bot.app does not re-export it)


def _say(value: int) -> None:
    sys.stdout.write(f"{value}\n")
    sys.stdout.flush()


def main() -> None:
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "start":
            pid = os.fork()
            if pid == 0:
                # stdout is the protocol's: the bot's own output goes to stderr's log.
                os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
                code = 0
                try:
                    run(["polling"])
                except SystemExit as stop:
                    code = stop.code if isinstance(stop.code, int) else 1
                except BaseException:
                    code = 1
                os._exit(code)
            _say(pid)
        elif command == "reap":
            _, status = os.waitpid(int(argument), 0)
            _say(status)


if __name__ == "__main__":
    main()
