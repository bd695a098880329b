"""Why a media file is refused: stable codes, shown as 4xx JSON by the API and
stored in ``media.error`` when a background job fails."""

from __future__ import annotations

from ..errors import ApiError


class MediaError(ApiError):
    """A file we cannot turn into stage media; ``code`` says why."""

    status = 422
    code = "media_failed"


class NotMedia(MediaError):
    status = 415
    code = "not_media"


class CorruptMedia(MediaError):
    code = "corrupt_media"


class EmptyFile(MediaError):
    status = 400
    code = "empty_file"


class TooLong(MediaError):
    code = "media_too_long"


class TooManyPages(MediaError):
    code = "too_many_pages"


class ImageTooLarge(MediaError):
    code = "image_too_large"


class TranscodeFailed(MediaError):
    code = "transcode_failed"


class ProcessTimeout(MediaError):
    code = "media_timeout"


class PayloadTooLarge(ApiError):
    status = 413
    code = "payload_too_large"
