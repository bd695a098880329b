"""The guard's refusals (JSON 4xx through the error middleware)."""

from __future__ import annotations

from ..errors import ApiError


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class CrossSite(ApiError):
    """A cookie-authenticated write from another site (a CSRF attempt)."""

    status = 403
    code = "cross_site"
