"""Slides from a PDF (pdftoppm) or an image (Pillow): PNG pages in order, each
at most 1920x1080, served from the blob store."""

from __future__ import annotations

import io

from PIL import Image

from server import keys

from .conftest import host


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
