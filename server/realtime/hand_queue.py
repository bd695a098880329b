"""Raised hands of one event, in the order they went up (lectures, master classes).

Pure state, like :mod:`.stage`: no sockets, no clock. The host calls the first
hand (``call_next``) or lowers any; a member raises and lowers its own. Who is
"called" (speaking now) is shown to the whole hall, with its seat highlighted.
"""

from __future__ import annotations


class HandQueue:
    __slots__ = ("raised", "called")

    def __init__(self) -> None:
        self.raised: dict[str, float] = {}  # member id -> when raised; insertion order
        self.called: str | None = None

    def raise_hand(self, member_id: str, at: float) -> bool:
        """Up at the end of the queue; False if it already was (keeps its place)."""
        if member_id in self.raised:
            return False
        self.raised[member_id] = at
        return True

    def lower(self, member_id: str) -> bool:
        """Out of the queue (and no longer called); False if it was neither."""
        was = self.raised.pop(member_id, None) is not None
        if self.called == member_id:
            self.called = None
            was = True
        return was

    def call_next(self) -> str | None:
        """The first raised hand becomes the called one (None: nobody waits)."""
        if not self.raised:
            self.called = None
            return None
        first = next(iter(self.raised))
        del self.raised[first]
        self.called = first
        return first

    def order(self) -> list[str]:
        return list(self.raised)

    def position(self, member_id: str) -> int | None:
        """1 for the first in line; None when not raised."""
        for i, raised in enumerate(self.raised, start=1):
            if raised == member_id:
                return i
        return None

    def idle(self) -> bool:
        return not self.raised and self.called is None


class HandQueues:
    """Every event's queue, by audience key."""

    def __init__(self) -> None:
        self._queues: dict[str, HandQueue] = {}

    def get(self, key: str) -> HandQueue:
        found = self._queues.get(key)
        if found is None:
            found = self._queues[key] = HandQueue()
        return found

    def peek(self, key: str) -> HandQueue | None:
        return self._queues.get(key)

    def forget_if_idle(self, key: str) -> None:
        queue = self._queues.get(key)
        if queue is not None and queue.idle():
            del self._queues[key]
