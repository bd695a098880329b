"""The one error middleware: every failure leaves as a small JSON (or HTML) body.

Client mistakes (``ApiError``, including input that failed validation in
``api.params``, and aiohttp HTTP errors) become 4xx ``{"error": {"code", "message"}}``
(with an error's ``public_params`` beside them)
without a traceback in the logs; anything else is a bug: logged with its traceback
and answered with a 500.
"""

from __future__ import annotations

import html
import json
import logging

from aiohttp import web, web_response

from .csp import DEFAULT_POLICY
from .errors import ApiError
from .i18n import lenient, messages

log = logging.getLogger("zal.errors")

SERVER_NAME = "Zal"
# aiohttp's default Server header names exact Python and aiohttp versions. The
# signal below replaces it on every routed answer; this covers the 400s aiohttp's
# protocol layer sends for malformed requests, which no signal sees (a test with
# raw bytes checks both, so an aiohttp that renames this global is noticed).
web_response.SERVER_SOFTWARE = SERVER_NAME

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    503: "unavailable",
}


def _wants_html(request: web.Request) -> bool:
    if request.path.startswith(("/api/", "/scenes/", "/media/")):
        return False
    return "text/html" in request.headers.get("Accept", "")


def request_language(request: web.Request) -> str:
    """The language error messages are written in (an unsupported ``?lang=`` is
    itself the error being reported, so it falls back to ``Accept-Language``)."""
    return lenient(request.headers.get("Accept-Language"), request.query.get("lang"))


# browsers get the venue page's "curtain" card (web_client/css), not a bare error
_HTML_PAGE = (
    "<!doctype html><html lang={lang}><meta charset=utf-8>"
    "<meta name=viewport content='width=device-width, initial-scale=1'>"
    "<title>Zal · {status}</title><link rel=icon href='data:,'>"
    "<link rel=stylesheet href='/client/css/base.css'>"
    "<link rel=stylesheet href='/client/css/venue.css'>"
    "<body class=venue data-state=error data-status={status}>"
    "<main class=curtain><div class=curtain-card>"
    "<span class=brand-mark aria-hidden=true></span><p class=curtain-kicker>{status}</p>"
    "<h1 class=curtain-title>{title}</h1><p class=curtain-text>{text}</p>"
    "<a class='button button-primary' href='/'>{back}</a>"
    "</div></main></body></html>"
)


def error_response(
    request: web.Request,
    status: int,
    code: str,
    message: str,
    lang: str = "en",
    extra: dict[str, object] | None = None,
) -> web.Response:
    """``message`` is already in ``lang`` (see :func:`request_language`); ``extra``
    goes into the JSON error beside it."""
    headers = {"Content-Language": lang, "Vary": "Accept-Language"}
    if _wants_html(request):
        title = f"page.title.{status}" if status in (404, 500) else "page.title.other"
        body = _HTML_PAGE.format(
            lang=lang,
            status=status,
            title=html.escape(messages.text(title, lang)),
            text=html.escape(message),
            back=html.escape(messages.text("page.back", lang)),
        )
        return web.Response(status=status, text=body, content_type="text/html", headers=headers)
    # UTF-8 as is: a Russian or Tatar message stays readable in a log or a curl
    return web.json_response(
        {"error": {"code": code, "message": message, **(extra or {})}},
        status=status,
        headers=headers,
        dumps=_utf8_dumps,
    )


def _utf8_dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@web.middleware
async def error_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except ApiError as exc:
        lang = request_language(request)
        return error_response(
            request, exc.status, exc.code, exc.localized(lang), lang, exc.public()
        )
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = _CODES.get(exc.status, "http_error")
        lang = request_language(request)
        message = exc.reason if lang == "en" else messages.text(code, lang)
        response = error_response(request, exc.status, code, message, lang)
        if exc.status == 405 and "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response
    except Exception:
        log.exception("unhandled error", extra={"method": request.method, "path": request.path})
        lang = request_language(request)
        return error_response(
            request, 500, "internal_error", messages.text("internal_error", lang), lang
        )


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: headers every answer carries unless it set its own."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers["Server"] = SERVER_NAME
    if response.content_type == "text/html":  # error pages; pages send their own
        response.headers.setdefault("Content-Security-Policy", DEFAULT_POLICY)
