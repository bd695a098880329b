"""Why a stream is refused: stable codes, answered as 4xx JSON by the API
(messages in server/i18n/messages.py)."""

from __future__ import annotations

from ...errors import ApiError


class StreamError(ApiError):
    status = 400
    code = "invalid_stream"


class InvalidStreamUrl(StreamError):
    code = "invalid_stream_url"


class OriginNotAllowed(StreamError):
    code = "origin_not_allowed"


class NotHls(StreamError):
    code = "not_hls"


class StreamUnreachable(StreamError):
    code = "stream_unreachable"
