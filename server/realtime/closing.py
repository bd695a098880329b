"""Closing one client's whole connection from the server side, on both server classes."""

from __future__ import annotations

from typing import Any

from .engineio_fast import FastAsyncSocket


async def close_connection(sio: Any, eio_sid: str) -> None:
    """Close ``eio_sid``'s engine.io socket *and* its websocket.

    Stock python-engineio only sends a CLOSE packet and leaves the websocket open
    until the client hangs up, reading (and dispatching) whatever it still sends;
    a hostile client never hangs up. So on the stock path the TCP transport is
    closed too, after the socket's queue (the CLOSE packet included) was written.
    The fast path's socket closes its websocket itself (engineio_fast.py).
    """
    sock = sio.eio.sockets.get(eio_sid)
    request = (sio.environ.get(eio_sid) or {}).get("aiohttp.request")
    await sio.eio.disconnect(eio_sid)
    if sock is not None and not isinstance(sock, FastAsyncSocket) and request is not None:
        transport = request.transport
        if transport is not None:
            transport.close()
