"""A private PostgreSQL cluster for tests: Debian's binaries, a tmp dir, a free port.

``PostgresCluster().start()`` runs ``initdb`` into a fresh temp dir (fsync off,
no locale: byte order like SQLite's) and ``postgres`` listening on 127.0.0.1 at a
free port with its unix socket inside the temp dir. PostgreSQL refuses to run as
root, so under root (CI) both run as the ``postgres`` system user (Debian's
``postgresql`` package makes it) through ``runuser``, and the temp dir is theirs.
``stop()`` is a fast shutdown (open connections are cut, as in an outage);
``start()`` again brings the same data back. ``cleanup()`` stops and deletes.

Tests skip when :func:`bin_dir` finds no binaries (``make system-deps`` installs
them).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "zal"


def bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` with initdb and postgres."""
    found = []
    for path in Path("/usr/lib/postgresql").glob("*/bin"):
        if (path / "initdb").exists() and (path / "postgres").exists():
            with contextlib.suppress(ValueError):
                found.append((float(path.parent.name), path))
    return max(found)[1] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    def __init__(self, database: str = "zal"):
        found = bin_dir()
        if found is None:
            raise RuntimeError("no PostgreSQL binaries in /usr/lib/postgresql/*/bin")
        self.bin = found
        self.database = database
        self.as_root = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="zal-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sock"
        self.log = self.root / "postgres.log"
        self.port = _free_port()
        self.running = False
        self._initialised = False

    @property
    def url(self) -> str:
        return self.url_for(self.database)

    def url_for(self, database: str) -> str:
        return f"postgresql+asyncpg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            log = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}\n{log}")

    def _init(self) -> None:
        self.sockets.mkdir()
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
            "--no-locale", "--encoding=UTF8", "--no-sync",
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\nlisten_addresses = '127.0.0.1'\n"
                f"port = {self.port}\n"
                f"unix_socket_directories = '{self.sockets}'\n"
                "fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n"
                "max_connections = 200\nshared_buffers = 32MB\n"
            )
        self._initialised = True

    def start(self) -> None:
        if self.running:
            return
        if not self._initialised:
            self._init()
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")
        self.running = True
        if not getattr(self, "_created", False):
            self.create_database(self.database)
            self._created = True

    def stop(self) -> None:
        """Fast shutdown: sessions are cut, as when the database goes away."""
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
            self.running = False

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        self._run("createdb", "-h", str(self.sockets), "-p", str(self.port), "-U", SUPERUSER, name)
        return self.url_for(name)

    def cleanup(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresCluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()
