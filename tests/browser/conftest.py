"""Browser test fixtures: the real server as a subprocess, Debian's Chromium through
Playwright (sync API), console error collection and screenshots in test-artifacts/.

Runs in its own pytest process (see Makefile): sync Playwright and pytest-asyncio
must not share an event loop. Venues are built once into build/test-scene-cache
(``ZAL_SCENE_CACHE``), shared by every run.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    sync_playwright,
)

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SCENE_CACHE = REPO / "build" / "test-scene-cache"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
STARTUP_TIMEOUT_S = 300  # a cold scene cache builds five venues first
# SwiftShader draws on a CPU shared with the server and other tests: a frame can
# take seconds, so waits for the hall are long (they end as soon as it is ready)
READY_TIMEOUT_MS = 180_000
DESKTOP = {"width": 960, "height": 540}
PHONE = {"width": 390, "height": 844}


# The files whose pages load a shared 2-core CPU most (several halls, a headset). Under
# pytest-xdist (`--dist loadgroup`, the Makefile) they run one after another in one
# worker, scheduled first, while the other worker takes the rest: two of them at once
# starved each other (a clean-clone run: test_tour_groups' poses timed out). Every
# other file is a group of its own. test_stage and test_live_stage, whose players must
# keep in step with the server's clock, run alone before them (the Makefile).
HEAVY = frozenset({"test_tour_groups.py", "test_xr.py"})


def pytest_collection_modifyitems(config, items) -> None:
    def group(item) -> str:
        return "heavy" if item.path.name in HEAVY else item.path.name

    for item in items:
        item.add_marker(pytest.mark.xdist_group(group(item)))
    items.sort(key=lambda item: group(item) != "heavy")  # stable: the heavy ones first


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ZalServer:
    url: str
    data_dir: Path
    proc: subprocess.Popen

    def get_json(self, path: str, lang: str = "en"):
        """The API's answer in `lang`: the same language as a page opened in that locale."""
        url = self.url + path + ("&" if "?" in path else "?") + "lang=" + lang
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.load(response)


@pytest.fixture(scope="session")
def zal_server(tmp_path_factory) -> Iterator[ZalServer]:
    data_dir = tmp_path_factory.mktemp("zal-data")
    SCENE_CACHE.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("ZAL_SCENE_CACHE", str(SCENE_CACHE))
    # the demo's stage media for real, on the first bars of the concert (seconds of
    # CPU, cached with the scenes): tests/browser/test_demo_show.py watches it
    env["ZAL_DEMO_MEDIA"] = "excerpt"
    # the emulated headset (tests/browser/test_xr.py): web_client/src/xr/emulate.js
    env["ZAL_XR_EMULATION"] = "1"
    # voice (tests/browser/test_voice.py): a Janus of its own per server (xdist runs two)
    janus_port = _free_port()
    rtp = 20000 + janus_port % 40 * 1000
    env.update(ZAL_VOICE="local", ZAL_JANUS_HTTP_PORT=str(janus_port),
               ZAL_JANUS_RTP_PORTS=f"{rtp}-{rtp + 999}")
    port = _free_port()
    log_path = data_dir / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--data-dir", str(data_dir), "--demo"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            tail = log_path.read_text()[-3000:]
            pytest.fail(f"server not healthy after {STARTUP_TIMEOUT_S}s:\n{tail}")
        time.sleep(0.5)
    yield ZalServer(url, data_dir, proc)
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """One Playwright per process: a second sync_playwright() in the same thread fails."""
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@dataclass
class Console:
    """Errors a page reported: console.error lines and uncaught exceptions."""

    errors: list[str] = field(default_factory=list)

    def on_message(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console.error: {message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error) -> None:
        self.errors.append(f"uncaught: {error}")

    def unexpected(self, allowed: tuple[str, ...] = ()) -> list[str]:
        return [e for e in self.errors if not any(a in e for a in allowed)]


def open_context(browser: Browser, **options) -> tuple[BrowserContext, Page, Console]:
    context = browser.new_context(**options)
    page = context.new_page()
    console = Console()
    page.on("console", console.on_message)
    page.on("pageerror", console.on_page_error)
    page.console = console  # type: ignore[attr-defined]
    return context, page, console


@pytest.fixture
def page(browser) -> Iterator[Page]:
    """A desktop page (mouse, no touch) with its console watched."""
    context, page, _ = open_context(
        browser, viewport=DESKTOP, device_scale_factor=1, locale="en-GB"
    )
    yield page
    context.close()


@pytest.fixture
def phone_page(browser) -> Iterator[Page]:
    """A phone: 390x844 CSS pixels, touch, a high-density screen."""
    context, page, _ = open_context(
        browser, viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True,
        locale="en-GB",
    )
    yield page
    context.close()


def console_errors(page: Page, allowed: tuple[str, ...] = ()) -> list[str]:
    return page.console.unexpected(allowed)  # type: ignore[attr-defined]


def screenshot(page: Page, name: str, **options) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), **options)
    return path


def wait_until_ready(page: Page) -> None:
    """Wait for the venue page to finish loading (or give up with its state)."""
    page.wait_for_function(
        "() => document.body.dataset.state !== 'loading'", timeout=READY_TIMEOUT_MS
    )
    state = page.evaluate("document.body.dataset.state")
    assert state == "ready", f"venue page state is {state!r}: {console_errors(page)}"


def still_frame(page: Page) -> None:
    """Stop the animation loop and render once at pixel ratio 1, so a screenshot
    neither waits behind slow software-rendered frames nor shows a half frame."""
    page.evaluate(
        "() => { const v = window.__zalTest.view; v.stop(); v.quality.pin(1); v.render(); }"
    )
