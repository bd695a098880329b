"""Small geometry factories with flat normals and UVs, as plain numpy arrays.

Venues are made of many small parts (a thousand seats of a few boxes each), so the
parts are kept as raw arrays (a :class:`Part`) and only turned into a ``trimesh``
mesh once per material, after everything is placed. Units are metres, Y up.
UVs are in metres divided by ``uv_scale`` so textures tile at a real-world size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Part:
    """Triangles with per-vertex normals and UVs.

    vertices : (n, 3) float
    normals : (n, 3) float, unit length
    uvs : (n, 2) float
    faces : (m, 3) int, counter-clockwise seen from outside
    """

    vertices: Array
    normals: Array
    uvs: Array
    faces: NDArray[np.int64]

    @property
    def triangle_count(self) -> int:
        return int(len(self.faces))

    def transformed(self, matrix: Array) -> Part:
        """Apply a (4, 4) rigid transform (rotation + translation)."""
        rot = matrix[:3, :3]
        return Part(
            vertices=self.vertices @ rot.T + matrix[:3, 3],
            normals=self.normals @ rot.T,
            uvs=self.uvs,
            faces=self.faces,
        )


def concatenate(parts: list[Part]) -> Part:
    """Join parts into one, offsetting face indices."""
    if not parts:
        empty = np.zeros((0, 3))
        return Part(empty, empty, np.zeros((0, 2)), np.zeros((0, 3), dtype=np.int64))
    offsets = np.cumsum([0] + [len(p.vertices) for p in parts[:-1]])
    return Part(
        vertices=np.concatenate([p.vertices for p in parts]),
        normals=np.concatenate([p.normals for p in parts]),
        uvs=np.concatenate([p.uvs for p in parts]),
        faces=np.concatenate([p.faces + o for p, o in zip(parts, offsets, strict=True)]),
    )


def instances(template: Part, matrices: Array) -> Part:
    """Place ``template`` at every (k, 4, 4) rigid transform, vectorised."""
    k = len(matrices)
    if k == 0:
        return concatenate([])
    rot = matrices[:, :3, :3]
    verts = np.einsum("kij,nj->kni", rot, template.vertices) + matrices[:, None, :3, 3]
    norms = np.einsum("kij,nj->kni", rot, template.normals)
    n = len(template.vertices)
    faces = template.faces[None, :, :] + (np.arange(k) * n)[:, None, None]
    return Part(
        vertices=verts.reshape(-1, 3),
        normals=norms.reshape(-1, 3),
        uvs=np.tile(template.uvs, (k, 1)),
        faces=faces.reshape(-1, 3),
    )


def quad(corners: Array | list, uv_scale: float = 1.0, double_sided: bool = False) -> Part:
    """A planar quad from 4 corners in counter-clockwise order seen from its front.

    UVs are the corner positions projected on the quad's own edges, in metres
    divided by ``uv_scale``.
    """
    c = np.asarray(corners, dtype=np.float64).reshape(4, 3)
    u_axis = c[1] - c[0]
    v_axis = c[3] - c[0]
    normal = np.cross(u_axis, v_axis)
    normal /= np.linalg.norm(normal)
    u_len = np.linalg.norm(u_axis)
    v_len = np.linalg.norm(v_axis)
    uvs = np.array([[0, 0], [u_len, 0], [u_len, v_len], [0, v_len]]) / uv_scale
    faces = np.array([[0, 1, 2], [0, 2, 3]], dtype=np.int64)
    part = Part(c, np.tile(normal, (4, 1)), uvs, faces)
    if double_sided:
        back = Part(c[::-1].copy(), np.tile(-normal, (4, 1)), uvs[::-1].copy(), faces)
        part = concatenate([part, back])
    return part


def unit_quad_uv(corners: Array | list) -> Part:
    """A quad whose UVs span exactly [0, 1]^2 (for screens and picture slots)."""
    c = np.asarray(corners, dtype=np.float64).reshape(4, 3)
    normal = np.cross(c[1] - c[0], c[3] - c[0])
    normal /= np.linalg.norm(normal)
    uvs = np.array([[0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]])  # glTF v points down
    return Part(c, np.tile(normal, (4, 1)), uvs, np.array([[0, 1, 2], [0, 2, 3]], dtype=np.int64))


# the six faces of a unit box: (normal, u axis, v axis)
_BOX_FACES = [
    ((1, 0, 0), (0, 0, -1), (0, 1, 0)),
    ((-1, 0, 0), (0, 0, 1), (0, 1, 0)),
    ((0, 1, 0), (1, 0, 0), (0, 0, -1)),
    ((0, -1, 0), (1, 0, 0), (0, 0, 1)),
    ((0, 0, 1), (1, 0, 0), (0, 1, 0)),
    ((0, 0, -1), (-1, 0, 0), (0, 1, 0)),
]


def box(
    extents: tuple[float, float, float] | Array,
    center: tuple[float, float, float] | Array = (0.0, 0.0, 0.0),
    uv_scale: float = 1.0,
    skip: tuple[str, ...] = (),
) -> Part:
    """An axis-aligned box with flat normals (24 vertices, 12 triangles).

    extents : (3,) float, full size in metres along x, y, z
    center : (3,) float
    skip : faces to leave out, any of '+x', '-x', '+y', '-y', '+z', '-z'
      (e.g. the bottom of a box standing on a floor nobody sees under)
    """
    ext = np.asarray(extents, dtype=np.float64)
    ctr = np.asarray(center, dtype=np.float64)
    names = ["+x", "-x", "+y", "-y", "+z", "-z"]
    verts: list[np.ndarray] = []
    norms: list[np.ndarray] = []
    uvs: list[tuple[float, float]] = []
    faces: list[list[int]] = []
    for name, (n, u, v) in zip(names, _BOX_FACES, strict=True):
        if name in skip:
            continue
        n_, u_, v_ = (np.asarray(a, dtype=np.float64) for a in (n, u, v))
        half_n = np.abs(n_) @ ext / 2
        half_u = np.abs(u_) @ ext / 2
        half_v = np.abs(v_) @ ext / 2
        face_center = ctr + n_ * half_n
        base = len(verts)
        for su, sv in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
            p = face_center + u_ * half_u * su + v_ * half_v * sv
            verts.append(p)
            norms.append(n_)
            uvs.append((float(p @ u_), float(p @ v_)))
        faces += [[base, base + 1, base + 2], [base, base + 2, base + 3]]
    return Part(
        np.array(verts),
        np.array(norms),
        np.array(uvs) / uv_scale,
        np.array(faces, dtype=np.int64),
    )


def prism(
    outline: Array | list,
    y_bottom: float,
    y_top: float,
    uv_scale: float = 1.0,
    cap_bottom: bool = False,
) -> Part:
    """Extrude a convex or simple polygon ``outline`` ((n, 2) x/z points,
    counter-clockwise seen from above) between two heights, flat-shaded.

    The top cap is triangulated as a fan, so ``outline`` must be convex or
    star-shaped around its first vertex.
    """
    xz = np.asarray(outline, dtype=np.float64)
    n = len(xz)
    parts = []
    for i in range(n):
        a, b = xz[i], xz[(i + 1) % n]
        # seen from outside, counter-clockwise outline means outside is to the right
        corners = [
            (a[0], y_bottom, a[1]),
            (b[0], y_bottom, b[1]),
            (b[0], y_top, b[1]),
            (a[0], y_top, a[1]),
        ]
        parts.append(quad(np.array(corners), uv_scale))
    top = np.column_stack([xz[:, 0], np.full(n, y_top), xz[:, 1]])
    top_faces = np.array([[0, i, i + 1] for i in range(1, n - 1)], dtype=np.int64)
    parts.append(
        Part(top, np.tile([0.0, 1.0, 0.0], (n, 1)), xz[:, [0, 1]] / uv_scale, top_faces)
    )
    if cap_bottom:
        bottom = np.column_stack([xz[:, 0], np.full(n, y_bottom), xz[:, 1]])
        parts.append(
            Part(
                bottom,
                np.tile([0.0, -1.0, 0.0], (n, 1)),
                xz / uv_scale,
                top_faces[:, ::-1].copy(),
            )
        )
    return concatenate(parts)


def cylinder(radius: float, height: float, sections: int = 12, uv_scale: float = 1.0) -> Part:
    """A vertical cylinder standing on y = 0, smooth sides, flat top cap."""
    angles = np.linspace(0, 2 * np.pi, sections, endpoint=False)
    ring = np.column_stack([np.cos(angles), np.zeros(sections), -np.sin(angles)])
    verts: list[np.ndarray] = []
    norms: list[np.ndarray] = []
    uvs: list[tuple[float, float]] = []
    faces: list[list[int]] = []
    for i in range(sections):
        j = (i + 1) % sections
        base = len(verts)
        for k, y in ((i, 0.0), (j, 0.0), (j, height), (i, height)):
            verts.append(ring[k] * radius + (0, y, 0))
            norms.append(ring[k])
            uvs.append((angles[k] * radius / uv_scale, y / uv_scale))
        faces += [[base, base + 1, base + 2], [base, base + 2, base + 3]]
    side = Part(np.array(verts), np.array(norms), np.array(uvs), np.array(faces, dtype=np.int64))
    top = ring * radius + (0, height, 0)
    top_faces = np.array([[0, i, i + 1] for i in range(1, sections - 1)], dtype=np.int64)
    cap = Part(top, np.tile([0.0, 1.0, 0.0], (sections, 1)), top[:, [0, 2]] / uv_scale, top_faces)
    return concatenate([side, cap])


def rotation_y(angle: float) -> Array:
    """(4, 4) rotation about +Y by ``angle`` radians (counter-clockwise from above)."""
    c, s = np.cos(angle), np.sin(angle)
    m = np.eye(4)
    m[0, 0], m[0, 2], m[2, 0], m[2, 2] = c, s, -s, c
    return m


def translation(offset: tuple[float, float, float] | Array) -> Array:
    m = np.eye(4)
    m[:3, 3] = offset
    return m


def yaw_matrices(positions: Array, yaws: Array) -> Array:
    """(k, 4, 4) transforms: rotate about +Y by ``yaws`` then move to ``positions``.

    A yaw of 0 keeps a template's -Z axis as its forward direction.
    """
    k = len(positions)
    c, s = np.cos(yaws), np.sin(yaws)
    m = np.zeros((k, 4, 4))
    m[:, 0, 0], m[:, 0, 2], m[:, 2, 0], m[:, 2, 2] = c, s, -s, c
    m[:, 1, 1] = 1
    m[:, 3, 3] = 1
    m[:, :3, 3] = positions
    return m


def quads(corners: Array, uv_scale: float = 1.0) -> Part:
    """Many planar quads at once: ``corners`` is (k, 4, 3), each quad counter-clockwise
    seen from its front (like :func:`quad`). Flat normals per quad; UVs in metres
    along each quad's first and last edges, divided by ``uv_scale``.
    """
    c = np.asarray(corners, dtype=np.float64).reshape(-1, 4, 3)
    k = len(c)
    if k == 0:
        return concatenate([])
    u_axis = c[:, 1] - c[:, 0]
    v_axis = c[:, 3] - c[:, 0]
    normal = np.cross(u_axis, v_axis)
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-12)
    u_len = np.linalg.norm(u_axis, axis=1)
    v_len = np.linalg.norm(v_axis, axis=1)
    uvs = np.zeros((k, 4, 2))
    uvs[:, 1, 0] = u_len
    uvs[:, 2, 0] = u_len
    uvs[:, 2, 1] = v_len
    uvs[:, 3, 1] = v_len
    faces = np.array([[0, 1, 2], [0, 2, 3]], dtype=np.int64)[None] + 4 * np.arange(k)[:, None, None]
    return Part(
        vertices=c.reshape(-1, 3),
        normals=np.repeat(normal, 4, axis=0),
        uvs=uvs.reshape(-1, 2) / uv_scale,
        faces=faces.reshape(-1, 3),
    )


def vertical_strip(x_edges, z_edges, y_lo, y_hi, facing_stage: bool = True) -> Part:
    """Vertical quads standing on a plan polyline ``(x_edges, z_edges)`` ((m + 1,)
    each, ordered towards +X) from ``y_lo`` to ``y_hi`` (scalars or per point),
    facing -Z (``facing_stage``) or +Z."""
    xe, ze = np.asarray(x_edges, dtype=float), np.asarray(z_edges, dtype=float)
    lo = np.broadcast_to(np.asarray(y_lo, dtype=float), xe.shape)
    hi = np.broadcast_to(np.asarray(y_hi, dtype=float), xe.shape)
    a = np.stack([xe[1:], lo[1:], ze[1:]], -1)
    b = np.stack([xe[:-1], lo[:-1], ze[:-1]], -1)
    c = np.stack([xe[:-1], hi[:-1], ze[:-1]], -1)
    d = np.stack([xe[1:], hi[1:], ze[1:]], -1)
    q = np.stack([a, b, c, d], axis=1)
    if not facing_stage:
        q = q[:, ::-1]
    return quads(q)


def flipped(part: Part) -> Part:
    """The same surface facing the other way (e.g. a floor turned into a soffit)."""
    return Part(part.vertices, -part.normals, part.uvs, part.faces[:, ::-1].copy())


def inward_box(x0: float, x1: float, y0: float, y1: float, z0: float, z1: float) -> Part:
    """The inside of a box seen from within: side walls, back wall (at ``z0``) and
    ceiling; open at the front (``z1``) and the floor, like a stage house."""
    return quads(
        np.array(
            [
                [[x0, y0, z1], [x0, y0, z0], [x0, y1, z0], [x0, y1, z1]],  # left, faces +x
                [[x1, y0, z0], [x1, y0, z1], [x1, y1, z1], [x1, y1, z0]],  # right, faces -x
                [[x0, y0, z0], [x1, y0, z0], [x1, y1, z0], [x0, y1, z0]],  # back, faces +z
                [[x0, y1, z0], [x1, y1, z0], [x1, y1, z1], [x0, y1, z1]],  # ceiling, faces -y
            ]
        )
    )
