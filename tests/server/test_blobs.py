import hashlib

import pytest

from server.storage.blobs import blob_path, remove_leftovers, store_bytes_in_worker


def test_blob_is_stored_under_its_hash_once(tmp_path):
    data = b"glTF" + bytes(1000)
    sha, size, gz_size = store_bytes_in_worker(data, str(tmp_path), True)
    assert sha == hashlib.sha256(data).hexdigest()
    path = tmp_path / sha[:2] / sha
    assert path.read_bytes() == data and size == len(data)
    assert (tmp_path / sha[:2] / f"{sha}.gz").stat().st_size == gz_size
    mtime = path.stat().st_mtime_ns
    assert store_bytes_in_worker(data, str(tmp_path), True) == (sha, size, gz_size)
    assert path.stat().st_mtime_ns == mtime
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp")]


@pytest.mark.parametrize("name", ["../etc/passwd", "ab", "Z" * 64, "0" * 63, "0" * 64 + "/x"])
def test_blob_path_accepts_only_sha256_names(tmp_path, name):
    with pytest.raises(ValueError):
        blob_path(tmp_path, name)


def test_leftovers_of_killed_writes_are_removed(tmp_path):
    kept, _, _ = store_bytes_in_worker(b"kept", str(tmp_path), True)
    orphan, _, _ = store_bytes_in_worker(b"no row", str(tmp_path), True)
    partial = tmp_path / kept[:2] / ".tmp-abc123"
    partial.write_bytes(b"half a fi")
    other = tmp_path / kept[:2] / "README"
    other.write_text("not ours to delete")
    assert remove_leftovers(tmp_path, {kept}) == 3  # temp file, orphan and its .gz
    assert (tmp_path / kept[:2] / kept).read_bytes() == b"kept"
    assert (tmp_path / kept[:2] / f"{kept}.gz").exists()
    assert not partial.exists()
    assert not (tmp_path / orphan[:2] / orphan).exists()
    assert other.exists()
