"""The live part of one Zal app (``keys.LIVE``): the live folder, which streams
are admitted, and the demo stream's ffmpeg while the demo runs."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from ...storage import media as media_repo
from .demo_stream import DemoLiveStream
from .keys import LIVE_FILE, PLAYBACK_ID, new_stream_key, playback_id, playback_id_of_url
from .keys import playback_url as url_of
from .registry import LiveRegistry


class LiveStreams:
    def __init__(self, folder: Path, engine: AsyncEngine, ffmpeg: str = "ffmpeg"):
        self.folder = folder
        self.engine = engine
        self.ffmpeg = ffmpeg
        self.registry = LiveRegistry(engine)
        self.demos: dict[str, DemoLiveStream] = {}  # playback id -> its ffmpeg

    async def open(self, tidy: bool = True) -> None:
        """``tidy``: also remove what a killed server's demo stream left (not in a
        later process of ``zal serve --workers``: the first one's stream is alive)."""
        await asyncio.to_thread(self._open, tidy)

    def _open(self, tidy: bool) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if not tidy:
            return
        # a demo stream of a server that was killed: its marker names its folder
        for marker in self.folder.glob(".demo-*.txt"):
            pid = marker.name.removeprefix(".demo-").removesuffix(".txt")
            if PLAYBACK_ID.fullmatch(pid):
                shutil.rmtree(self.folder / pid, ignore_errors=True)
            marker.unlink(missing_ok=True)

    async def close(self) -> None:
        demos, self.demos = list(self.demos.values()), {}
        await asyncio.gather(*(demo.stop() for demo in demos))

    @staticmethod
    def well_named(pid: str, name: str) -> bool:
        return bool(PLAYBACK_ID.fullmatch(pid) and LIVE_FILE.fullmatch(name))

    def file(self, pid: str, name: str) -> Path | None:
        """``<folder>/<pid>/<name>`` for a strict playback id and file name, if it is a
        regular file inside the folder (nginx writes real files, never symlinks)."""
        if not self.well_named(pid, name):
            return None
        path = self.folder / pid / name
        try:
            resolved = path.resolve(strict=True)
            inside = resolved.is_relative_to(self.folder.resolve(strict=True))
        except (OSError, RuntimeError):
            return None
        return resolved if inside and resolved.is_file() else None

    async def start_demo(self, event_id: str, title: str) -> dict:
        """Register (or re-register, after a restart) the demo stream of ``event_id``
        titled ``title`` and start its ffmpeg; returns the ``media`` row. The stream
        key is thrown away: nothing pushes to this stream but the ffmpeg here."""
        rows = await media_repo.list_for_event(self.engine, event_id)
        running = {demo.media_id for demo in self.demos.values()}
        for found in rows:
            if found["id"] in running and found["title"] == title:
                return found  # asked twice: it runs already
        pid = playback_id(new_stream_key())
        earlier = next(
            (
                r
                for r in rows
                if r["kind"] == "stream"
                and r["title"] == title
                and playback_id_of_url(r["stream_url"]) is not None
            ),
            None,
        )
        if earlier is not None:
            await media_repo.update(self.engine, earlier["id"], stream_url=url_of(pid))
            row = {**earlier, "stream_url": url_of(pid)}
        else:
            row = await media_repo.add(
                self.engine,
                event_id=event_id,
                kind="stream",
                title=title,
                status="ready",
                progress=1.0,
                stream_url=url_of(pid),
            )
        demo = DemoLiveStream(self.folder, pid, title, self.ffmpeg, media_id=row["id"])
        self.demos[pid] = demo
        await demo.start()
        return row
