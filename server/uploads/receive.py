"""Receive a request body into a temp file, refusing what is too big.

A raw body is one file (:func:`receive_to_file`); ``multipart/form-data`` may
carry several (:func:`receive_parts`, e.g. a set of slide images).

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

from aiohttp import MultipartReader, web

from ..errors import ApiError

CHUNK = 256 * 1024


class PayloadTooLarge(ApiError):
    status = 413
    code = "payload_too_large"


class BadForm(ApiError):
    status = 400
    code = "bad_request"


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


class TooManyFiles(ApiError):
    status = 400
    code = "too_many_files"


async def receive_parts(
    request: web.Request, directory: Path, max_bytes: int, max_files: int
) -> list[Path]:
    """The file parts of a ``multipart/form-data`` body, in order, each in its own
    temp file; ``max_bytes`` counts all of them together. Form fields without a
    file name are skipped; part names and file names are never used for paths."""
    return [path for path, _ in await receive_named_parts(request, directory, max_bytes, max_files)]


async def receive_named_parts(
    request: web.Request, directory: Path, max_bytes: int, max_files: int
) -> list[tuple[Path, str]]:
    """Like :func:`receive_parts`, with each part's file name as the client sent
    it (for matching a manifest; still never used for a path)."""
    refuse_if_declared_too_large(request, max_bytes)
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    names: list[str] = []
    size = 0
    try:
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if isinstance(part, MultipartReader) or part.filename is None:
                continue  # nested multipart, or a plain form field
            if len(paths) == max_files:
                raise TooManyFiles(
                    f"at most {max_files} files", key="too_many_files", params={"max": max_files}
                )
            fd, name = tempfile.mkstemp(dir=directory, prefix="upload-")
            paths.append(Path(name))
            names.append(part.filename)
            with os.fdopen(fd, "wb") as f:
                while chunk := await part.read_chunk(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise PayloadTooLarge(
                            f"the files are over {max_bytes} bytes",
                            key="payload_too_large.limit",
                            params={"max": max_bytes},
                        )
                    await asyncio.to_thread(f.write, chunk)
            if paths[-1].stat().st_size == 0:
                # the name is the client's own; JSON escapes it, nothing renders it as HTML
                raise EmptyUpload(f"a file is empty (0 bytes): {part.filename[:200]!r}")
        if not paths:
            raise EmptyUpload("no file in the form")
        return list(zip(paths, names, strict=True))
    except BaseException as exc:
        for path in paths:
            with contextlib.suppress(OSError):
                path.unlink()
        if isinstance(exc, (AssertionError, ValueError)):  # aiohttp: a malformed form
            raise BadForm("the multipart body cannot be read") from None
        raise
