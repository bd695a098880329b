"""The upload pipeline as a process of its own: ``python -m server.scene_uploads.worker
SRC OUT_DIR JOB_JSON``.

Started by :mod:`.runner` under CPU-time and address-space limits, so a
pathological file ends this process and nothing else. Writes ``full.glb``,
``light.glb`` (when made) and ``metadata.json`` into OUT_DIR and prints one JSON
line: ``{"ok": true, ...}`` or ``{"ok": false, "code", "message"}``.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from .budgets import Budgets
from .errors import SceneRefused
from .pipeline import UploadOptions, process_upload

log = logging.getLogger("zal.scene_uploads.worker")


def run(src: Path, out_dir: Path, job: dict) -> dict:
    budgets = Budgets.model_validate(job["budgets"])
    options = UploadOptions.model_validate(job["options"])
    try:
        done = process_upload(src.read_bytes(), budgets, options)
    except SceneRefused as exc:
        return {"ok": False, **exc.as_dict()}
    except (MemoryError, RecursionError):
        return {
            "ok": False,
            "code": "too_complex",
            "message": "the model needs more memory than an upload may use",
        }
    (out_dir / "full.glb").write_bytes(done.full)
    if done.light is not None:
        (out_dir / "light.glb").write_bytes(done.light)
    (out_dir / "metadata.json").write_text(done.metadata_json, encoding="utf-8")
    return {
        "ok": True,
        "file_type": done.file_type,
        "source_sha256": done.source_sha256,
        "triangles": done.triangles,
        "light_triangles": done.light_triangles,
    }


def only_safe_image_decoders(max_px: int) -> None:
    """In this process, Pillow opens PNG, JPEG and WebP and nothing else (whatever
    a loader asks for), and refuses to decode more pixels than a texture may have."""
    from PIL import Image

    from .images import FORMATS

    Image.init()
    for name in [n for n in Image.OPEN if n not in FORMATS]:
        del Image.OPEN[name]
    Image.MAX_IMAGE_PIXELS = max_px * max_px


def main(argv: list[str]) -> int:
    src, out_dir, job = Path(argv[0]), Path(argv[1]), json.loads(argv[2])
    only_safe_image_decoders(Budgets.model_validate(job["budgets"]).max_texture_px)
    try:
        result = run(src, out_dir, job)
    except Exception as exc:  # a bug of ours: said plainly, never a traceback to a client
        log.exception("scene upload worker")
        result = {
            "ok": False,
            "code": "unreadable",
            "message": f"the model could not be processed ({type(exc).__name__})",
        }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    sys.exit(main(sys.argv[1:]))
