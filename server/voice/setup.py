"""``voice_ctx``: voice for the app's lifetime (a ``cleanup_ctx``).

With ``voice = "local"`` Zal writes a Janus configuration under
``<data_dir>/janus`` with fresh secrets and starts Janus; with ``janus_url`` it
uses the Janus an operator runs (its secrets in ``ZAL_JANUS_TOKEN_SECRET`` and
``ZAL_JANUS_ADMIN_KEY``). Either way ``app[keys.VOICE]`` is a
:class:`~.service.Voice`; otherwise it is None and voice is off. A local Janus
that is not installed turns voice off with a log line: the rest of Zal runs.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from .. import keys
from .janus_client import JanusClient, JanusError, JanusUnavailable
from .janus_conf import JanusConfig
from .janus_process import JanusNotInstalled, JanusProcess
from .service import Voice, VoiceLimits

log = logging.getLogger(__name__)


async def voice_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    app[keys.VOICE] = None
    process: JanusProcess | None = None
    limits = VoiceLimits(
        settings.voice_max_speakers,
        settings.voice_max_listeners,
        tuple(settings.turn_urls),
        settings.turn_secret,
    )
    if settings.janus_url:
        if not (settings.janus_token_secret and settings.janus_admin_key):
            raise ValueError("janus_url needs ZAL_JANUS_TOKEN_SECRET and ZAL_JANUS_ADMIN_KEY")
        url, secret, admin_key = (
            settings.janus_url, settings.janus_token_secret, settings.janus_admin_key
        )  # fmt: skip
    elif settings.voice == "local":
        first, last = (int(p) for p in settings.janus_rtp_ports.split("-"))
        config = JanusConfig(
            work_dir=settings.data_dir.resolve() / "janus",
            http_port=settings.janus_http_port,
            token_secret=secrets.token_urlsafe(32),
            admin_key=secrets.token_urlsafe(32),
            rtp_ports=(first, last),
        )
        process = JanusProcess(config)
        try:
            await process.start()
        except JanusNotInstalled as exc:
            log.warning("voice is off: %s", exc)
            yield
            return
        url, secret, admin_key = process.url, config.token_secret, config.admin_key
        log.info("voice: Janus at %s (log %s)", url, process.log_path)
    else:
        yield
        return
    async with aiohttp.ClientSession() as http:
        voice = Voice(JanusClient(http, url, secret), admin_key, limits)
        app[keys.VOICE] = voice
        try:
            yield
        finally:
            with contextlib.suppress(JanusError, JanusUnavailable):
                await voice.rooms.close_all()  # a local Janus is stopped anyway
            if process is not None:
                await process.stop()
