"""The demo gallery's self-guided tour in headless Chromium (issue 11): Tour starts
it, the visitor glides to the first stop and faces its work, the espeak-ng
narration plays with its captions, Next goes on, the work's card opens from the
stop, and End tour closes the panel. In Russian, so the captions are the Russian
reading's."""

from __future__ import annotations

import math

import pytest

from .conftest import (
    DESKTOP,
    console_errors,
    open_context,
    screenshot,
    still_frame,
    wait_until_ready,
)

pytestmark = pytest.mark.browser

POSE = "() => window.__zalTest.view.getPose()"
NARRATED = 60_000  # the first two stops are read at the server start (excerpt); else on demand


def test_a_self_guided_tour_glides_narrates_with_captions_and_opens_the_card(browser, zal_server):
    tour = zal_server.get_json("/api/tours/gallery-highlights", lang="ru")
    context, page, _ = open_context(browser, viewport=DESKTOP, locale="ru-RU")
    try:
        page.goto(zal_server.url + "/venue/gallery?test=1")
        wait_until_ready(page)
        # software rendering on a shared CPU: cheap frames until the glide is done
        page.evaluate("() => window.__zalTest.view.quality.pin(0.5)")
        button = page.locator("#tour-button")
        button.wait_for(state="visible")
        assert button.inner_text() == "Экскурсия"
        button.click()

        panel = page.locator(".tour-panel")
        panel.wait_for(state="visible")
        first = tour["stops"][0]
        assert panel.locator(".tour-step").inner_text() == "Остановка 1 из 6"
        assert panel.locator(".tour-stop-title").inner_text() == first["title"]
        # the glide ends before the stop's work, facing it (its turn may end after its move)
        page.wait_for_function(
            f"() => {{ const v = window.__zalTest.view, p = v.getPose();"
            f" return !v.controls.isTravelling"
            f" && Math.hypot(p.position[0] - {first['position'][0]},"
            f" p.position[2] - {first['position'][2]}) < 0.05; }}",
            timeout=NARRATED,
        )
        pose = page.evaluate(POSE)
        assert abs(math.remainder(pose["yaw"] - first["yaw"], math.tau)) < 0.01
        # the reading plays, its Russian captions follow it sentence by sentence
        page.wait_for_function(
            "() => { const c = document.querySelector('#captions [data-cue=\"tour\"]');"
            " return c && c.textContent.startsWith('Добро пожаловать'); }",
            timeout=NARRATED,
        )
        assert panel.locator(".tour-play").inner_text() == "Пауза"
        page.wait_for_function(
            "() => { const c = document.querySelector('#captions [data-cue=\"tour\"]');"
            " return c && c.textContent.startsWith('Наша прогулка'); }",
            timeout=NARRATED,
        )
        still_frame(page)  # the hall stops drawing: the rest is the panel's
        screenshot(page, "tour-stop.png")

        # Next: the second stop, its work's card from the panel
        panel.locator(".tour-next").click()
        page.wait_for_function("() => document.querySelector('.tour-panel').dataset.stop === '2'")
        second = tour["stops"][1]
        assert panel.locator(".tour-stop-title").inner_text() == second["title"]
        panel.locator(".tour-card").click()
        card = page.locator("dialog.art-card")
        card.wait_for(state="visible")
        assert card.get_attribute("data-exhibit-id") == second["exhibit"]
        page.keyboard.press("Escape")
        card.wait_for(state="hidden")

        assert panel.locator(".tour-end").get_attribute("aria-label") == "Выйти из экскурсии"
        # on to the end: every stop in order, Finish at the last one ends the tour
        for number, stop in enumerate(tour["stops"][2:], start=3):
            panel.locator(".tour-next").click()
            page.wait_for_function(
                f"() => document.querySelector('.tour-panel').dataset.stop === '{number}'"
            )
            assert panel.locator(".tour-step").inner_text() == f"Остановка {number} из 6"
            assert panel.locator(".tour-stop-title").inner_text() == stop["title"]
        assert panel.locator(".tour-next").inner_text() == "Завершить"
        panel.locator(".tour-next").click()
        panel.wait_for(state="hidden")
        assert page.locator('#captions [data-cue="tour"]').count() == 0

        # started again and left half way with ×
        button.click()
        panel.wait_for(state="visible")
        panel.locator(".tour-end").click()
        panel.wait_for(state="hidden")
        assert console_errors(page) == []
    finally:
        context.close()
