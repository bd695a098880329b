"""Collection uploads over HTTP: the editor's job builds a gallery that serves its
pictures; anonymous and other institutions' tokens are refused; bad rows are named."""

from __future__ import annotations

import io
import os

from aiohttp import FormData
from PIL import Image

from server import keys
from server.collections.jobs import remove_stale_folders
from server.storage import tokens as tokens_repo

MUSEUM, PHIL = "city-museum", "city-philharmonic"


def _jpeg(w: int, h: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (w, h), (30, 120, 60)).save(out, format="JPEG")
    return out.getvalue()


def _form(files: dict[str, bytes]) -> FormData:
    form = FormData()
    for name, data in files.items():
        form.add_field("files", data, filename=name, content_type="application/octet-stream")
    return form


async def _bearer(client, institution: str) -> dict:
    engine = client.app[keys.DB_ENGINE]
    _, secret = await tokens_repo.create(engine, role="editor", institution_id=institution)
    return {"Authorization": f"Bearer {secret}"}


async def _finished(client, answer) -> dict:
    job = (await answer.json())["job"]
    await client.app[keys.COLLECTION_JOBS].jobs[job["id"]].task  # the job's own end
    return job


GOOD = {
    "collection.csv": "file,title,width_cm,height_cm,title_ru\na.jpg,Field,120,80,Поле\n".encode(),
    "a.jpg": _jpeg(120, 80),
}


async def test_editor_uploads_a_collection_and_walks_into_its_gallery(client):
    auth = await _bearer(client, MUSEUM)
    url = f"/api/institutions/{MUSEUM}/collections?name=Summer+Show"
    answer = await client.post(url, data=_form(GOOD), headers=auth)
    assert answer.status == 202
    job = await _finished(client, answer)
    status = await client.get(f"/api/collection-jobs/{job['id']}", headers=auth)
    done = (await status.json())["job"]
    assert done["status"] == "done" and done["venue_url"] == "/venue/summer-show", done["error"]
    venue = await (await client.get("/api/venues/summer-show?lang=ru")).json()
    (work,) = venue["metadata"]["exhibits"]
    assert work["title"] == "Поле" and work["size_m"] == [1.2, 0.8]
    picture = await client.get(work["image_url"])
    assert picture.status == 200 and picture.content_type == "image/jpeg"
    assert picture.headers["X-Content-Type-Options"] == "nosniff"


async def test_anonymous_and_other_institutions_are_refused(client):
    url = f"/api/institutions/{MUSEUM}/collections?name=X"
    assert (await client.post(url, data=_form(GOOD))).status == 401
    other = await _bearer(client, PHIL)  # another institution's id: as if unknown
    assert (await client.post(url, data=_form(GOOD), headers=other)).status == 404


async def test_a_built_in_venue_id_cannot_be_overwritten(client):
    auth = await _bearer(client, MUSEUM)
    url = f"/api/institutions/{MUSEUM}/collections?name=Mine&venue=gallery"
    answer = await client.post(url, data=_form(GOOD), headers=auth)
    assert answer.status == 409
    assert (await answer.json())["error"]["code"] == "venue_taken"


async def test_bad_rows_fail_the_job_with_their_names_and_empty_files_at_once(client):
    auth = await _bearer(client, MUSEUM)
    url = f"/api/institutions/{MUSEUM}/collections?name=Broken"
    files = {"collection.csv": b"file,title\na.jpg,A\nb.jpg,B\n", "a.jpg": b"GIF89a...."}
    job = await _finished(client, await client.post(url, data=_form(files), headers=auth))
    failed = await (await client.get(f"/api/collection-jobs/{job['id']}", headers=auth)).json()
    error = failed["job"]["error"]
    assert failed["job"]["status"] == "failed" and error["code"] == "bad_collection"
    assert "row 2 (a.jpg): not a JPEG, PNG or WebP" in error["message"]
    assert "row 3: image 'b.jpg' is not in the upload" in error["message"]
    assert (await client.get("/api/venues/broken")).status == 404
    english = {**auth, "Accept-Language": "en"}
    empty = await client.post(url, data=_form({"c.csv": b"", **GOOD}), headers=english)
    assert empty.status == 400 and "'c.csv'" in (await empty.json())["error"]["message"]


def test_a_killed_servers_upload_folders_go_and_live_ones_stay(tmp_path):
    # a server alone on its data dir empties uploads/ at start (server/media/jobs.py);
    # one sharing it removes only collection folders older than twice the job timeout
    stale = tmp_path / "collection-left-by-a-kill"
    (stale / "out").mkdir(parents=True)
    os.utime(stale, (0, 0))
    live = tmp_path / "collection-another-servers-live-job"
    live.mkdir()
    assert remove_stale_folders(tmp_path, 1200.0) == 1
    assert not stale.exists() and live.exists()
