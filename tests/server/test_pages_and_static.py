from .rawhttp import raw_get


async def test_lobby_page_is_served(client):
    response = await client.get("/")
    assert response.status == 200
    assert response.content_type == "text/html"
    assert "<title>lobby</title>" in await response.text()


async def test_venue_page_is_served_for_a_known_venue_and_event(client):
    event = (await (await client.get("/api/events")).json())["events"][0]
    response = await client.get(f"/venue/{event['venue_id']}")
    assert response.status == 200
    assert "<title>venue</title>" in await response.text()
    with_event = await client.get(f"/venue/{event['venue_id']}?event={event['id']}")
    assert with_event.status == 200


async def test_unknown_venue_page_is_404_html_for_browsers_json_otherwise(client):
    browser = await client.get("/venue/atlantis", headers={"Accept": "text/html"})
    assert browser.status == 404
    assert browser.content_type == "text/html"
    assert "atlantis" in await browser.text()
    script = await client.get("/venue/atlantis", headers={"Accept": "application/json"})
    assert script.status == 404
    assert (await script.json())["error"]["code"] == "not_found"


async def test_venue_page_with_event_of_another_venue_is_404(client):
    all_events = (await (await client.get("/api/events")).json())["events"]
    venues = {e["venue_id"] for e in all_events}
    event = all_events[0]
    other = sorted(venues - {event["venue_id"]})
    for venue_id in other[:1]:
        response = await client.get(f"/venue/{venue_id}?event={event['id']}")
        assert response.status == 404
    response = await client.get(f"/venue/{event['venue_id']}?event=nope")
    assert response.status == 404


async def test_event_page_is_served_for_a_known_event_and_404_html_otherwise(
    client, web_client_dir
):
    (web_client_dir / "event.html").write_text("<!doctype html><title>event</title>")
    event = (await (await client.get("/api/events")).json())["events"][0]
    response = await client.get(f"/event/{event['id']}")
    assert response.status == 200
    assert "<title>event</title>" in await response.text()
    assert "script-src" in response.headers["Content-Security-Policy"]
    unknown = await client.get("/event/%3Cb%3Enope%3C%2Fb%3E", headers={"Accept": "text/html"})
    assert unknown.status == 404
    assert unknown.content_type == "text/html"
    text = await unknown.text()
    assert "&lt;b&gt;nope&lt;/b&gt;" in text and "<b>nope" not in text


async def test_missing_client_page_is_503_not_500(aiohttp_client, make_app, web_client_dir):
    (web_client_dir / "lobby.html").unlink()
    client = await aiohttp_client(make_app())
    response = await client.get("/")
    assert response.status == 503
    assert (await response.json())["error"]["code"] == "client_missing"


async def test_client_files_are_served_with_module_types(client):
    js = await client.get("/client/src/main.js")
    assert js.status == 200
    assert js.headers["Content-Type"].startswith("text/javascript")
    assert js.headers["X-Content-Type-Options"] == "nosniff"
    assert js.headers["Cache-Control"] == "no-cache"
    assert "answer" in await js.text()
    css = await client.get("/client/css/base.css")
    assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")


async def test_locale_files_are_served_as_json(client, web_client_dir):
    (web_client_dir / "locales").mkdir()
    (web_client_dir / "locales" / "ru.json").write_text('{"lang.switch": "Язык"}', encoding="utf-8")
    response = await client.get("/client/locales/ru.json")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert (await response.json()) == {"lang.switch": "Язык"}


async def test_client_file_revalidates_with_304(client):
    first = await client.get("/client/src/main.js")
    await first.read()
    again = await client.get(
        "/client/src/main.js", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status == 304


async def test_whitelisted_vendor_package_is_served(client):
    response = await client.get("/vendor/three/build/three.module.js")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/javascript")


TRAVERSALS = [
    "/client/../pyproject.toml",
    "/client/src/../../outside.txt",
    "/client/%2e%2e/outside.txt",
    "/client/src/%2e%2e/%2e%2e/outside.txt",
    "/client/src/%2E%2E/lobby.html",
    "/client/src/..%2f..%2foutside.txt",
    "/client/src/..\\..\\outside.txt",
    "/client/src/..%5c..%5coutside.txt",
    "/client/src/leak.js",
    "/client/src/./main.js",
    "/client/src//main.js",
    "/client/src/%00main.js",
    "/client/tools/secret.mjs",
    "/client/.env",
    "/client/lobby.html",
    "/client/node_modules/three/build/three.module.js",
    "/client/src/",
    "/client/src/missing.js",
    "/vendor/ws/index.js",
    "/vendor/three/../ws/index.js",
    "/vendor/three/%2e%2e/ws/index.js",
    "/vendor/three/..%2fws%2findex.js",
    "/vendor/three/..\\ws\\index.js",
    "/vendor/%2e%2e/node_modules/three/build/three.module.js",
    "/vendor/three/build",
    "/vendor/three/",
]


async def test_traversal_and_hidden_paths_fail_without_500(client):
    # one app for all attempts: starting one per path would only slow the suite
    for path in TRAVERSALS:
        response = await raw_get(client, path)
        assert response.status in (400, 404), (path, response.status)
        body = await response.text()
        assert "outside the web client" not in body, path
        assert "not served" not in body, path
        assert "SECRET" not in body, path
