"""Domain errors: raised anywhere, turned into JSON 4xx by the error middleware."""

from __future__ import annotations


class ApiError(Exception):
    """A client's mistake with a stable machine-readable ``code``."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(ApiError):
    status = 404
    code = "not_found"


class BadRequest(ApiError):
    status = 400
    code = "bad_request"
