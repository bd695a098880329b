"""Parse a JSON request body into a pydantic model; bad input is a 400, not a 500."""

from __future__ import annotations

from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from ..errors import ApiError

M = TypeVar("M", bound=BaseModel)
MAX_JSON_BYTES = 64 * 1024


class InvalidBody(ApiError):
    status = 400
    code = "invalid_body"


class BodyTooLarge(ApiError):
    status = 413
    code = "payload_too_large"


class NotJson(ApiError):
    status = 415
    code = "unsupported_media_type"


def _message(exc: ValidationError) -> str:
    first = exc.errors()[0] if exc.errors() else None
    if first is None:
        return "the body is not valid"
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


async def parse_json(model: type[M], request: web.Request, max_bytes: int = MAX_JSON_BYTES) -> M:
    """``max_bytes``: larger for bodies that carry texts in three languages (tours)."""
    if request.content_type != "application/json":
        raise NotJson("send the body as application/json")
    too_large = f"the body is over {max_bytes // 1024} KiB"
    if request.content_length is not None and request.content_length > max_bytes:
        raise BodyTooLarge(too_large)
    body = await request.content.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise BodyTooLarge(too_large)
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise InvalidBody(_message(exc)) from None
