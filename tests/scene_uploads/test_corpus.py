"""Every asset of the Khronos validator's test corpus (mostly broken) through the
upload pipeline: accepted and validator-clean, or refused with a clear message.
Never an exception escaping, a hang or a dead worker."""

from __future__ import annotations

import io
import json
import posixpath
import zipfile
from pathlib import Path

import pytest

from .conftest import outcome, validate

CORPUS = Path(__file__).parents[1] / "data" / "gltf-validator-corpus"
ASSET_TIMEOUT_S = 60  # generous: a hang is what this catches, not slowness


def _sibling_resources(path: Path) -> dict[str, bytes]:
    """Files beside a .gltf that its URIs name (what an editor would zip with it)."""
    try:
        tree = json.loads(path.read_bytes())
    except ValueError:
        return {}
    found = {}
    for key in ("buffers", "images"):
        items = tree.get(key) if isinstance(tree, dict) else None
        for item in items if isinstance(items, list) else []:
            uri = item.get("uri") if isinstance(item, dict) else None
            if isinstance(uri, str) and not uri.startswith("data:"):
                local = path.parent / posixpath.normpath(uri)
                if local.is_file() and local.parent == path.parent:
                    found[uri] = local.read_bytes()
    return found


def corpus_uploads() -> dict[str, bytes]:
    """Every corpus file alone, plus each .gltf zipped with the files it names."""
    uploads = {}
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or path.name in ("LICENSE", "README.md"):
            continue
        name = str(path.relative_to(CORPUS))
        uploads[name] = path.read_bytes()
        resources = _sibling_resources(path) if path.suffix == ".gltf" else {}
        if resources:
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as zf:
                zf.writestr(path.name, path.read_bytes())
                for uri, data in resources.items():
                    zf.writestr(uri, data)
            uploads[name + " (zipped with its files)"] = buf.getvalue()
    return uploads


@pytest.fixture(scope="module")
def corpus_outcomes(upload_pool) -> dict[str, dict]:
    uploads = corpus_uploads()
    futures = {name: upload_pool.submit(outcome, data) for name, data in uploads.items()}
    # .result raises whatever escaped the pipeline, or TimeoutError for a hang
    return {name: f.result(timeout=ASSET_TIMEOUT_S) for name, f in futures.items()}


def test_the_corpus_is_here():
    assert len(list(CORPUS.rglob("*.gltf"))) > 300
    assert len(list(CORPUS.rglob("*.glb"))) > 30


KNOWN_CODES = {
    "empty_model",
    "unsupported_format",
    "unreadable",
    "bad_glb",
    "bad_gltf",
    "missing_file",
    "bad_geometry",
    "empty_file",
    "bad_image",
    "lying_type",
    "outside_reference",
    "unsupported_extension",
    "over_budget",
}


def test_every_corpus_asset_is_accepted_or_refused_clearly(corpus_outcomes):
    for name, result in corpus_outcomes.items():
        if "refused" in result:
            assert result["refused"] in KNOWN_CODES, (name, result)
            assert 10 < len(result["message"]) < 400, (name, result)
            assert "Traceback" not in result["message"] and "Error" not in result["message"]
    # the corpus tests the validator, so almost none of it is a model worth showing
    assert sum("refused" in r for r in corpus_outcomes.values()) > 400


def test_what_the_corpus_gets_accepted_passes_the_validator(corpus_outcomes, tmp_path):
    accepted = {n: r for n, r in corpus_outcomes.items() if "glb" in r}
    paths = {}
    for i, (name, result) in enumerate(sorted(accepted.items())):
        path = tmp_path / f"{i}.glb"
        path.write_bytes(result["glb"])
        paths[str(path)] = name
    reports = validate([Path(p) for p in paths]) if paths else {}
    assert not {paths[f]: r["messages"][:2] for f, r in reports.items() if r["errors"]}


def test_external_uris_in_the_corpus_are_refused_not_followed(corpus_outcomes):
    result = corpus_outcomes["base/data/buffer/non_relative_uri.gltf"]
    assert result["refused"] == "outside_reference"
    assert "http://example.com/buffer.bin" in result["message"]
