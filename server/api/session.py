"""Signing in to the portal with an access token (docs/api.md#sessions).

- ``POST /api/session`` ``{"token": "zal_..."}`` -> 200 with who signed in, and a
  ``zal_session`` cookie: ``HttpOnly; SameSite=Strict; Path=/``, ``Secure`` when
  served over HTTPS. The cookie is a random id; the server keeps its sha256.
- ``GET /api/session`` -> ``{"principal": ...}`` (``null`` when signed out).
- ``DELETE /api/session`` -> 204; the session is deleted and the cookie cleared.

Writes made with the cookie are checked for their origin (server/auth/csrf.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from .. import keys
from ..auth import CrossSite, Unauthorized, current_principal
from ..auth.csrf import from_this_site
from ..auth.guard import SESSION_COOKIE
from ..storage import sessions as sessions_repo
from ..storage import tokens as tokens_repo
from .jsonbody import parse_json

routes = web.RouteTableDef()

SESSION_TTL = timedelta(hours=12)


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)


def _refuse_other_sites(request: web.Request) -> None:
    # signing in or out from another site's page (login CSRF): refused when the
    # browser says so; clients that send neither header are no browser
    if ("Sec-Fetch-Site" in request.headers or "Origin" in request.headers) and not (
        from_this_site(request)
    ):
        raise CrossSite("a sign-in from another site is refused")


def _set_cookie(response: web.Response, request: web.Request, value: str, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="Strict",
        secure=request.secure or request.app[keys.SETTINGS].secure_cookies,
    )


@routes.post("/api/session")
async def sign_in(request: web.Request) -> web.Response:
    _refuse_other_sites(request)
    body = await parse_json(SignIn, request)
    engine = request.app[keys.DB_ENGINE]
    now = datetime.now(UTC)
    row = await tokens_repo.find_active(engine, body.token.strip(), now)
    if row is None:
        raise Unauthorized("the token is wrong, expired or revoked", key="unauthorized.invalid")
    expires_at = now + SESSION_TTL
    if row["expires_at"] is not None:
        expires_at = min(expires_at, row["expires_at"])
    session_id = await sessions_repo.create(engine, row["id"], now, expires_at)
    await tokens_repo.touch(engine, row, now)
    await sessions_repo.delete_expired(engine, now)
    response = web.json_response(
        {
            "principal": {
                "token_id": row["id"],
                "role": row["role"],
                "institution_id": row["institution_id"],
            },
            "expires_at": expires_at.isoformat().replace("+00:00", "Z"),
        }
    )
    _set_cookie(response, request, session_id, int((expires_at - now).total_seconds()))
    response.headers["Cache-Control"] = "no-store"
    return response


@routes.get("/api/session")
async def who_am_i(request: web.Request) -> web.Response:
    try:
        principal = await current_principal(request)
    except Unauthorized:
        principal = None  # an ended session is just "signed out" here
    response = web.json_response({"principal": principal.as_json() if principal else None})
    response.headers["Cache-Control"] = "no-store"
    return response


@routes.delete("/api/session")
async def sign_out(request: web.Request) -> web.Response:
    _refuse_other_sites(request)
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        await sessions_repo.delete(request.app[keys.DB_ENGINE], session_id)
    response = web.Response(status=204)
    _set_cookie(response, request, "", 0)
    return response
