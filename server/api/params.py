"""Parse client input into pydantic models; a bad value becomes a 400, not a 500.

Only input goes through here: a ``ValidationError`` anywhere else is our bug and
the error middleware answers it with a 500.
"""

from __future__ import annotations

from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from ..errors import ApiError

M = TypeVar("M", bound=BaseModel)


class InvalidParameter(ApiError):
    status = 400
    code = "invalid_parameter"


def _message(exc: ValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "invalid value"
    where = ".".join(str(p) for p in errors[0]["loc"])
    return f"{where}: {errors[0]['msg']}" if where else errors[0]["msg"]


def parse_query(model: type[M], request: web.Request) -> M:
    query = request.query
    if any(len(query.getall(key)) > 1 for key in query):
        raise InvalidParameter("each query parameter may appear once")
    try:
        return model.model_validate(dict(query))
    except ValidationError as exc:
        raise InvalidParameter(_message(exc)) from None
