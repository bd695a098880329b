"""The lobby programme's filters (web_client/src/lobby/filters.js), run in Node in a
time zone of its own: the URL's values read back and bad ones dropped, and which
events a filter keeps (days are the visitor's; an event is on every day it overlaps;
past events only on request and only the last 30 days)."""

from __future__ import annotations

import pytest

SCRIPT = """
import { matches, readFilters, writeFilters, NO_FILTERS } from './src/lobby/filters.js';
const now = new Date('2026-12-02T10:00:00+05:00');  // noon-ish in Yekaterinburg
const ev = (id, start, end, extra = {}) => ({ id, kind: 'concert', status: 'upcoming',
  institution: { id: 'phil' }, starts_at: start, ends_at: end, ...extra });
const events = [
  ev('overnight', '2026-12-01T23:00:00+05:00', '2026-12-02T01:00:00+05:00', { status: 'past' }),
  ev('tonight', '2026-12-02T19:00:00+05:00', '2026-12-02T21:00:00+05:00', { kind: 'lecture' }),
  ev('midnight', '2026-12-03T00:00:00+05:00', '2026-12-03T01:00:00+05:00',
     { institution: { id: 'museum' } }),
  ev('in-a-week', '2026-12-09T00:00:00+05:00', '2026-12-09T02:00:00+05:00'),
  ev('long-ago', '2026-10-01T19:00:00+05:00', '2026-10-01T21:00:00+05:00', { status: 'past' }),
];
const pick = (query) => events.filter((e) => matches(e, readFilters(query), now)).map((e) => e.id);
console.log(JSON.stringify({
  read: readFilters('?kind=lecture&institution=museum&date=2026-12-03&past=1'),
  bad: readFilters('?kind=opera&date=2026-02-31&past=yes'),
  written: writeFilters({ kind: 'qa', institution: 'a&b', date: 'week', past: true }),
  none: writeFilters(NO_FILTERS),
  all: pick(''),
  past: pick('?past=1'),
  today: pick('?date=today'),
  todayPast: pick('?date=today&past=1'),
  week: pick('?date=week'),
  day: pick('?date=2026-12-03'),
  kind: pick('?kind=lecture'),
  institution: pick('?institution=museum'),
}));
"""


@pytest.fixture(scope="module")
def result(node_json) -> dict:
    return node_json(SCRIPT, env={"TZ": "Asia/Yekaterinburg"})


def test_filters_come_from_the_url_and_bad_values_are_dropped(result):
    assert result["read"] == {
        "kind": "lecture", "institution": "museum", "date": "2026-12-03", "past": True
    }  # fmt: skip
    assert result["bad"] == {"kind": "", "institution": "", "date": "", "past": False}
    assert result["written"] == "?kind=qa&institution=a%26b&date=week&past=1"
    assert result["none"] == ""


def test_past_events_show_only_on_request_and_only_recent_ones(result):
    assert result["all"] == ["tonight", "midnight", "in-a-week"]
    assert result["past"] == ["overnight", "tonight", "midnight", "in-a-week"]


def test_a_day_is_the_visitors_and_an_event_is_on_every_day_it_overlaps(result):
    assert result["today"] == ["tonight"]
    assert result["todayPast"] == ["overnight", "tonight"]  # ended at 01:00 today
    assert result["week"] == ["tonight", "midnight"]  # the 9th is the eighth day
    assert result["day"] == ["midnight"]


def test_kind_and_institution_narrow_the_list(result):
    assert result["kind"] == ["tonight"]
    assert result["institution"] == ["midnight"]
