"""``require_role`` and ``current_principal``: see :mod:`server.auth`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from aiohttp import web

from .. import keys
from ..storage import sessions as sessions_repo
from ..storage import tokens as tokens_repo
from .csrf import SAFE_METHODS, from_this_site
from .errors import CrossSite, Forbidden, Unauthorized
from .principal import Principal

SESSION_COOKIE = "zal_session"
# the principal of this request, found once however many checks ask
_PRINCIPAL: web.RequestKey[Principal | None] = web.RequestKey("zal.principal")


def bearer_token(request: web.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


async def _authenticate(request: web.Request) -> Principal | None:
    """The principal, ``None`` without credentials; 401 for bad ones."""
    engine = request.app[keys.DB_ENGINE]
    now = datetime.now(UTC)
    token = bearer_token(request)
    if token is not None:
        row = await tokens_repo.find_active(engine, token, now)
        via = "bearer"
    else:
        session_id = request.cookies.get(SESSION_COOKIE)
        if not session_id:
            return None
        row = await sessions_repo.find_active(engine, session_id, now)
        via = "cookie"
    if row is None:
        raise Unauthorized(
            "the token or session is wrong, expired or revoked",
            key="unauthorized.invalid",
        )
    await tokens_repo.touch(engine, row, now)
    return Principal(row["id"], row["role"], row["institution_id"], via)  # type: ignore[arg-type]


async def current_principal(request: web.Request) -> Principal | None:
    """Who is asking, or ``None`` when no credentials came; 401 for bad ones."""
    if _PRINCIPAL not in request:
        request[_PRINCIPAL] = await _authenticate(request)
    return request[_PRINCIPAL]


async def require_role(
    request: web.Request, institution_id: str | None, roles: Iterable[str]
) -> Principal:
    """The principal if it holds one of ``roles`` for ``institution_id`` (admins
    always do); 401 / 403 otherwise, and 403 ``cross_site`` for a cookie write
    from another site."""
    principal = await current_principal(request)
    if principal is None:
        raise Unauthorized(
            "sign in, or send Authorization: Bearer <token>", key="unauthorized.missing"
        )
    if (
        principal.via == "cookie"
        and request.method not in SAFE_METHODS
        and not from_this_site(request)
    ):
        raise CrossSite("a write from another site is refused")
    if not principal.may(institution_id, roles):
        raise Forbidden("this token may not do that for this institution", key="forbidden.role")
    return principal
