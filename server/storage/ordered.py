"""A content row that owns an ordered list of items in another table: a course's
lessons (courses.py), a tour's stops (tours.py).

The row has ``created_at`` and ``updated_at``; its items have the row's id and a
``position`` counting from 0. The row and its items are written in one
transaction. (schema.py imports the modules that use this one: it imports
nothing of the package.)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import Column, Table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

ItemsWriter = Callable[[AsyncConnection], Awaitable[None]]


async def insert_row(
    engine: AsyncEngine, table: Table, values: dict, write_items: ItemsWriter
) -> None:
    """A new row of ``table`` (created and updated now) with its items."""
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(table.insert().values(**values, created_at=now, updated_at=now))
        await write_items(conn)


async def update_row(
    engine: AsyncEngine,
    table: Table,
    row_id: str,
    values: dict,
    write_items: ItemsWriter | None = None,
) -> None:
    """Set ``values`` of the row (updated now) and, when given, write its items."""
    async with engine.begin() as conn:
        await conn.execute(
            table.update()
            .where(table.c.id == row_id)
            .values(**values, updated_at=datetime.now(UTC))
        )
        if write_items is not None:
            await write_items(conn)


async def replace_items(
    conn: AsyncConnection, parent: Column, parent_id: str, items: list[dict]
) -> None:
    """Replace the items whose ``parent`` column is ``parent_id`` with ``items``,
    in that order (``position`` 0, 1, ...)."""
    table = parent.table
    await conn.execute(table.delete().where(parent == parent_id))
    if items:
        await conn.execute(
            table.insert(),
            [{parent.name: parent_id, "position": i, **item} for i, item in enumerate(items)],
        )
