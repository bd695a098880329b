"""HTTP routes: JSON API, content-hash files, pages and static client files."""

from __future__ import annotations

from aiohttp import web

from . import (
    assistants,
    attendance,
    calendars,
    comments,
    courses,
    events,
    health,
    institutions,
    media,
    pages,
    portal_page,
    programme,
    questions,
    scenes,
    session,
    static,
    streams,
    tours,
    venues,
    voice,
)

# the portal's parts (accounts, institutions, the programme's writes: issue 9)
PORTAL = (session, institutions, programme, portal_page)


def setup_routes(app: web.Application) -> None:
    # the programme for calendar apps and hosts' counts sit beside the events (issue 8)
    # and courses group its events into lessons
    programme_extras = (calendars, attendance, questions, courses, assistants)
    for module in (health, venues, tours, events, *programme_extras, media, comments, streams,
                   scenes, voice, *PORTAL):  # fmt: skip
        app.router.add_routes(module.routes)
    for module in (pages, static):  # last: static's catch-all paths
        app.router.add_routes(module.routes)
