"""The collection pipeline: manifests (CSV, JSON), real sizes, hanging heights and
spacing read back from the built GLB, and hostile or missing files refused by name."""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scenes.assembly import load_glb, read_glb_json, venue_metadata_from_glb
from scenes.gallery import GallerySpec
from server.collections.build import build_collection_in_worker
from server.collections.errors import CollectionRefused
from server.collections.layout import DEFAULT_LONG_SIDE_M
from server.collections.limits import CollectionLimits

FRAME = GallerySpec(kind="gallery", id="test-gallery", name="Test", rooms=[]).model_dump_json()
LIMITS = CollectionLimits(max_image_pixels=4_000_000)
ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / "web_client" / "tools" / "validate_gltf.mjs"


def jpeg(w: int, h: int, colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (w, h), colour).save(out, format="JPEG")
    return out.getvalue()


def png(w: int, h: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (w, h), (10, 90, 200, 128)).save(out, format="PNG")
    return out.getvalue()


def png_header_only(w: int, h: int) -> bytes:
    """A PNG that declares w x h pixels and holds one tiny IDAT: a bomb's header."""
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0"))


def build(tmp_path, files: dict[str, bytes], frame: str = FRAME) -> dict:
    paths = {}
    for name, data in files.items():
        path = tmp_path / f"in-{len(paths)}"
        path.write_bytes(data)
        paths[name] = str(path)
    return build_collection_in_worker(paths, frame, str(tmp_path / "out"), LIMITS)


def refused(tmp_path, files: dict[str, bytes]) -> str:
    with pytest.raises(CollectionRefused) as caught:
        build(tmp_path, files)
    return "; ".join(caught.value.problems)


CSV = (
    "file,title,artist,year,medium,width_cm,height_cm,description,title_ru,title_tt,room\n"
    "wide.jpg,Wide View,A. Painter,1890,Oil on canvas,160,100,A long field.,Широкий вид,"
    "Киң күренеш,North Room\n"
    "tall.png,Tall Figure,B. Painter,1900,Oil on panel,50,120,,Высокая фигура,,North Room\n"
    "unknown.jpg,No Size Known,,,,,,Nobody measured it.,,,\n"
)


@pytest.fixture
def csv_built(tmp_path):
    files = {
        "collection.csv": CSV.encode(),
        "wide.jpg": jpeg(320, 200),
        "tall.png": png(100, 240),
        "unknown.jpg": jpeg(300, 150),
    }
    result = build(tmp_path, files)
    glb = (tmp_path / "out" / "venue.glb").read_bytes()
    return result, glb, venue_metadata_from_glb(glb)


def test_csv_collection_hangs_at_real_size_with_centres_at_eye_height(csv_built):
    _, _, meta = csv_built
    exhibits = {e.id: e for e in meta.exhibits}
    slots = {s.exhibit: s for s in meta.exhibit_slots}
    assert exhibits["wide"].size_m == (1.6, 1.0) and exhibits["wide"].size_cm == (160, 100)
    assert exhibits["tall"].size_m == (0.5, 1.2)
    for eid in ("wide", "tall", "unknown"):
        assert slots[eid].position[1] == pytest.approx(1.55)
        assert slots[eid].size[:2] == exhibits[eid].size_m
    # unknown size: the image's aspect (2:1), longest side the documented default
    assert exhibits["unknown"].size_cm is None
    assert exhibits["unknown"].size_m == pytest.approx(
        (DEFAULT_LONG_SIDE_M, DEFAULT_LONG_SIDE_M / 2)
    )


def test_texts_rooms_and_card_fields_reach_the_metadata(csv_built):
    _, _, meta = csv_built
    wide = next(e for e in meta.exhibits if e.id == "wide")
    assert wide.titles == {"ru": "Широкий вид", "tt": "Киң күренеш"}
    assert (wide.author, wide.year, wide.medium) == ("A. Painter", "1890", "Oil on canvas")
    assert wide.image_url and wide.image_url.startswith("/media/") and wide.node == "exhibit/wide"
    # two works name "North Room"; the third fills a room of its own
    assert [r.name for r in meta.rooms] == ["North Room", "Room 1"]
    assert wide.room == "north-room"


