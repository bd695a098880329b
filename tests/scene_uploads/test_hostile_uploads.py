"""Bad and hostile uploads are refused with a clear code and message
(../shared/SECURITY.md, "3D and image uploads"), before any loader runs."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from server.scene_uploads.budgets import Budgets
from server.scene_uploads.errors import SceneRefused
from server.scene_uploads.preflight import preflight

from . import models


def refusal(data: bytes, **budgets) -> SceneRefused:
    with pytest.raises(SceneRefused) as caught:
        preflight(data, Budgets(**budgets))
    return caught.value


def test_a_zero_byte_file_is_refused():
    assert refusal(b"").code == "empty_file"


def test_a_file_lying_about_its_type_is_refused_by_content():
    assert refusal(b"MZ\x90\x00 an executable named scene.glb").code == "unsupported_format"
    assert refusal(models.png_header(10, 10)).code == "unsupported_format"


def test_a_member_named_like_a_model_but_holding_something_else_is_refused():
    err = refusal(models.zipped({"scene.gltf": models.png_header(4, 4)}))
    assert err.code == "lying_type" and "scene.gltf" in err.message


def test_an_image_whose_mime_type_lies_is_refused():
    tree = json.loads(models.gltf_with_uri("data:application/octet-stream;base64," + "A" * 48))
    tree["images"] = [{"uri": "pic.png", "mimeType": "image/jpeg"}]
    err = refusal(
        models.zipped({"a.gltf": json.dumps(tree).encode(), "pic.png": models.png_header(4, 4)})
    )
    assert err.code == "lying_type"


@pytest.mark.parametrize(
    "uri",
    [
        "file:///etc/passwd",
        "/etc/passwd",
        "../../etc/passwd",
        "http://169.254.169.254/latest",
        "https://example.com/a.bin",
        "%2e%2e/%2e%2e/etc/passwd",
        "..\\..\\win.ini",
        "$(touch /tmp/pwned).bin",
    ],
)
def test_glTF_uris_pointing_outside_the_upload_are_refused(uri):
    for data in (models.gltf_with_uri(uri), models.zipped({"a.gltf": models.gltf_with_uri(uri)})):
        err = refusal(data)
        assert err.code in ("outside_reference", "missing_file"), (uri, err.message)


@pytest.mark.parametrize("name", ["../evil.bin", "/abs/evil.bin", "a/../../evil.bin", "C:/x.bin"])
def test_zip_entries_with_unsafe_paths_are_refused(name):
    data = models.zipped({"a.gltf": models.gltf_with_uri("x.bin"), name: b"\0" * 36})
    assert refusal(data).code == "outside_reference"


def test_a_zip_symlink_entry_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.gltf", models.gltf_with_uri("x.bin"))
        link = zipfile.ZipInfo("x.bin")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
    assert refusal(buf.getvalue()).code == "outside_reference"


def test_a_ratio_zip_bomb_is_refused_while_inflating():
    data = models.zipped({"a.gltf": models.gltf_with_uri("x.bin"), "x.bin": b"\0" * (50 << 20)})
    assert len(data) < 200_000
    err = refusal(data)
    assert err.code == "zip_bomb"


def test_many_small_members_over_the_total_are_refused():
    files = {f"t{i}.bin": bytes(range(256)) * 4096 for i in range(6)}  # 1 MiB each
    err = refusal(
        models.zipped({"a.gltf": models.gltf_with_uri("t0.bin"), **files}),
        max_unpacked_bytes=4 << 20,
    )
    assert err.code == "over_budget" and "unpacked size" in err.message


def test_too_many_zip_entries_are_refused():
    files = {f"f{i}.txt": b"x" for i in range(30)}
    err = refusal(
        models.zipped({"a.gltf": models.gltf_with_uri("f0.txt"), **files}), max_zip_entries=20
    )
    assert err.code == "over_budget" and "31" in err.message and "20" in err.message


def test_a_nested_zip_is_refused():
    inner = models.zipped({"a.gltf": models.gltf_with_uri("x.bin")})
    assert refusal(models.zipped({"inner.zip": inner, "b.glb": models.glb()})).code == "nested_zip"


def test_an_accessor_bomb_is_refused_before_loading():
    err = refusal(models.accessor_bomb())
    assert err.code == "over_budget" and "accessors" in err.message


def test_an_accessor_larger_than_its_buffer_is_refused():
    tree = json.loads(models.gltf_with_uri("data:application/octet-stream;base64," + "A" * 48))
    tree["accessors"][0]["count"] = 1000
    assert refusal(json.dumps(tree).encode()).code == "bad_gltf"


def test_a_glb_whose_chunk_length_lies_is_refused():
    glb = bytearray(models.glb())
    glb[12:16] = (len(glb) * 4).to_bytes(4, "little")  # the JSON chunk claims more than the file
    assert refusal(bytes(glb)).code == "bad_glb"
    glb = bytearray(models.glb())
    glb[8:12] = (10**9).to_bytes(4, "little")
    assert refusal(bytes(glb)).code == "bad_glb"


def test_an_image_declaring_huge_dimensions_is_refused_from_its_header():
    tree = json.loads(models.gltf_with_uri("data:application/octet-stream;base64," + "A" * 48))
    tree["images"] = [{"uri": "big.png"}]
    data = models.zipped(
        {"a.gltf": json.dumps(tree).encode(), "big.png": models.png_header(100_000, 100_000)}
    )
    err = refusal(data)
    assert err.code == "over_budget" and "image" in err.message


def test_a_texture_over_the_budget_names_it_and_the_excess():
    tree = json.loads(models.gltf_with_uri("data:application/octet-stream;base64," + "A" * 48))
    tree["images"] = [{"uri": "big.png"}]
    data = models.zipped(
        {"a.gltf": json.dumps(tree).encode(), "big.png": models.png_header(5000, 100)}
    )
    err = refusal(data)
    assert "5,000 px is over the budget of 4,096 px by 904 px" in err.message


def test_an_obj_material_library_outside_the_upload_is_refused():
    obj = b"mtllib ../../etc/passwd\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n"
    assert refusal(models.zipped({"a.obj": obj})).code == "outside_reference"
    obj = b"mtllib m.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n"
    mtl = b"newmtl a\nmap_Kd /etc/passwd\n"
    assert refusal(models.zipped({"a.obj": obj, "m.mtl": mtl})).code == "outside_reference"


def test_an_upload_over_the_size_budget_is_refused():
    err = refusal(models.stl(), max_bytes=100)
    assert err.code == "over_budget" and "file size" in err.message


def test_a_data_uri_is_judged_before_it_is_decoded():
    uri = "data:application/octet-stream;base64," + "A" * (8 << 20)
    err = refusal(models.gltf_with_uri(uri), max_unpacked_bytes=1 << 20)
    assert err.code == "over_budget"
