"""A ``media`` row as clients see it (REST and the realtime ``stage`` state)."""

from __future__ import annotations


def hls_url(package_id: str) -> str:
    return f"/hls/{package_id}/master.m3u8"


def slide_url(sha256: str) -> str:
    return f"/media/{sha256}.png"


def media_view(row: dict) -> dict:
    """``{"id", "event_id", "kind", "title", "status", "progress", "error",
    "duration_s", "url", "slides"}``: ``url`` is the master playlist of a ready
    recording or the stream's URL, else None; ``slides`` the PNG URLs in order
    (empty until ready)."""
    ready = row["status"] == "ready"
    url = None
    if row["kind"] == "recording" and ready and row.get("package_id"):
        url = hls_url(row["package_id"])
    elif row["kind"] == "stream":
        url = row.get("stream_url")
    slides = [slide_url(s) for s in row.get("slides") or []] if ready else []
    return {
        "id": row["id"],
        "event_id": row["event_id"],
        "kind": row["kind"],
        "title": row["title"],
        "status": row["status"],
        "progress": round(float(row["progress"] or 0.0), 4),
        "error": row.get("error"),
        "duration_s": row.get("duration_s"),
        "url": url,
        "slides": slides,
    }