def test_pictures_are_textured_nodes_of_the_glb(csv_built):
    _, glb, meta = csv_built
    tree = read_glb_json(glb)
    assert [i["mimeType"] for i in tree["images"]].count("image/jpeg") == 3
    names = {n.get("name") for n in tree["nodes"]}
    assert {"exhibit/wide", "exhibit/tall", "exhibit/unknown"} <= names
    # the picture quad is exactly the work's size, just in front of its wall slot
    scene = load_glb(glb)
    quad = scene.geometry["exhibit/wide"]
    extent = quad.bounds[1] - quad.bounds[0]
    assert extent[0] == pytest.approx(1.6) and extent[1] == pytest.approx(1.0)
    assert quad.bounds.mean(axis=0)[1] == pytest.approx(1.55)


def test_works_on_a_wall_keep_a_curators_gap(tmp_path):
    rows = ["file,title,width_cm,height_cm"] + [f"w{i}.jpg,Work {i},90,70" for i in range(8)]
    files = {"collection.csv": "\n".join(rows).encode()}
    files |= {f"w{i}.jpg": jpeg(90, 70) for i in range(8)}
    build(tmp_path, files)
    meta = venue_metadata_from_glb((tmp_path / "out" / "venue.glb").read_bytes())
    room = meta.rooms[0]
    for wall_z in {s.position[2] for s in meta.exhibit_slots}:
        on_wall = sorted(
            (s for s in meta.exhibit_slots if s.position[2] == wall_z), key=lambda s: s.position[0]
        )
        edges = [(s.position[0] - s.size[0] / 2, s.position[0] + s.size[0] / 2) for s in on_wall]
        gaps = [b[0] - a[1] for a, b in zip(edges, edges[1:], strict=False)]
        assert gaps and min(gaps) >= 0.9 - 1e-6  # picture_gap
        assert edges[0][0] >= room.bounds_min[0] + 0.9 - 1e-6  # corner margin
        assert edges[-1][1] <= room.bounds_max[0] - 0.9 + 1e-6


def test_each_work_has_a_label_to_its_right_clear_of_its_neighbour(csv_built):
    _, _, meta = csv_built
    slots = [s for s in meta.exhibit_slots if s.exhibit]
    for slot in slots:
        assert slot.label_center is not None and slot.label_size == (0.2, 0.12)
        lx, ly, lz = slot.label_center
        right = slot.normal[2]  # the visitor faces -normal; their right is (n.z, 0, -n.x)
        edge = slot.position[0] + right * slot.size[0] / 2
        assert 0.1 < right * (lx - edge) < 0.5  # beside the picture, on the right
        assert 1.0 <= ly <= 1.45 and abs(lz - slot.position[2]) < 0.05
        others = [s for s in slots if s is not slot and s.position[2] == slot.position[2]]
        for other in others:  # the label never reaches into another picture
            assert abs(lx - other.position[0]) > other.size[0] / 2 + 0.1 + 0.2 / 2


def test_json_manifest_with_the_demo_columns(tmp_path):
    works = [
        {
            "file": "a.jpg",
            "title": "A",
            "artist": "X",
            "width_cm": None,
            "height_cm": 80,
            "institution": "Museum",
            "license": "CC0",
            "description_tt": "Тасвирлама",
        }
    ]
    build(tmp_path, {"collection.json": json.dumps(works).encode(), "a.jpg": jpeg(200, 100)})
    meta = venue_metadata_from_glb((tmp_path / "out" / "venue.glb").read_bytes())
    (a,) = meta.exhibits
    assert a.size_m == pytest.approx((1.6, 0.8))  # height known, width from the aspect
    assert a.credit == "Museum · CC0" and a.descriptions == {"tt": "Тасвирлама"}


