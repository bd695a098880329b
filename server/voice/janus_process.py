"""A Janus that Zal starts and stops itself: for ``make run`` and for the tests.

Janus runs in the foreground as a child process on a folder Zal generated
(:mod:`.janus_conf`); its log goes to ``<work_dir>/janus.log``. An operator who
runs Janus elsewhere points Zal at it instead (``zal serve --janus-url``).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
from pathlib import Path

import aiohttp

from ..worker_lifeline import parent_death_signal_armed
from .janus_client import JanusClient, JanusUnavailable
from .janus_conf import JanusConfig, command, write

START_TIMEOUT_S = 20.0


class JanusNotInstalled(Exception):
    """The ``janus`` binary is not on PATH (Debian's package ``janus``)."""


def _die_with_zal() -> None:
    """In the child before exec: a Zal killed outright (SIGKILL, or a stop that
    timed out) takes its Janus with it instead of leaving it on the ports."""
    parent_death_signal_armed(signal.SIGTERM)


class JanusProcess:
    """``async with JanusProcess(config) as janus:`` – a running Janus at ``janus.url``."""

    def __init__(self, config: JanusConfig) -> None:
        self.config = config
        self._process: asyncio.subprocess.Process | None = None
        self.log_path: Path = config.work_dir / "janus.log"

    @property
    def url(self) -> str:
        return self.config.url

    async def start(self) -> None:
        if shutil.which("janus") is None:
            raise JanusNotInstalled("janus is not installed (apt-get install janus)")
        write(self.config)
        log = self.log_path.open("ab")
        try:
            self._process = await asyncio.create_subprocess_exec(
                *command(self.config),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the terminal reaches Zal, which stops it
                preexec_fn=_die_with_zal,
            )
        finally:
            log.close()
        await self._wait_ready()

    async def _wait_ready(self) -> None:
        """Until Janus answers on its HTTP transport, or it exits, or the timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT_S
        async with aiohttp.ClientSession() as http:
            client = JanusClient(http, self.url, self.config.token_secret)
            while True:
                assert self._process is not None
                if self._process.returncode is not None:
                    raise RuntimeError(
                        f"janus exited with {self._process.returncode}; see {self.log_path}"
                    )
                with contextlib.suppress(JanusUnavailable):
                    await client.info()
                    return
                if loop.time() > deadline:
                    await self.stop()
                    raise RuntimeError(f"janus did not answer at {self.url}; see {self.log_path}")
                await asyncio.sleep(0.1)

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        process.send_signal(signal.SIGINT)  # Janus' own clean shutdown
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()

    async def __aenter__(self) -> JanusProcess:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
