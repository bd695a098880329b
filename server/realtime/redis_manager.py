"""python-socketio's Redis manager, with what several processes of one audience need.

Two things the library's ``AsyncRedisManager`` does not do:

- **Local sends stay local.** Every ``emit`` of the library goes through Redis to
  every process, even one addressed to a socket of this process or to a room
  only this process has. An instance (a copy of the hall) belongs to one
  process, so its room (``i:<node>:...``) and a socket of this process are
  served here directly; Redis carries only what must cross processes (chat,
  reactions, Q&A, moderation notices to audience rooms, sends to a socket of
  another process).
- **A deaf listener is seen and healed.** The library's listener task can die or
  go quiet for good after Redis drops its subscribers (python-socketio issue
  #1581): the process keeps serving its sockets, which silently stop hearing the
  other processes. Here the manager publishes a ping on its channel every
  ``heartbeat_s`` and counts anything it hears; silent for ``deaf_after_s``,
  it says so (:meth:`health`, shown on ``/healthz``), drops the subscription
  and starts a new listener.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

import socketio

log = logging.getLogger("zal.realtime.redis")

# rooms that belong to one process (audience.Instance.room)
LOCAL_ROOM_PREFIXES = ("i:",)
PING = "zal_ping"


class ZalRedisManager(socketio.AsyncRedisManager):
    def __init__(
        self,
        url: str,
        *,
        heartbeat_s: float = 1.0,
        deaf_after_s: float = 4.0,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(url, logger=log, **kwargs)
        self.heartbeat_s = heartbeat_s
        self.deaf_after_s = deaf_after_s
        self.clock = clock
        self.last_heard = clock()
        self.deaf_since: float | None = None
        self.listener_restarts = 0
        self._watch: asyncio.Task | None = None
        self._closing = False

    # -- what crosses processes -----------------------------------------------
    def is_local_room(self, room: Any, namespace: str | None) -> bool:
        """True when everyone ``room`` can reach is connected to this process."""
        if not isinstance(room, str):
            return False
        if room.startswith(LOCAL_ROOM_PREFIXES):
            return True
        return self.is_connected(room, namespace or "/")  # a socket of this process

    async def emit(self, event, data, namespace=None, room=None, skip_sid=None,
                   callback=None, to=None, **kwargs):  # fmt: skip
        room = to or room
        if not kwargs.get("ignore_queue") and self.is_local_room(room, namespace):
            kwargs["ignore_queue"] = True
        return await super().emit(
            event, data, namespace=namespace, room=room, skip_sid=skip_sid,
            callback=callback, **kwargs,
        )  # fmt: skip

    # -- the listener and its health ---------------------------------------------
    def initialize(self) -> None:
        super().initialize()
        self._watch = self.server.start_background_task(self._watch_listener)

    async def _listen(self):
        async for message in super()._listen():
            self.last_heard = self.clock()
            if self.deaf_since is not None:
                log.warning("the Redis subscription hears again")
                self.deaf_since = None
            yield message

    async def _thread(self) -> None:
        # the library's loop returns for good when its listener ends (#1581):
        # run it again, on a fresh connection, for as long as the server runs
        while True:
            try:
                await super()._thread()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("the Redis listener failed")
            task = asyncio.current_task()
            if self._closing or (task is not None and task.cancelling()):
                # the library's loop ends quietly when cancelled: so do we
                raise asyncio.CancelledError
            self.listener_restarts += 1
            log.error("the Redis listener stopped; subscribing again")
            self.connected = False
            await asyncio.sleep(self.heartbeat_s)

    async def _watch_listener(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            # through the channel like any message: heard only if the subscription works
            await self._publish({"method": PING, "host_id": self.host_id})
            silent = self.clock() - self.last_heard
            if silent < self.deaf_after_s:
                continue
            if self.deaf_since is None:
                self.deaf_since = self.last_heard
                log.error("the Redis subscription heard nothing for %.1f s", silent)
            await self._restart_listener()

    async def _restart_listener(self) -> None:
        """Drop the subscription (it may look alive and hear nothing) and listen anew."""
        thread = getattr(self, "thread", None)
        if thread is not None:
            thread.cancel()
            with contextlib.suppress(BaseException):
                await thread
        pubsub = getattr(self, "pubsub", None)
        if pubsub is not None:
            with contextlib.suppress(Exception):
                await pubsub.aclose()
        self.connected = False
        self.listener_restarts += 1
        self.last_heard = self.clock()  # a new listener gets a full period to hear
        self.thread = self.server.start_background_task(self._thread)

    def health(self) -> dict[str, Any]:
        """``ok``, or ``deaf`` with how long nothing was heard (``/healthz``)."""
        silent = self.clock() - self.last_heard
        deaf = self.deaf_since is not None or silent >= self.deaf_after_s
        report: dict[str, Any] = {
            "status": "deaf" if deaf else "ok",
            "listener_restarts": self.listener_restarts,
        }
        if deaf:
            report["silent_s"] = round(silent, 1)
        return report

    async def close(self) -> None:
        self._closing = True
        for task in (self._watch, getattr(self, "thread", None)):
            if task is not None:
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
        with contextlib.suppress(Exception):
            await self.redis.aclose()
