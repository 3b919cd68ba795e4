"""A real PostgreSQL server for the shared-study tests, started by the suite in a temporary folder.

No mocks: ``initdb`` makes a throwaway cluster, ``pg_ctl`` starts it on
127.0.0.1 and a free port, and the tests connect as a research group
would: ``admin`` (who publishes and owns the tables), ``fiona`` (a
facilitator), ``rahel`` (a researcher) and ``rita`` (a reader).
PostgreSQL refuses to run as root, so as root the server runs as the
``postgres`` user that Debian's package creates. Missing binaries fail the
test with what to install (``scripts/install-test-deps.sh`` installs them).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

USERS = {"fiona": "pw_facilitator", "rahel": "pw_researcher", "rita": "pw_reader"}


def _bindir() -> Path:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        pytest.fail("PostgreSQL's initdb is not installed: run scripts/install-test-deps.sh (Debian: postgresql)")
    return Path(candidates[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running cluster; ``url(user)`` is the address a laptop of that user would use."""

    bindir: Path
    data: Path
    port: int
    as_user: list[str]
    durable: bool = False
    """fsync on (a benchmark); tests run with it off, which changes speed, not behaviour."""

    def url(self, user: str = "admin", database: str = "studies") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data), *args],
            check=True, capture_output=True, timeout=60,
        )

    def start(self) -> None:
        fsync = "on" if self.durable else "off"
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data} -c fsync={fsync}"
        self.ctl("-w", "-l", str(self.data / "server.log"), "-o", options, "start")

    def stop(self) -> None:
        self.ctl("-w", "-m", "fast", "stop")

    def sql(self, statement: str, database: str = "studies", user: str = "admin") -> None:
        import psycopg

        with psycopg.connect(self.url(user, database), autocommit=True) as connection:
            connection.execute(statement)


@contextmanager
def running_cluster(*, durable: bool = False) -> Iterator[Server]:
    """A throwaway cluster with a database ``studies``, stopped and removed at the end (also for benchmarks)."""
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="pw-postgres-"))
    data = root / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    subprocess.run(
        [*as_user, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "admin", "--no-sync", "-E", "UTF8"],
        check=True, capture_output=True, timeout=120,
    )
    server = Server(bindir, data, _free_port(), as_user, durable)
    server.start()
    try:
        server.sql("CREATE DATABASE studies", database="postgres")
        yield server
    finally:
        try:
            server.stop()
        finally:
            time.sleep(0.1)
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    with running_cluster() as server:
        yield server


def fresh_database(server: Server) -> Server:
    """Make ``studies`` new and empty, with the group's login roles (the tables come with the first publish)."""
    server.sql("DROP DATABASE IF EXISTS studies WITH (FORCE)", database="postgres")
    server.sql("CREATE DATABASE studies", database="postgres")
    for user in USERS:
        server.sql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{user}') "
            f"THEN CREATE ROLE {user} LOGIN; END IF; END $$",
            database="postgres",
        )
    return server


@pytest.fixture
def study_database(postgres_server: Server) -> Server:
    """A fresh, empty database ``studies`` on the suite's server."""
    return fresh_database(postgres_server)
