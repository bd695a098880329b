"""Receive a request body into a temp file, refusing what is too big.

- A ``Content-Length`` above the limit is refused (413) before one body byte is
  read; aiohttp then closes the connection instead of draining the body.
- The bytes are counted while they stream in (chunked bodies, or a lying
  ``Content-Length``): past the limit, 413 too.
- The file is written under ``<data_dir>/uploads`` with a name we make
  (``mkstemp``); nothing of the client's file name or path is used. On every
  error (too big, empty, client gone, cancelled) the file is removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from pathlib import Path

from aiohttp import web

from ..errors import ApiError

CHUNK = 256 * 1024


class PayloadTooLarge(ApiError):
    status = 413
    code = "payload_too_large"


class EmptyUpload(ApiError):
    status = 400
    code = "empty_file"


def refuse_if_declared_too_large(request: web.Request, max_bytes: int) -> None:
    declared = request.content_length
    if declared is not None and declared > max_bytes:
        raise PayloadTooLarge(
            f"the file is {declared} bytes; at most {max_bytes}",
            key="payload_too_large.limit",
            params={"max": max_bytes},
        )


async def receive_to_file(request: web.Request, directory: Path, max_bytes: int) -> Path:
    """The request body as a new file in ``directory``; the caller owns (and
    removes) it. Raises :class:`PayloadTooLarge` or :class:`EmptyUpload`."""
    refuse_if_declared_too_large(request, max_bytes)
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=directory, prefix="upload-")
    path = Path(name)
    size = 0
    try:
        with os.fdopen(fd, "wb") as f:
            while chunk := await request.content.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise PayloadTooLarge(
                        f"the file is over {max_bytes} bytes",
                        key="payload_too_large.limit",
                        params={"max": max_bytes},
                    )
                await asyncio.to_thread(f.write, chunk)
        if size == 0:
            raise EmptyUpload("the file is empty")
        return path
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
