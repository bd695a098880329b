"""Load a checked upload with trimesh from bytes, never from a path.

The resolver knows the members of the upload and nothing else: a reference a
loader follows can only ever get bytes that were uploaded.
"""

from __future__ import annotations

import io
import logging
import posixpath

import trimesh
from trimesh.resolvers import Resolver

from .errors import SceneRefused
from .members import resolve_reference
from .preflight import Checked

log = logging.getLogger("zal.scene_uploads")


class MemberResolver(Resolver):
    """Files of the upload by name, relative to the main file's folder."""

    def __init__(self, members: dict[str, bytes], base_dir: str = ""):
        self.members = members
        self.base_dir = base_dir

    def get(self, name: str) -> bytes:
        return self.members[resolve_reference(name, self.base_dir, self.members, "the file")]

    def write(self, name: str, data) -> None:
        raise SceneRefused("outside_reference", "a loader tried to write a file")

    def namespaced(self, namespace: str) -> MemberResolver:
        return MemberResolver(self.members, posixpath.join(self.base_dir, namespace))

    def keys(self):
        return self.members.keys()


def load_checked(checked: Checked) -> trimesh.Scene:
    """The upload as a scene; a loader failure becomes a refusal, not a crash."""
    resolver = MemberResolver(checked.members, posixpath.dirname(checked.name))
    try:
        scene = trimesh.load_scene(
            file_obj=io.BytesIO(checked.main), file_type=checked.file_type, resolver=resolver
        )
    except SceneRefused:
        raise
    except MemoryError:
        raise SceneRefused(
            "too_complex", "the model needs more memory than an upload may use"
        ) from None
    except Exception as exc:  # loaders raise anything for a malformed file
        # the loader's own words go to the log; a person gets what to do
        log.info("loader refused %s: %s: %s", checked.file_type, type(exc).__name__, exc)
        raise SceneRefused(
            "unreadable",
            f"the {checked.file_type.upper()} file cannot be read: it is damaged or uses a "
            "feature we do not support; export it again (GLB works best)",
        ) from None
    if not scene.geometry:
        raise SceneRefused("empty_model", "the model holds no meshes")
    return scene
