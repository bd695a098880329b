"""The JSON module for the Socket.IO server: ``engineio.json`` with one decoder.

``engineio.json.loads`` passes ``parse_int`` on every call, which makes the
standard library build a new ``JSONDecoder`` per packet (about 4% of the server's
CPU at a thousand members sending poses). Same rule here (integers of more than
100 digits are refused), one decoder built once. Given to python-socketio as its
documented ``json=`` option (process-wide, like the library's own default).
"""

from __future__ import annotations

from json import JSONDecodeError, JSONDecoder, dumps  # noqa: F401 (the module interface)
from typing import Any

MAX_INT_DIGITS = 100


def _bounded_int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise ValueError("Integer is too large")
    return int(text)


_decoder = JSONDecoder(parse_int=_bounded_int)


def loads(text: str | bytes, **kwargs: Any) -> Any:
    if kwargs:  # someone wants other options: the slow, general path
        from json import loads as general_loads

        kwargs.setdefault("parse_int", _bounded_int)
        return general_loads(text, **kwargs)
    if isinstance(text, (bytes, bytearray)):
        text = text.decode("utf-8")
    return _decoder.decode(text)
