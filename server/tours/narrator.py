"""The speech worker: makes the narration clips tours ask for, a few at a time.

``request`` asks for a clip and returns at once (a tour saved, a tour read in a
language whose clips are missing); ``narrate`` waits for it. A clip is made once
per key (server/tours/speech.py ``clip_key``): one already stored is found, one
being made is awaited, not made twice. At most ``workers`` espeak-ng/ffmpeg
pairs run at once, so a tour of fifty stops saved in three languages queues
instead of starting 150 processes. A failure is logged and leaves the stop
without audio (the next request tries again).

``cache_dir`` (the demo's, server/demo_media.py) keeps each made clip as files
too, so a fresh data dir of the demo does not read its tour again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shutil
import tempfile
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from .. import keys
from ..storage import tours as tours_repo
from ..storage.blobs import BlobStore
from .captions import webvtt
from .speech import SpeechLimits, clip_key, speak

log = logging.getLogger("zal.tours")

VTT_TYPE = "text/vtt"
OGG_TYPE = "audio/ogg"


class Narrator:
    def __init__(
        self,
        engine: AsyncEngine,
        blobs: BlobStore,
        work_dir: Path,
        limits: SpeechLimits | None = None,
        workers: int = 2,
    ):
        self.engine = engine
        self.blobs = blobs
        self.work_dir = work_dir
        self.limits = limits or SpeechLimits()
        # without the tools (a machine without espeak-ng) stops have no reading: say
        # so at once rather than keep every tour "pending"
        self.available = all(shutil.which(tool) for tool in ("espeak-ng", "ffmpeg"))
        if not self.available:
            log.warning("espeak-ng or ffmpeg not installed: tours have no audio guide")
        self._slots = asyncio.Semaphore(workers)
        self._running: dict[str, asyncio.Task] = {}
        self.failures = 0

    def request(self, lang: str, text: str, cache_dir: Path | None = None) -> str:
        """Start making the clip of ``text`` in ``lang`` unless it is being made;
        its key. (Whether it is stored already is the caller's lookup.)"""
        key = clip_key(lang, text)
        if self.available and key not in self._running:
            task = asyncio.create_task(
                self._make(key, lang, text, cache_dir), name=f"speech-{key[:8]}"
            )
            self._running[key] = task
            task.add_done_callback(partial(self._done, key))
        return key

    def _done(self, key: str, _task: asyncio.Task) -> None:
        self._running.pop(key, None)

    async def narrate(self, lang: str, text: str, cache_dir: Path | None = None) -> dict | None:
        """The clip's row (``audio_sha256``, ``captions_sha256``, ``duration_s``),
        made now if it is not stored; None when making it failed."""
        key = clip_key(lang, text)
        found = await tours_repo.find_clips(self.engine, [key])
        if key in found:
            return found[key]
        self.request(lang, text, cache_dir)
        task = self._running.get(key)
        if task is not None:
            await asyncio.shield(task)
        return (await tours_repo.find_clips(self.engine, [key])).get(key)

    async def idle(self) -> None:
        """Wait until nothing is being made (tests, the demo's build)."""
        while self._running:
            await asyncio.gather(*self._running.values(), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._running.values()):
            task.cancel()
        for task in list(self._running.values()):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _make(self, key: str, lang: str, text: str, cache_dir: Path | None) -> None:
        try:
            if (await tours_repo.find_clips(self.engine, [key])).get(key):
                return
            async with self._slots:
                ogg, duration = await self._reading(key, lang, text, cache_dir)
            audio = await self.blobs.add_bytes(ogg, OGG_TYPE, compress=False)
            vtt = webvtt(text, duration).encode()
            captions = await self.blobs.add_bytes(vtt, VTT_TYPE, compress=False)
            await tours_repo.add_clip(
                self.engine, key, audio_sha256=audio, captions_sha256=captions, duration_s=duration
            )
        except asyncio.CancelledError:
            raise
        except Exception:
            self.failures += 1
            log.exception("narration not made", extra={"lang": lang, "chars": len(text)})

    async def _reading(
        self, key: str, lang: str, text: str, cache_dir: Path | None
    ) -> tuple[bytes, float]:
        """The Ogg bytes and duration: from ``cache_dir`` when it has them."""
        cached = cache_dir / f"{key}.ogg" if cache_dir else None
        if cached is not None and cached.exists() and cached.with_suffix(".json").exists():
            meta = json.loads(await asyncio.to_thread(cached.with_suffix(".json").read_text))
            return await asyncio.to_thread(cached.read_bytes), float(meta["duration_s"])
        self.work_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(await asyncio.to_thread(tempfile.mkdtemp, dir=self.work_dir, prefix="speech-"))
        try:
            spoken = await speak(text, lang, tmp, self.limits)
            data = await asyncio.to_thread(spoken.ogg.read_bytes)
        finally:
            await asyncio.to_thread(shutil.rmtree, tmp, True)
        if cached is not None:
            await asyncio.to_thread(_keep, cached, data, spoken.duration_s)
        return data, spoken.duration_s


def _keep(path: Path, data: bytes, duration_s: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    path.with_suffix(".json").write_text(json.dumps({"duration_s": duration_s}))


async def narrator_ctx(app: web.Application) -> AsyncIterator[None]:
    """The app's narrator (after storage: it needs the engine and the blob store)."""
    settings = app[keys.SETTINGS]
    narrator = Narrator(app[keys.DB_ENGINE], app[keys.BLOBS], settings.data_dir / "speech-work")
    app[keys.NARRATOR] = narrator
    yield
    await narrator.close()
