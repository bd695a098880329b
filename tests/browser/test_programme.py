"""The programme in Chromium: the lobby's programme view and its filters (kind,
institution, date, recent past) checked against the API's own data, the filters
carried by the URL across a reload, an event page with its facts, a way into the
hall, its calendar file and the answered questions of its Q&A, and the 404 page
for an event that does not exist.

The answered questions belong to an event of this file's own (written through the
storage, as the live protocol's handlers write them, and removed afterwards).
"""

from __future__ import annotations

import asyncio
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import Page

from server.storage import events as events_repo
from server.storage import questions as questions_repo
from server.storage.engine import create_engine
from server.storage.schema import events as events_table

from .conftest import ARTIFACTS, console_errors, open_context
from .test_accessibility import assert_accessible

pytestmark = pytest.mark.browser

ZONE = "Asia/Yekaterinburg"  # neither UTC nor the city's zone: days are the visitor's
VIEWPORT = {"width": 1180, "height": 900}
TIMEOUT_MS = 30_000
RECENT_PAST = timedelta(days=30)
TITLE = "Ask the <b>tram</b> depot"
ASKED = [
    # name, anonymous, text, votes, answer (None: not answered, so not published)
    ("Anna", False, "When will tram 5 reach the new district?", 3, "In March: the rails are laid."),
    ("Boris", True, "Why do trams bunch up <i>in threes</i>?", 2, ""),
    ("Clara", False, "Will the depot open to visitors?", 1, None),
]


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def _engine(server):
    return create_engine(f"sqlite+aiosqlite:///{server.data_dir / 'zal.sqlite3'}")


async def _make_event(server, event_id: str) -> None:
    engine = _engine(server)
    try:
        # five days ago at 18:00 on the page's clock: an evening that ends the same
        # day whatever hour the test runs (the page writes a range over midnight
        # with both dates)
        day = (datetime.now(ZoneInfo(ZONE)) - timedelta(days=5)).date()
        start = datetime.combine(day, time(18, 0), tzinfo=ZoneInfo(ZONE)).astimezone(UTC)
        await events_repo.add(
            engine, id=event_id, venue_id="lecture-room", kind="qa",
            starts_at=start, ends_at=start + timedelta(minutes=80),
            host_token_hash=events_repo.hash_token(secrets.token_urlsafe(16)), demo=False,
            lang="en", title=TITLE,
            description="The head of the tram depot answers residents.\nSecond line.",
            translations={"ru": {"title": "Вопросы трамвайному депо"}},
        )  # fmt: skip
        for n, (name, anonymous, text, votes, answer) in enumerate(ASKED):
            q = await questions_repo.ask(
                engine, event_id, f"m_test{n}", name, text, anonymous=anonymous, pending=False
            )
            for voter in range(votes):
                await questions_repo.vote(engine, q["id"], f"m_voter{voter}", True)
            if answer is not None:
                await questions_repo.set_status(engine, q["id"], "answered", answer=answer)
    finally:
        await engine.dispose()


async def _drop_event(server, event_id: str) -> None:
    engine = _engine(server)
    try:
        async with engine.begin() as conn:  # its questions and votes go with it
            await conn.execute(events_table.delete().where(events_table.c.id == event_id))
    finally:
        await engine.dispose()


