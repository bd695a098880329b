"""What a glTF's JSON declares, checked before any loader runs.

A few hundred bytes of JSON can declare an accessor of two billion elements; a
loader would zero-fill it. So every buffer, buffer view, accessor and image is
added up against the bytes really present and against the budgets first. URIs
may only be ``data:`` (length checked before decoding) or files of the upload.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field

from .budgets import Budgets
from .errors import SceneRefused, over_budget
from .images import MIME, image_header
from .members import resolve_reference

COMPONENT_BYTES = {5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4}
TYPE_COMPONENTS = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}
# the loader cannot read these; refusing beats a half-loaded model
UNSUPPORTED_REQUIRED = {
    "KHR_draco_mesh_compression": "Draco-compressed geometry",
    "EXT_meshopt_compression": "meshopt-compressed geometry",
    "KHR_texture_basisu": "Basis Universal textures",
}


def _bad(why: str) -> SceneRefused:
    return SceneRefused("bad_gltf", f"the glTF is not valid: {why}")


@dataclass
class GltfDeclared:
    """What the JSON declares, after the checks."""

    tree: dict
    buffer_sizes: list[int] = field(default_factory=list)
    accessor_bytes: int = 0
    images: list[tuple[str, int, int]] = field(default_factory=list)


def _list(tree: dict, key: str) -> list[dict]:
    value = tree.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _bad(f"'{key}' is not a list of objects")
    return value


def _int(obj: dict, key: str, default: int | None = None, low: int = 0) -> int:
    value = obj.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _bad(f"'{key}' must be an integer >= {low}, not {str(value)[:40]}")
    return value


def _index(obj: dict, key: str, items: list) -> int:
    value = _int(obj, key)
    if value >= len(items):
        raise _bad(f"'{key}' {value} refers to nothing")
    return value


def parse_json(raw: bytes) -> dict:
    try:
        tree = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _bad("its JSON cannot be read") from None
    if not isinstance(tree, dict):
        raise _bad("its JSON is not an object")
    asset = tree.get("asset")
    if not isinstance(asset, dict) or not str(asset.get("version", "")).startswith("2."):
        raise SceneRefused("unsupported_format", "only glTF 2.0 is supported (asset.version)")
    return tree


def _data_uri(uri: str, limit: int, what: str) -> bytes:
    head, _, payload = uri.partition(",")
    if not head.endswith(";base64"):
        raise _bad(f"{what} has a data: URI that is not base64")
    if len(payload) * 3 // 4 > limit:  # judged before decoding
        raise over_budget(f"size of {what}", len(payload) * 3 // 4, limit, " bytes")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise _bad(f"{what} has a damaged data: URI") from None


def _resource(uri: object, ctx: _Context, what: str) -> bytes:
    if not isinstance(uri, str) or not uri:
        raise _bad(f"{what} has a 'uri' that is not a string")
    if uri.startswith("data:"):
        return _data_uri(uri, ctx.budgets.max_unpacked_bytes, what)
    name = resolve_reference(uri, ctx.base_dir, ctx.members, what)
    return ctx.members[name]


@dataclass
class _Context:
    budgets: Budgets
    members: dict[str, bytes]
    base_dir: str
    bin_chunk: bytes | None


def _buffers(tree: dict, ctx: _Context) -> list[bytes]:
    out = []
    for i, buf in enumerate(_list(tree, "buffers")):
        declared = _int(buf, "byteLength", low=1)
        if "uri" in buf:
            data = _resource(buf["uri"], ctx, f"buffer {i}")
        elif i == 0 and ctx.bin_chunk is not None:
            data = ctx.bin_chunk
        else:
            raise _bad(f"buffer {i} has no data")
        if len(data) < declared:
            raise _bad(f"buffer {i} declares {declared} bytes but has {len(data)}")
        out.append(data[:declared])
    return out


def _views(tree: dict, buffers: list[bytes]) -> list[dict]:
    views = _list(tree, "bufferViews")
    for i, view in enumerate(views):
        b = _index(view, "buffer", buffers)
        end = _int(view, "byteOffset", 0) + _int(view, "byteLength", low=1)
        if end > len(buffers[b]):
            raise _bad(f"bufferView {i} ends at byte {end}, past its buffer ({len(buffers[b])})")
        if "byteStride" in view and not 4 <= _int(view, "byteStride") <= 252:
            raise _bad(f"bufferView {i} has a byteStride outside 4..252")
    return views


def _accessor_bytes(i: int, acc: dict, views: list[dict]) -> int:
    comp = acc.get("componentType")
    kind = acc.get("type")
    if comp not in COMPONENT_BYTES or kind not in TYPE_COMPONENTS:
        raise _bad(f"accessor {i} has an unknown componentType or type")
    count = _int(acc, "count", low=1)
    element = COMPONENT_BYTES[comp] * TYPE_COMPONENTS[kind]
    if "bufferView" in acc:
        view = views[_index(acc, "bufferView", views)]
        stride = view.get("byteStride", element)
        end = _int(acc, "byteOffset", 0) + stride * (count - 1) + element
        if end > view["byteLength"]:
            raise _bad(
                f"accessor {i} declares {count} elements ({end} bytes), "
                f"more than its bufferView holds ({view['byteLength']})"
            )
    sparse = acc.get("sparse")
    if sparse is not None:
        if not isinstance(sparse, dict) or _int(sparse, "count", low=1) > count:
            raise _bad(f"accessor {i} has a sparse part larger than itself")
    return count * element


def _accessors(tree: dict, views: list[dict], budgets: Budgets) -> int:
    total = 0
    for i, acc in enumerate(_list(tree, "accessors")):
        total += _accessor_bytes(i, acc, views)
        if total > budgets.max_unpacked_bytes:
            raise over_budget(
                "geometry the glTF declares (accessors)", total, budgets.max_unpacked_bytes, " B"
            )
    return total


def _images(tree: dict, views: list[dict], buffers: list[bytes], ctx: _Context) -> list:
    images = _list(tree, "images")
    if len(images) > ctx.budgets.max_images:
        raise over_budget("number of images", len(images), ctx.budgets.max_images)
    found = []
    for i, image in enumerate(images):
        what = f"image {i}"
        if "uri" in image:
            data = _resource(image["uri"], ctx, what)
        elif "bufferView" in image:
            view = views[_index(image, "bufferView", views)]
            start = view.get("byteOffset", 0)
            data = buffers[view["buffer"]][start : start + view["byteLength"]]
        else:
            raise _bad(f"{what} has neither uri nor bufferView")
        fmt, width, height = image_header(data, str(i), ctx.budgets.max_texture_px)
        declared = image.get("mimeType")
        if declared is not None and declared != MIME[fmt]:
            raise SceneRefused(
                "lying_type", f"{what} says it is {str(declared)[:40]} but its content is {fmt}"
            )
        found.append((fmt, width, height))
    return found


def check_gltf(
    raw_json: bytes,
    budgets: Budgets,
    *,
    bin_chunk: bytes | None = None,
    members: dict[str, bytes] | None = None,
    base_dir: str = "",
) -> GltfDeclared:
    tree = parse_json(raw_json)
    required = tree.get("extensionsRequired", [])
    if not isinstance(required, list):
        raise _bad("'extensionsRequired' is not a list")
    for name in required:
        if name in UNSUPPORTED_REQUIRED:
            raise SceneRefused(
                "unsupported_extension",
                f"{UNSUPPORTED_REQUIRED[name]} ({name}) cannot be read; export without it",
            )
    nodes = _list(tree, "nodes")
    if len(nodes) > budgets.max_nodes:
        raise over_budget("number of nodes", len(nodes), budgets.max_nodes)
    ctx = _Context(budgets, members or {}, base_dir, bin_chunk)
    buffers = _buffers(tree, ctx)
    views = _views(tree, buffers)
    declared = GltfDeclared(tree, [len(b) for b in buffers])
    declared.accessor_bytes = _accessors(tree, views, budgets)
    declared.images = _images(tree, views, buffers, ctx)
    meshes = _list(tree, "meshes")
    if not meshes:
        raise SceneRefused("empty_model", "the glTF holds no meshes: there is nothing to show")
    return declared
