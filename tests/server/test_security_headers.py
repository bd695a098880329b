"""Content-Security-Policy on HTML, and a Server header that names no versions."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from pathlib import Path

from server import csp

REPO = Path(__file__).resolve().parents[2]

IMPORT_MAP = """
  {
    "imports": {
      "three": "/vendor/three/build/three.module.js"
    }
  }
  """


def _page(import_map: str) -> str:
    return (
        "<!doctype html><title>lobby</title>"
        f'<script type="importmap">{import_map}</script>'
        '<script type="module" src="/client/src/main.js"></script>'
    )


def _sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _directives(header: str) -> dict[str, list[str]]:
    found = {}
    for part in header.split(";"):
        name, *values = part.split()
        assert name not in found, f"{name} given twice"
        found[name] = values
    return found


async def test_pages_carry_a_strict_policy_with_the_import_map_hash(client, web_client_dir):
    (web_client_dir / "lobby.html").write_text(_page(IMPORT_MAP))
    response = await client.get("/")
    assert response.status == 200
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'", _sha256_source(IMPORT_MAP)]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'self'" in policy["connect-src"]
    assert "'unsafe-inline'" not in str(policy) and "'unsafe-eval'" not in str(policy)
    sources = [v for values in policy.values() for v in values]
    assert not set(sources) & {"*", "ws:", "wss:", "http:", "https:"}


async def test_editing_the_import_map_changes_the_hash_it_is_sent_with(client, web_client_dir):
    page = web_client_dir / "lobby.html"
    page.write_text(_page(IMPORT_MAP))
    first = await client.get("/")
    edited = IMPORT_MAP.replace("three.module.js", "three.module.min.js")
    page.write_text(_page(edited) + "\n<!-- edited -->")
    second = await client.get("/")
    assert "edited" in await second.text()
    assert _directives(second.headers["Content-Security-Policy"])["script-src"] == [
        "'self'",
        "'wasm-unsafe-eval'",
        _sha256_source(edited),
    ]
    assert first.headers["Content-Security-Policy"] != second.headers["Content-Security-Policy"]
    assert first.headers["ETag"] != second.headers["ETag"]


async def test_venue_page_has_the_policy_and_revalidates(client, web_client_dir):
    (web_client_dir / "venue.html").write_text(_page(IMPORT_MAP))
    event = (await (await client.get("/api/events")).json())["events"][0]
    first = await client.get(f"/venue/{event['venue_id']}")
    assert _sha256_source(IMPORT_MAP) in first.headers["Content-Security-Policy"]
    again = await client.get(
        f"/venue/{event['venue_id']}", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status == 304
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


async def test_html_error_pages_get_the_policy_without_inline_scripts(client):
    response = await client.get("/venue/atlantis", headers={"Accept": "text/html"})
    assert response.status == 404 and response.content_type == "text/html"
    assert response.headers["Content-Security-Policy"] == csp.DEFAULT_POLICY
    assert "<script" not in await response.text()
    assert _directives(csp.DEFAULT_POLICY)["script-src"] == ["'self'", "'wasm-unsafe-eval'"]


def test_the_real_pages_have_exactly_their_import_map_hashed():
    for name in ("lobby.html", "venue.html"):
        html = (REPO / "web_client" / name).read_bytes()
        maps = re.findall(rb'<script type="importmap">(.*?)</script>', html, re.DOTALL)
        assert len(maps) == 1, name
        assert csp.inline_script_hashes(html) == [_sha256_source(maps[0].decode())]


def test_hashes_skip_external_scripts_and_hash_crlf_as_the_parser_sees_it():
    html = b'<SCRIPT type="importmap">{\r\n}\r</SCRIPT ><script src="/a.js"></script>'
    assert csp.inline_script_hashes(html) == [_sha256_source("{\n}\n")]
    assert csp.inline_script_hashes(b"<p>no scripts</p>") == []


async def _raw_exchange(client, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection(client.host, client.port)
    try:
        writer.write(request)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()


def _header_block(response: bytes) -> str:
    return response.split(b"\r\n\r\n", 1)[0].decode("latin-1")


async def test_server_header_names_no_versions_even_for_malformed_requests(client):
    requests = [
        b"GET / HTTP/1.1\r\nHost: zal\r\nConnection: close\r\n\r\n",
        b"GET /api/events HTTP/1.1\r\nHost: zal\r\nConnection: close\r\n\r\n",
        b"GET /nothing-here HTTP/1.1\r\nHost: zal\r\nConnection: close\r\n\r\n",
        b"NOT-HTTP\r\n\r\n",  # answered by aiohttp's protocol layer, not a handler
        b"GET / HTTP/1.1\r\nHost: zal\r\nContent-Length: x\r\n\r\n",
    ]
    for request in requests:
        head = _header_block(await _raw_exchange(client, request))
        assert head.startswith("HTTP/1."), head
        servers = re.findall(r"(?im)^server:[ \t]*([^\r\n]*)", head)
        assert servers == ["Zal"], (request, head)
        assert not re.search(r"(?i)python|aiohttp|\d+\.\d+", servers[0])
