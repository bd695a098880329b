"""The naive relay the realtime benchmark compares Zal against.

What networked-aframe's server and most simple multiplayer servers do: stock
python-socketio, members put into rooms of 50 in join order, and every pose a
member sends is forwarded at once to every other member of its room (no tick,
no coalescing, JSON). It speaks the client->server half of docs/PROTOCOL.md
(``join`` ack with ``member.slot`` and ``instance.id``, ``pose``, ``chat``,
``react``) so the same load client drives both servers; poses come back as
``["pose", slot, [seq, x, y, z, ...]]``.

Run alone: ``python -m benchmarks.naive_relay --port 8091``.
"""

from __future__ import annotations

import argparse
import logging

import socketio
from aiohttp import web

ROOM_CAPACITY = 50


def create_relay_app(capacity: int = ROOM_CAPACITY, fast: bool = False) -> web.Application:
    """``fast``: the same relay on Zal's fast path (server/realtime/socketio_fast.py),
    to see what the transport change alone buys; the benchmark's baseline is stock."""
    options = dict(async_mode="aiohttp", transports=["websocket"], cors_allowed_origins="*")
    if fast:
        from server.realtime.socketio_fast import FastAsyncServer

        sio: socketio.AsyncServer = FastAsyncServer(**options)
    else:
        sio = socketio.AsyncServer(**options)
    app = web.Application()
    sio.attach(app)
    # bookkeeping lives in this closure, one relay per app (no module state)
    rooms: list[int] = []  # members per room
    where: dict[str, tuple[str, int]] = {}  # sid -> (room name, slot)

    @sio.on("connect", namespace="/live")
    async def connect(sid, environ, auth=None):
        return True

    @sio.on("join", namespace="/live")
    async def join(sid, payload):
        # fill rooms in order; open a new one when all are full
        i = next((n for n, size in enumerate(rooms) if size < capacity), len(rooms))
        if i == len(rooms):
            rooms.append(0)
        slot = rooms[i]
        rooms[i] += 1
        name = f"relay/{i + 1}"
        where[sid] = (name, slot)
        await sio.enter_room(sid, name, namespace="/live")
        return {"ok": True, "member": {"slot": slot}, "instance": {"id": name, "index": i + 1}}

    @sio.on("pose", namespace="/live")
    async def pose(sid, values):
        place = where.get(sid)
        if place is None:
            return
        if fast:
            await sio.broadcast("pose", (place[1], values), place[0], "/live", skip_sid=sid)
        else:
            await sio.emit(
                "pose", (place[1], values), room=place[0], skip_sid=sid, namespace="/live"
            )

    @sio.on("chat", namespace="/live")
    async def chat(sid, payload):
        place = where.get(sid)
        if place is not None:
            await sio.emit("chat_message", payload, room=place[0], namespace="/live")
        return {"ok": True}

    @sio.on("react", namespace="/live")
    async def react(sid, payload):
        place = where.get(sid)
        if place is not None:
            await sio.emit("reaction", payload, room=place[0], skip_sid=sid, namespace="/live")

    @sio.on("disconnect", namespace="/live")
    async def disconnect(sid, reason=None):
        where.pop(sid, None)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--fast", action="store_true", help="use Zal's fast transport path")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    web.run_app(create_relay_app(fast=args.fast), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
