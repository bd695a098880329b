"""``require_own``: the guard for one institution's things (issue 9, SECURITY.md).

An editor or host of institution A who asks for, or acts on, something of
institution B gets the very answer an unknown id gets: the same 404, code and
message, so a refusal never tells that B's id exists. Refusals about the role
within one's own institution (a host trying an editor's write) stay 403, and
anonymous requests stay 401 (``require_role``).

Use it where ``require_role`` would be used on a looked-up thing; for a row
with an ``institution_id``, ``require_own_row`` does the lookup's part too::

    row = await repo.get(engine, thing_id)
    unknown = NotFound(key="not_found.thing", params={"id": thing_id})
    row = await require_own_row(request, row, {"editor"}, unknown)
"""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from ..errors import ApiError
from .guard import current_principal, require_role
from .principal import Principal


async def require_own(
    request: web.Request, institution_id: str | None, roles: Iterable[str], unknown: ApiError
) -> Principal:
    """``require_role``, except that a principal of another institution gets
    ``unknown`` (the error the route raises for an id it does not know)."""
    principal = await current_principal(request)
    if (
        principal is not None
        and not principal.is_admin
        and principal.institution_id != institution_id
    ):
        raise unknown
    return await require_role(request, institution_id, roles)


async def require_own_row(
    request: web.Request, row: dict | None, roles: Iterable[str], unknown: ApiError
) -> dict:
    """``row`` (a looked-up thing with an ``institution_id``) once the asker may act
    on it: ``unknown`` for a row that is not there, else :func:`require_own`."""
    if row is None:
        raise unknown
    await require_own(request, row["institution_id"], roles, unknown)
    return row