def _run(coro) -> None:
    """Run `coro` to the end on a loop of its own (sync Playwright holds this thread's)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coro).result(timeout=60)


@pytest.fixture(scope="module")
def qa_event(zal_server):
    event_id = "prog-qa-" + secrets.token_hex(4)
    _run(_make_event(zal_server, event_id))
    yield event_id
    _run(_drop_event(zal_server, event_id))


@pytest.fixture
def zoned_page(browser):
    context, page, _ = open_context(browser, viewport=VIEWPORT, locale="en-GB", timezone_id=ZONE)
    yield page
    context.close()


# --- what the filters should show, from the API's data ---------------------------


def _day_range(choice: str, now: datetime) -> tuple[datetime, datetime] | None:
    if not choice:
        return None
    if choice in ("today", "week"):
        first = now.date()
        days = 1 if choice == "today" else 7
    else:
        first, days = date.fromisoformat(choice), 1
    start = datetime.combine(first, datetime.min.time(), tzinfo=now.tzinfo)
    return start, datetime.combine(first + timedelta(days=days), datetime.min.time(), now.tzinfo)


def expected(events: list[dict], kind="", institution="", day="", past=False) -> tuple[list, list]:
    """(current ids in start order, past ids latest first) the filters should show."""
    now = datetime.now(ZoneInfo(ZONE))
    span = _day_range(day, now)
    current, ended = [], []
    for e in events:
        start, end = _parse(e["starts_at"]), _parse(e["ends_at"])
        if kind and e["kind"] != kind or institution and e["institution"]["id"] != institution:
            continue
        if span and not (start < span[1] and end > span[0]):
            continue
        if e["status"] != "past":
            current.append(e)
        elif past and now - end <= RECENT_PAST:
            ended.append(e)
    current.sort(key=lambda e: e["starts_at"])
    ended.sort(key=lambda e: e["starts_at"], reverse=True)
    return [e["id"] for e in current], [e["id"] for e in ended]


def shown(page: Page, selector: str = "#programme-list") -> list[str]:
    return page.eval_on_selector_all(
        f"{selector} .programme-item", "items => items.map((i) => i.dataset.eventId)"
    )


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def open_lobby(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=TIMEOUT_MS)


def rarest(values: list[str]) -> str:
    """A value some but not all events have: filtering by it must narrow the list."""
    counts = {v: values.count(v) for v in values}
    return min(counts, key=lambda v: (counts[v], v))


def _narrowing_day(events: list[dict], current: list[dict], total: int) -> str:
    zone = ZoneInfo(ZONE)
    moments = [_parse(e[end]) for e in current for end in ("starts_at", "ends_at")]
    days = {moment.astimezone(zone).date() for moment in moments}
    for day in sorted(days, reverse=True):
        if 0 < len(expected(events, day=day.isoformat())[0]) < total:
            return day.isoformat()
    raise AssertionError(f"no day narrows the programme: {sorted(days)}")


def test_the_programme_lists_events_and_each_filter_narrows_it(zoned_page, zal_server, qa_event):
    page = zoned_page
    events = zal_server.get_json("/api/events")["events"]
    current = [e for e in events if e["status"] != "past"]
    everything, _ = expected(events)
    assert len(everything) >= 4, "the demo programme has events on"

    open_lobby(page, zal_server.url + "/")
    assert shown(page) == everything
    assert page.locator("#past-list").is_hidden()
    assert page.locator("#programme-count").inner_text() == f"{len(everything)} events"
    first = page.locator(f'.programme-item[data-event-id="{everything[0]}"]')
    assert first.locator(".programme-link").get_attribute("href") == f"/event/{everything[0]}"

    kind = rarest([e["kind"] for e in current])
    page.get_by_label("Kind").select_option(kind)
    want, _ = expected(events, kind=kind)
    assert shown(page) == want and 0 < len(want) < len(everything)
    assert query(page) == {"kind": [kind]}

    page.get_by_label("Kind").select_option("")
    institution = rarest([e["institution"]["id"] for e in current])
    page.get_by_label("Institution").select_option(institution)
    want, _ = expected(events, institution=institution)
    assert shown(page) == want and 0 < len(want) < len(everything)
    assert query(page) == {"institution": [institution]}
    page.get_by_label("Institution").select_option("")

    page.get_by_label("Date", exact=True).select_option("today")
    want, _ = expected(events, day="today")
    assert shown(page) == want and 0 < len(want) < len(everything)
    # a day of its own that narrows the list: late in the evening every event on now
    # runs into tomorrow, so the day is one some event starts or ends on, the last first
    day = _narrowing_day(events, current, len(everything))
    page.get_by_label("Date", exact=True).select_option("day")
    page.get_by_label("Day", exact=True).fill(day)
    want, _ = expected(events, day=day)
    assert shown(page) == want and 0 < len(want) < len(everything)
    assert query(page) == {"date": [day]}
    page.get_by_label("Date", exact=True).select_option("")

    page.get_by_label("Show recent past events").check()
    want, ended = expected(events, past=True)
    assert shown(page) == want and shown(page, "#past-list") == ended
    assert qa_event in ended and len(ended) >= 2
    assert (
        page.locator(f'#past-list [data-event-id="{qa_event}"] .programme-link').inner_text()
        == TITLE
    )

    # three filters at once, then a reload: the URL carries them
    page.get_by_label("Institution").select_option("city-museum")
    page.get_by_label("Kind").select_option("qa")
    combined = expected(events, kind="qa", institution="city-museum", past=True)
    assert (shown(page), shown(page, "#past-list")) == combined
    assert query(page) == {"kind": ["qa"], "institution": ["city-museum"], "past": ["1"]}
    page.reload()
    page.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=TIMEOUT_MS)
    assert (shown(page), shown(page, "#past-list")) == combined
    assert page.get_by_label("Kind").input_value() == "qa"
    assert page.get_by_label("Institution").input_value() == "city-museum"
    assert page.get_by_label("Show recent past events").is_checked()

    shot = page.locator("#programme")
    shot.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    shot.screenshot(path=str(ARTIFACTS / "programme-filtered.png"))
    assert_accessible(page, zal_server)

    # the keyboard alone: the next kind with an arrow key, then clear every filter
    page.get_by_label("Kind").focus()
    page.keyboard.press("ArrowDown")
    assert query(page)["kind"] == ["excursion"]  # the kind after Q&A in the list
    page.get_by_role("button", name="Clear filters").focus()
    page.keyboard.press("Enter")
    assert urlparse(page.url).query == "" and shown(page) == everything
    assert page.locator("#past-list").is_hidden()
    assert page.evaluate("document.activeElement.id") == "filter-kind"

    page.set_viewport_size({"width": 1180, "height": 1500})
    page.get_by_label("Show recent past events").check()
    page.locator("#programme").screenshot(path=str(ARTIFACTS / "programme.png"))
    assert console_errors(page) == []


def test_filters_from_a_bad_link_are_dropped_without_an_error(zoned_page, zal_server):
    page = zoned_page
    open_lobby(page, zal_server.url + "/?kind=opera&date=2026-02-31&institution=nowhere")
    assert page.get_by_label("Kind").input_value() == ""
    assert page.get_by_label("Date", exact=True).input_value() == ""
    # an institution nobody knows filters everything out, and says so
    assert shown(page) == []
    assert "No events match these filters." in page.locator("#programme-list").inner_text()
    assert console_errors(page) == []


def test_an_event_page_shows_the_event_a_way_in_and_the_answered_questions(
    zoned_page, zal_server, qa_event
):
    page = zoned_page
    event = zal_server.get_json(f"/api/events/{qa_event}")
    response = page.goto(f"{zal_server.url}/event/{qa_event}")
    assert response and response.status == 200
    page.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=TIMEOUT_MS)

    assert page.locator("h1#event-title").inner_text() == TITLE  # HTML in a title is text
    assert page.title() == f"{TITLE} · Zal"
    assert page.locator("#event-kicker").inner_text().upper().startswith("Q&A")
    assert "ENDED" in page.locator("#event-kicker").inner_text().upper()
    zone = ZoneInfo(ZONE)
    start, end = (
        _parse(event["starts_at"]).astimezone(zone),
        _parse(event["ends_at"]).astimezone(zone),
    )
    when = page.locator("#event-when").inner_text()
    assert f"{start:%H:%M}–{end:%H:%M}" in when and str(start.year) in when
    assert page.locator("#event-when time").get_attribute("datetime") == event["starts_at"]
    assert page.locator("#event-institution").inner_text() == event["institution"]["name"]
    assert page.locator("#event-languages").inner_text() == "Русский, English"
    assert page.locator("#event-description").inner_text() == event["description"]
    venue_href = f"/venue/{event['venue_id']}?event={qa_event}"
    assert page.locator("#event-venue a").inner_text() == event["venue_name"]
    assert page.locator("#event-venue a").get_attribute("href") == venue_href
    assert page.get_by_role("link", name="Look around").get_attribute("href") == venue_href

    ics = page.get_by_role("link", name="Add to calendar (.ics)").get_attribute("href")
    feed = page.request.get(zal_server.url + ics)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    (vevent,) = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert str(vevent["UID"]) == f"{qa_event}@zal" and str(vevent["SUMMARY"]) == TITLE

    published = zal_server.get_json(f"/api/events/{qa_event}/questions")["questions"]
    assert [q["text"] for q in published] == [text for _, _, text, _, a in ASKED if a is not None]
    items = page.locator(".answer-item")
    assert items.count() == len(published)
    for item, q in zip(items.all(), published, strict=True):
        assert item.locator(".answer-question").inner_text() == q["text"]
        asker = f"Asked by {q['name']}" if q["name"] else "Asked anonymously"
        assert item.locator(".answer-asker").inner_text() == asker
        assert item.locator(".answer-votes").inner_text() == f"{q['votes']} votes"
        if q["answer"]:
            assert item.locator(".answer-body").inner_text() == q["answer"]
        else:
            assert item.locator(".answer-spoken").is_visible()
    assert "Boris" not in page.locator("#event-answers").inner_text()  # he asked anonymously
    assert "Clara" not in page.locator("body").inner_text()  # not answered: not published

    assert_accessible(page, zal_server)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "event-page.png"), full_page=True)
    assert console_errors(page) == []


def test_an_unknown_event_gives_the_404_page(zoned_page, zal_server):
    page = zoned_page
    response = page.goto(f"{zal_server.url}/event/no-such-<b>event")
    assert response and response.status == 404
    assert "no event 'no-such-<b>event'" in page.locator("body").inner_text()
    assert page.locator("body b").count() == 0
    assert page.get_by_role("link").count() >= 1  # a way back to the lobby
    page.screenshot(path=str(ARTIFACTS / "event-404.png"))
    assert console_errors(page, allowed=("404",)) == []
