"""tests/realtime/test_qa.py again, the live server storing in PostgreSQL: ask,
vote once, approve, merge, board, answer, publish; a removed member's votes go."""

from __future__ import annotations

from ..realtime.conftest import clients, no_tracebacks  # noqa: F401 (fixtures)
from ..realtime.test_qa import *  # noqa: F403 (its tests, fixture and pytestmark)
from .pg_fixtures import pg_env, postgres  # noqa: F401 (fixtures)


async def test_the_server_stores_in_postgresql(live):
    assert live.engine.dialect.name == "postgresql"
