"""The two chunks of a GLB, with every declared length checked against the file."""

from __future__ import annotations

import struct

from .errors import SceneRefused

JSON_CHUNK = 0x4E4F534A
BIN_CHUNK = 0x004E4942


def _bad(why: str) -> SceneRefused:
    return SceneRefused("bad_glb", f"the GLB file is damaged: {why}")


def split_glb(data: bytes) -> tuple[bytes, bytes | None]:
    """(JSON chunk, BIN chunk or None); refused when a header lies about a length."""
    if len(data) < 20:
        raise _bad("shorter than its header")
    magic, version, length = struct.unpack_from("<4sII", data, 0)
    if magic != b"glTF" or version != 2:
        raise _bad(f"version {version}; only glTF 2.0 is supported")
    if length != len(data):
        raise _bad(f"the header says {length} bytes, the file has {len(data)}")
    chunks: list[tuple[int, bytes]] = []
    offset = 12
    while offset < length:
        if offset + 8 > length:
            raise _bad("a chunk header is cut off")
        size, kind = struct.unpack_from("<II", data, offset)
        start, end = offset + 8, offset + 8 + size
        if end > length:
            raise _bad(f"a chunk declares {size} bytes past the end of the file")
        if size % 4:
            raise _bad("a chunk length is not a multiple of 4")
        chunks.append((kind, data[start:end]))
        offset = end
    if not chunks or chunks[0][0] != JSON_CHUNK:
        raise _bad("the first chunk is not JSON")
    if len(chunks) > 1 and chunks[1][0] != BIN_CHUNK:
        raise _bad("the second chunk is not BIN")
    return chunks[0][1], chunks[1][1] if len(chunks) > 1 else None
