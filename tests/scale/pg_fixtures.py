"""Fixtures for tests on a real PostgreSQL (tests/engines/postgres.py): a
private cluster per test module, a fresh database per test or per module.

Not a conftest (tests/scale is shared with the Redis and nginx tests): a test
module imports what it uses. Tests skip when PostgreSQL's binaries or asyncpg
are missing (``make system-deps`` and ``make setup`` install them).
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterator

import pytest

from ..engines.postgres import PostgresCluster, bin_dir

_names = itertools.count()


def need_postgres() -> None:
    if bin_dir() is None:
        pytest.skip("no PostgreSQL binaries (make system-deps installs postgresql)")
    pytest.importorskip("asyncpg")


def fresh_database(cluster: PostgresCluster) -> str:
    """A new empty database on ``cluster``; its URL."""
    return cluster.create_database(f"t{os.getpid()}_{next(_names)}")


@contextlib.contextmanager
def started_cluster() -> Iterator[PostgresCluster]:
    """A private cluster, started, removed afterwards (skips without PostgreSQL)."""
    need_postgres()
    cluster = PostgresCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.cleanup()


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresCluster]:
    with started_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_url(postgres: PostgresCluster) -> str:
    return fresh_database(postgres)


@pytest.fixture(scope="module", autouse=True)
def pg_env(postgres: PostgresCluster) -> Iterator[str]:
    """Servers the module starts store in a fresh PostgreSQL database
    (``ZAL_DATABASE_URL``, which :class:`server.settings.Settings` reads)."""
    url = fresh_database(postgres)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZAL_DATABASE_URL", url)
        yield url
