"""A throwaway PostgreSQL server on 127.0.0.1 for the tests (or TEST_POSTGRES_URL if given).

The server is started once per test session from the distribution's binaries (``initdb``,
``pg_ctl``; Debian: ``apt-get install postgresql``) in a temporary folder. ``initdb`` refuses
to run as root, so as root the cluster belongs to the ``postgres`` user the package creates.
Each test gets a database of its own, copied from a template migrated once.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

TEMPLATE = "bot_template"
_names = itertools.count(1)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def missing(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason}, and CI must run the PostgreSQL tests")
    pytest.skip(f"{reason} (apt-get install postgresql, or set TEST_POSTGRES_URL)")


@contextmanager
def postgres_server(workdir: Path) -> Iterator[str]:
    """Yield the URL of a server where the tests may create databases."""
    if url := os.environ.get("TEST_POSTGRES_URL"):
        yield url
        return
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        missing("PostgreSQL's initdb/pg_ctl are not installed")
    assert initdb is not None and pg_ctl is not None
    if os.geteuid() == 0:
        # pytest's folders are root's alone (0700 all the way down); the server user gets
        # a folder of its own in the system's temporary directory.
        workdir = Path(tempfile.mkdtemp(prefix="bot-test-postgres-"))
        try:
            shutil.chown(workdir, user="postgres")
        except LookupError:
            missing("running as root without a 'postgres' user to own the test cluster")
    try:
        with _cluster(workdir, initdb, pg_ctl) as url:
            yield url
    finally:
        if os.geteuid() == 0:
            shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def _cluster(workdir: Path, initdb: str, pg_ctl: str) -> Iterator[str]:
    data = workdir / "data"
    subprocess.run(
        _as_server_user([initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    port = _free_port()
    # Durability is not what these tests check: fsync off makes CREATE DATABASE cheap.
    options = (
        f"-p {port} -c listen_addresses=127.0.0.1 -k {workdir} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    log = workdir / "server.log"
    subprocess.run(
        _as_server_user([pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(url, connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"PostgreSQL did not start: {log.read_text(errors='replace')[-2000:]}"
                    )
                time.sleep(0.1)
        yield url
    finally:
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def database_url(server_url: str, name: str) -> str:
    return server_url.rsplit("/", 1)[0] + "/" + name


def create_database(server_url: str, *, template: str | None = TEMPLATE) -> str:
    """A new empty (or template-copied) database on the server; returns its URL."""
    name = f"bot_test_{os.getpid()}_{next(_names)}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        suffix = f' TEMPLATE "{template}"' if template else ""
        admin.execute(f'CREATE DATABASE "{name}"{suffix}')
    return database_url(server_url, name)


def drop_database(server_url: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
