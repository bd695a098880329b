"""The one error middleware: every failure leaves as a small JSON (or HTML) body.

Client mistakes (``ApiError``, pydantic ``ValidationError``, aiohttp HTTP errors)
become 4xx ``{"error": {"code", "message"}}`` without a traceback in the logs;
anything else is a bug: logged with its traceback and answered with a 500.
"""

from __future__ import annotations

import html
import logging

from aiohttp import web
from pydantic import ValidationError

from .errors import ApiError

log = logging.getLogger("zal.errors")

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
}


def _wants_html(request: web.Request) -> bool:
    if request.path.startswith(("/api/", "/scenes/", "/media/")):
        return False
    return "text/html" in request.headers.get("Accept", "")


def error_response(request: web.Request, status: int, code: str, message: str) -> web.Response:
    if _wants_html(request):
        text = html.escape(message)
        body = (
            "<!doctype html><meta charset=utf-8><title>Zal</title>"
            f"<link rel=icon href='data:,'><h1>{status}</h1><p>{text}</p>"
            "<p><a href='/'>Back to the lobby</a></p>"
        )
        return web.Response(status=status, text=body, content_type="text/html")
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def _validation_message(exc: ValidationError) -> str:
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg', 'invalid value')}" if where else str(first.get("msg"))


@web.middleware
async def error_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(request, exc.status, exc.code, exc.message)
    except ValidationError as exc:
        return error_response(request, 400, "invalid_parameter", _validation_message(exc))
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = _CODES.get(exc.status, "http_error")
        response = error_response(request, exc.status, code, exc.reason)
        if exc.status == 405 and "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response
    except Exception:
        log.exception("unhandled error", extra={"method": request.method, "path": request.path})
        return error_response(request, 500, "internal_error", "internal server error")
