"""Domain errors: raised anywhere, turned into JSON 4xx by the error middleware.

The ``code`` is stable and machine-readable; the message shown to people is looked
up in ``server.i18n.messages`` by ``key`` (default: the code) in the request's
language and filled with ``params``. ``message`` is the English text, for logs.
"""

from __future__ import annotations

from .i18n import messages


class ApiError(Exception):
    """A client's mistake with a stable machine-readable ``code``."""

    status = 400
    code = "bad_request"
    # params also sent in the error body beside code and message, so that a client
    # can point at what is at fault (the number of a tour's stop, say)
    public_params: tuple[str, ...] = ()

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        key: str | None = None,
        params: dict[str, object] | None = None,
    ):
        if code:
            self.code = code
        self.key = key or self.code
        self.params = params or {}
        self.message = message or messages.text(self.key, "en", **self.params)
        super().__init__(self.message)

    def localized(self, lang: str) -> str:
        """The message in ``lang``; English is ``message`` itself (it may be more
        precise than the catalogue's text for a bare code)."""
        if lang == "en" or not messages.has(self.key):
            return self.message
        return messages.text(self.key, lang, **self.params)

    def public(self) -> dict[str, object]:
        """The ``public_params`` this error has, for the error body."""
        return {k: self.params[k] for k in self.public_params if k in self.params}


class NotFound(ApiError):
    status = 404
    code = "not_found"


class BadRequest(ApiError):
    status = 400
    code = "bad_request"
