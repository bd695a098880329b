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


def _error(exc: ValidationError) -> InvalidParameter:
    errors = exc.errors()
    if not errors:
        return InvalidParameter()
    first = errors[0]
    where = ".".join(str(p) for p in first["loc"])
    if first["type"] == "extra_forbidden":
        return InvalidParameter(key="invalid_parameter.unknown", params={"name": where})
    message = f"{where}: {first['msg']}" if where else first["msg"]
    return InvalidParameter(
        message, key="invalid_parameter.value", params={"name": where, "detail": first["msg"]}
    )


def parse_query(model: type[M], request: web.Request) -> M:
    query = request.query
    if any(len(query.getall(key)) > 1 for key in query):
        raise InvalidParameter(key="invalid_parameter.repeated")
    try:
        return model.model_validate(dict(query))
    except ValidationError as exc:
        raise _error(exc) from None
