"""Live playlists get a wall-clock date per segment from nginx's system-time names."""

from __future__ import annotations

from server.media.live.program_time import program_date_time, with_program_date_time

NGINX = """#EXTM3U
#EXT-X-VERSION:3
#EXT-X-MEDIA-SEQUENCE:4
#EXT-X-TARGETDURATION:2
#EXTINF:2.000,
1764651234567.ts
#EXT-X-DISCONTINUITY
#EXTINF:1.960,
1764651236567.ts
"""


def test_each_system_time_segment_is_dated_right_before_its_uri():
    lines = with_program_date_time(NGINX).splitlines()
    assert lines[5:7] == ["#EXT-X-PROGRAM-DATE-TIME:2025-12-02T04:53:54.567Z", "1764651234567.ts"]
    assert lines[8:11] == [
        "#EXTINF:1.960,",
        "#EXT-X-PROGRAM-DATE-TIME:2025-12-02T04:53:56.567Z",
        "1764651236567.ts",
    ]
    assert with_program_date_time(NGINX).endswith(".ts\n")


def test_sequence_names_and_already_dated_playlists_are_left_alone():
    numbered = "#EXTM3U\n#EXTINF:2.0,\n17.ts\n#EXTINF:2.0,\n123456789012.ts\n"
    assert with_program_date_time(numbered) == numbered
    dated = (
        "#EXTM3U\n#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00.000Z\n"
        "#EXTINF:2.0,\n1764651234567.ts\n"
    )
    assert with_program_date_time(dated) == dated
    # a URI line that only looks like a name (a query, a path) is not a segment name
    odd = "#EXTM3U\n#EXTINF:2.0,\n1764651234567.ts?x=1\n#EXTINF:2.0,\na/1764651234567.ts\n"
    assert with_program_date_time(odd) == odd


def test_dates_are_utc_with_milliseconds():
    assert program_date_time(0) == "1970-01-01T00:00:00.000Z"
    assert program_date_time(1_767_225_600_001) == "2026-01-01T00:00:00.001Z"
