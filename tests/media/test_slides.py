"""Slides from a PDF (pdftoppm) or an image (Pillow): PNG pages in order, each
at most 1920x1080, served from the blob store."""

from __future__ import annotations

import io

import aiohttp
from PIL import Image

from server import keys

from .conftest import MAX_PAGES, host


async def upload_slides(client, data: bytes, title: str = "Lecture"):
    response = await client.post(
        f"/api/events/ev1/media?kind=slides&title={title}", data=data, headers=host()
    )
    return response


async def finished(client, response) -> dict:
    assert response.status == 202, await response.text()
    media_id = (await response.json())["id"]
    await client.server.app[keys.MEDIA_JOBS].join()
    return await (await client.get(f"/api/media/{media_id}")).json()


async def png_at(client, url: str) -> Image.Image:
    response = await client.get(url)
    assert response.status == 200 and response.headers["Content-Type"] == "image/png"
    assert "immutable" in response.headers["Cache-Control"]
    return Image.open(io.BytesIO(await response.read()))


async def test_a_three_page_pdf_becomes_three_pngs_in_order(client, media_files):
    media = await finished(client, await upload_slides(client, media_files.pdf.read_bytes()))
    assert (media["status"], media["kind"], media["progress"]) == ("ready", "slides", 1.0)
    assert len(media["slides"]) == 3 and media["url"] is None
    colours = []
    for url in media["slides"]:
        image = await png_at(client, url)
        assert image.width <= 1920 and image.height <= 1080
        assert abs(image.width / image.height - 800 / 600) < 0.02
        colours.append(image.convert("RGB").getpixel((image.width // 2, image.height // 2)))
    red, green, blue = colours
    assert red[0] > 200 > red[1] and green[1] > 100 > green[0] and blue[2] > 200 > blue[0]


async def test_an_image_becomes_one_slide_scaled_to_fit(client, media_files):
    media = await finished(client, await upload_slides(client, media_files.png.read_bytes()))
    assert len(media["slides"]) == 1
    image = await png_at(client, media["slides"][0])
    assert image.size == (1920, 960)  # 3000x1500 fitted into 1920x1080
    media = await finished(client, await upload_slides(client, media_files.jpeg.read_bytes()))
    image = await png_at(client, media["slides"][0])
    assert image.size == (640, 480)  # never enlarged; stored as our PNG, not the JPEG


def form(*files: tuple[str, bytes]) -> aiohttp.FormData:
    data = aiohttp.FormData()
    data.add_field("note", "a plain field is skipped")
    for name, content in files:
        data.add_field("file", content, filename=name, content_type="application/octet-stream")
    return data


async def test_a_set_of_images_and_pdfs_becomes_slides_in_upload_order(client, media_files):
    response = await client.post(
        "/api/events/ev1/media?kind=slides&title=Set",
        data=form(
            ("b.jpg", media_files.jpeg.read_bytes()),
            ("deck.pdf", media_files.pdf.read_bytes()),
            ("../../a.png", media_files.png.read_bytes()),
        ),
        headers=host(),
    )
    media = await finished(client, response)
    sizes = [(await png_at(client, url)).size for url in media["slides"]]
    assert sizes[0] == (640, 480) and sizes[-1] == (1920, 960) and len(sizes) == 5


async def test_a_set_over_the_page_limit_or_with_a_bad_file_is_refused(client, media_files):
    jpeg = media_files.jpeg.read_bytes()
    too_many = form(*[(f"{i}.jpg", jpeg) for i in range(MAX_PAGES + 1)])
    response = await client.post("/api/events/ev1/media?kind=slides", data=too_many, headers=host())
    assert response.status == 400 and (await response.json())["error"]["code"] == "too_many_files"
    pages = form(("deck.pdf", media_files.pdf.read_bytes()), *[("x.jpg", jpeg)] * (MAX_PAGES - 2))
    response = await client.post("/api/events/ev1/media?kind=slides", data=pages, headers=host())
    assert response.status == 422 and (await response.json())["error"]["code"] == "too_many_pages"
    mixed = form(("a.jpg", jpeg), ("notes.txt", media_files.text.read_bytes()))
    response = await client.post("/api/events/ev1/media?kind=slides", data=mixed, headers=host())
    assert response.status == 415 and (await response.json())["error"]["code"] == "not_slides"
    empty = form(("a.jpg", jpeg), ("b.jpg", b""))
    response = await client.post("/api/events/ev1/media?kind=slides", data=empty, headers=host())
    assert response.status == 400 and (await response.json())["error"]["code"] == "empty_file"
    two = form(("a.mp4", media_files.recording.read_bytes()), ("b.mp4", b"x"))
    response = await client.post("/api/events/ev1/media?kind=recording", data=two, headers=host())
    assert response.status == 400 and (await response.json())["error"]["code"] == "too_many_files"
    uploads = client.server.app[keys.SETTINGS].uploads_dir
    assert list(uploads.iterdir()) == []


async def test_a_recording_may_come_as_a_form_too(client, media_files):
    data = form(("concert.mp4", media_files.recording.read_bytes()))
    response = await client.post("/api/events/ev1/media?kind=recording", data=data, headers=host())
    media = await finished(client, response)
    assert media["status"] == "ready" and media["url"].endswith("/master.m3u8")