def test_unknown_column_and_missing_files_are_named(tmp_path):
    manifest = "file,title,colour\na.jpg,A,red\n"
    assert "row 2: unknown column 'colour'" in refused(tmp_path, {"c.csv": manifest.encode()})
    manifest = "file,title,audio\na.jpg,A,\nb.jpg,B,guide.mp3\n"
    problems = refused(tmp_path, {"c.csv": manifest.encode(), "b.jpg": jpeg(10, 10)})
    assert "row 2: image 'a.jpg' is not in the upload" in problems
    assert "row 3: audio guide 'guide.mp3' is not in the upload" in problems


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty (0 bytes)"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a JPEG, PNG or WebP image"),
        (b"<?php system($_GET['c']); ?>", "not a JPEG, PNG or WebP image"),
        (png_header_only(100_000, 100_000), "declares 100000 x 100000 pixels"),
        (jpeg(40, 40)[:200], "cannot be decoded"),
    ],
    ids=["zero-bytes", "svg-named-jpg", "php-named-jpg", "huge-declared", "truncated"],
)
def test_hostile_images_are_refused_by_name(tmp_path, data, expected):
    files = {"c.csv": b"file,title\nbad.jpg,Bad\n", "bad.jpg": data}
    problems = refused(tmp_path, files)
    assert "row 2 (bad.jpg)" in problems and expected in problems


def test_a_png_named_jpg_is_judged_by_its_bytes(tmp_path):
    build(tmp_path, {"c.csv": b"file,title\nx.jpg,X\n", "x.jpg": png(64, 32)})
    meta = venue_metadata_from_glb((tmp_path / "out" / "venue.glb").read_bytes())
    assert meta.exhibits[0].size_m == pytest.approx((0.8, 0.4))


def test_the_demo_gallery_stays_within_the_wire_budget(tmp_path):
    from server.collections.demo import DEMO_ART, DEMO_FRAME, build_demo_in_worker

    result = build_demo_in_worker(str(DEMO_ART), str(DEMO_FRAME), str(tmp_path))
    meta = venue_metadata_from_glb(Path(result["glb"]).read_bytes())
    assert result["works"] == 24 and meta.stats is not None
    # the built-in venues' GLB budget (tests/scenes/test_gltf_validator.py): 3 MiB
    assert meta.stats.glb_bytes <= 3 * 1024 * 1024
    assert meta.stats.texture_max_px <= 1024
    again = build_demo_in_worker(str(DEMO_ART), str(DEMO_FRAME), str(tmp_path))
    assert again == result  # the second start finds it in the cache


def test_the_demo_collection_is_hung_with_its_paintings():
    from server.collections.demo import DEMO_ART

    works = json.loads((DEMO_ART / "collection.json").read_text(encoding="utf-8"))
    assert len(works) == 24
    for w in works:
        assert (DEMO_ART / w["file"]).is_file()
        assert w["title_ru"] and w["title_tt"] and w["credit"]
    assert np.all([w["room"] for w in works])


def test_the_gallery_glb_passes_the_khronos_validator(csv_built, tmp_path):
    node = shutil.which("node")
    assert node, "node is needed to run the Khronos glTF validator"
    glb = tmp_path / "out" / "venue.glb"
    proc = subprocess.run(
        [node, str(VALIDATOR), str(glb)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert (report["errors"], report["warnings"]) == (0, 0), report


def test_an_audio_guide_rides_along_and_a_fake_one_is_refused(tmp_path):
    mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64
    files = {"c.csv": b"file,title,audio\na.jpg,A,a.mp3\n", "a.jpg": jpeg(30, 20), "a.mp3": mp3}
    result = build(tmp_path, files)
    meta = venue_metadata_from_glb((tmp_path / "out" / "venue.glb").read_bytes())
    url = meta.exhibits[0].audio_url
    assert url and url.endswith(".mp3")
    stored = [path for path, kind in result["media"] if kind == "audio/mpeg"]
    assert len(stored) == 1 and url.rsplit("/", 1)[1] == stored[0].rsplit("/", 1)[1]
    files["a.mp3"] = b"<html><script>alert(1)</script></html>"
    assert "row 2 (a.mp3): not an MP3, Ogg or M4A audio file" in refused(tmp_path, files)


def test_a_semicolon_csv_with_commas_in_its_text_and_folder_paths(tmp_path):
    # a spreadsheet saved in a Russian locale: ';' between cells, commas inside them
    manifest = 'file;title;description\nworks/a.jpg;Поле;"Рожь, васильки, небо"\n'
    build(tmp_path, {"c.csv": manifest.encode(), "a.jpg": jpeg(40, 30)})
    meta = venue_metadata_from_glb((tmp_path / "out" / "venue.glb").read_bytes())
    (a,) = meta.exhibits
    assert (a.id, a.title, a.description) == ("a", "Поле", "Рожь, васильки, небо")
