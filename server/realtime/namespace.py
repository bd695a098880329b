"""The ``/live`` Socket.IO namespace: validate, call the services, emit. Nothing else.

Dispatch goes through :meth:`LiveNamespace.trigger_event` (not ``on_*`` methods)
so that unknown event names, extra arguments and floods are caught in one place
and every client mistake becomes an error ack or a ``rejected`` event, never a
traceback. Handlers run inline in the connection's receive loop
(``async_handlers=False``), so one client's events are handled in order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import socketio

from ..storage.retry import StorageUnavailable, is_connection_error
from ..voice.service import Voice
from . import protocol as p
from .attendance import Attendance, client_of
from .audience import Departure, Instance, LiveState, Member
from .chat import ChatService
from .closing import close_connection
from .directory import Directory
from .group_events import GroupEvents
from .hand_events import HandEvents
from .hand_queue import HandQueues
from .host_events import HostEvents
from .moderation import Moderation
from .overview import AudienceOverview
from .protocol import ClientError, ok, parse
from .qa_events import QaEvents, hosts_room, qa_room
from .shared_events import SharedEvents
from .shared_live import SharedLive
from .snapshot import encode_snapshot
from .stage import StageBoard
from .stage_events import StageEvents
from .timeline import media_moment
from .tour_groups import TourGroups
from .voice_events import VoiceEvents

log = logging.getLogger("zal.realtime")

# client mistakes that count towards the "repeated violations" disconnect
VIOLATIONS = frozenset({"invalid_payload", "unknown_event"})


@dataclass
class Services:
    state: LiveState
    chat: ChatService
    moderation: Moderation
    directory: Directory
    tick_hz: float
    clock: Callable[[], float] = time.monotonic
    stages: StageBoard = field(default_factory=StageBoard)
    wall: Callable[[], float] = time.time  # the show's clock: unix seconds, same in every process
    hands: HandQueues = field(default_factory=HandQueues)  # raised hands per event
    attendance: Attendance | None = None  # counts without identities (attendance.py)
    groups: TourGroups = field(default_factory=TourGroups)  # live-guided tour groups
    voice: Voice | None = None  # Janus rooms and passes (server/voice); None: voice off
    # per audience key: who speaks (member id -> stage, guide or seat), who is called up
    voice_speakers: dict[str, dict[str, str]] = field(default_factory=dict)
    voice_invites: dict[str, set[str]] = field(default_factory=dict)
    # several processes (Redis): what they share (shared_live.py); None: one process
    shared: SharedLive | None = None


Handler = Callable[[str, Member, Any, float], Awaitable[dict | None]]


class LiveNamespace(
    HostEvents,
    StageEvents,
    QaEvents,
    HandEvents,
    GroupEvents,
    VoiceEvents,
    AudienceOverview,
    SharedEvents,
    socketio.AsyncNamespace,
):
    def __init__(self, services: Services):
        super().__init__(p.NAMESPACE)
        self.s = services
        self._tasks: set[asyncio.Task] = set()
        self._handlers: dict[str, Handler] = {
            p.JOIN: self._join,
            p.LEAVE: self._leave,
            p.SIT: self._sit,
            p.STAND: self._stand,
            p.CHAT: self._chat,
            p.REACT: self._react,
            p.DELETE_MESSAGE: self._delete_message,
            p.MUTE: self._mute,
            p.UNMUTE: self._unmute,
            p.REMOVE: self._remove,
            p.SLOW_MODE: self._slow_mode,
            p.CLOSE_CHAT: self._close_chat,
            p.OPEN_CHAT: self._open_chat,
            p.AUDIENCE_OVERVIEW: self._audience_overview,
            **self.stage_handlers(),
            **self.qa_handlers(),
            **self.hand_handlers(),
            **self.group_handlers(),
            **self.voice_handlers(),
        }

    # -- dispatch -------------------------------------------------------------
    async def trigger_event(self, event: str, *args: Any) -> Any:
        if event == "connect":
            return await self._connect(*args)
        if event == "disconnect":
            return await self._disconnect(args[0])
        sid = args[0]
        member = self.s.state.by_sid.get(sid)
        if member is None:  # a socket whose member was just dropped (removed, flooded)
            return None
        now = self.s.clock()
        if not member.limits.events.take(now):
            await self._force_out(member, "too many events")
            return None
        if event == p.POSE:  # the hot path: no model, no ack, no await unless rejected
            try:
                if len(args) != 2:
                    raise ClientError("invalid_payload", "pose takes one array")
                seq, values = p.parse_pose(args[1])
            except ClientError as exc:
                await self._mistake(member, event, exc, now)
                return None
            self.s.state.pose(member, seq, values, now)
            return None
        handler = self._handlers.get(event) if type(event) is str else None
        try:
            if handler is None:
                raise ClientError("unknown_event", "unknown event")
            if len(args) > 2:
                raise ClientError("invalid_payload", "an event takes one payload object")
            return await handler(sid, member, args[1] if len(args) == 2 else None, now)
        except ClientError as exc:
            await self._mistake(member, event, exc, now)
            return exc.body()
        except Exception as exc:
            # the database stayed away through every retry of a write, or a read
            # found it away: a clear refusal the client may retry, not a bug
            if isinstance(exc, StorageUnavailable) or is_connection_error(exc):
                log.warning("database unavailable", extra={"event": str(event)[:40]})
                return ClientError(
                    "unavailable", "a service the server needs is unavailable; try again", 1.0
                ).body()
            log.exception("realtime handler failed", extra={"event": event})  # a bug of ours
            return ClientError("internal", "internal error").body()

    async def _mistake(self, member: Member, event: Any, exc: ClientError, now: float) -> None:
        """Report a refusal that has no ack; count violations; disconnect repeat offenders."""
        if exc.code in VIOLATIONS:
            log.info(
                "refused client event",
                extra={"member": member.id, "event": str(event)[:40], "code": exc.code},
            )
            if not member.limits.violations.take(now):
                await self._force_out(member, "too many invalid events")
                return
        if (event in (p.POSE, p.REACT) or exc.code == "unknown_event") and member.sid:
            if now - member.last_rejected >= 1.0:  # at most one per second
                member.last_rejected = now
                await self.emit(
                    p.REJECTED,
                    {"event": str(event)[:40], "code": exc.code, "message": exc.message},
                    to=member.sid,
                )

    async def refuse_event(self, sid: str, event: Any) -> dict | None:
        """An event name outside the protocol (the server's allow-list, packet_limits.py):
        never dispatched; counted like any unknown event. The ack body, if any."""
        member = self.s.state.by_sid.get(sid)
        if member is None:
            return None
        now = self.s.clock()
        if not member.limits.events.take(now):
            await self._force_out(member, "too many events")
            return None
        exc = ClientError("unknown_event", "unknown event")
        await self._mistake(member, event, exc, now)
        return exc.body()

    async def _force_out(self, member: Member, why: str) -> None:
        sid = member.sid
        log.warning("disconnecting a client: %s", why, extra={"member": member.id})
        departure = self.s.state.drop(member)  # no grace, no resume
        if sid is not None:
            await self.emit(
                p.REJECTED, {"event": "", "code": p.TOO_MANY_ERRORS, "message": why}, to=sid
            )
        if departure is not None:
            await self._announce_left(departure)
        if sid is not None:
            await self._send_off(sid, p.TOO_MANY_ERRORS, why)

    async def _send_off(self, sid: str, reason: str, message: str, wait: bool = True) -> None:
        """Send ``removed``, then close the whole connection (the engine.io socket).

        Leaving only ``/live`` would keep the websocket open, free to connect to
        ``/live`` again as a new member. ``wait=False`` when the socket is not the
        caller's own (a host removing someone must not wait on that socket).
        """
        await self.emit(p.REMOVED, {"reason": reason, "message": message}, to=sid)
        eio_sid = self.server.manager.eio_sid_from_sid(sid, self.namespace)
        if eio_sid is None:
            return
        closing = close_connection(self.server, eio_sid)
        if wait:
            await closing
        else:
            self._spawn(closing)

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- connection -----------------------------------------------------------
    async def _connect(self, sid: str, environ: dict, auth: Any = None) -> None:
        try:
            parsed = parse(p.ConnectAuth, auth if auth is not None else "missing")
        except ClientError as exc:
            raise socketio.exceptions.ConnectionRefusedError(
                exc.message, {"code": exc.code, "message": exc.message}
            ) from None
        now = self.s.clock()
        if parsed.resume is not None:
            found = self.s.state.resume(parsed.resume, sid, now)
            if found is None:
                # a member of another process (gone, or behind the same proxy)?
                adopted = await self._adopt_or_refuse(sid, parsed.resume, parsed.token, now)
                found = (adopted, None)
            member, old_sid = found
            # after this handler returns, so the CONNECT packet goes out first
            self._spawn(self._after_resume(sid, member, old_sid))
            return
        member = self.s.state.connect(sid, parsed.name, parsed.token, now)
        member.client = client_of(environ)

    async def _adopt_or_refuse(
        self, sid: str, resume: str, token: str | None, now: float
    ) -> Member:
        try:
            member = await self.adopt(sid, resume, token, now)
        except ClientError as exc:  # removed from the event meanwhile
            raise socketio.exceptions.ConnectionRefusedError(
                exc.message, {"code": exc.code, "message": exc.message}
            ) from None
        if member is None:
            raise socketio.exceptions.ConnectionRefusedError(
                "resume failed",
                {"code": "resume_failed", "message": "unknown or expired resume token"},
            )
        return member

    async def _after_resume(self, sid: str, member: Member, old_sid: str | None) -> None:
        await asyncio.sleep(0)
        if old_sid is not None:
            await self.disconnect(old_sid)
        instance = member.instance
        if instance is None or member.sid != sid:
            return
        await self.enter_room(sid, instance.room)
        await self.enter_room(sid, instance.audience.room)
        if member.is_host:
            await self.enter_room(sid, hosts_room(instance.audience))
        if member.is_host or member.is_assistant:
            await self.enter_room(sid, qa_room(instance.audience))
        await self.groups_resumed(sid, member)
        welcome = await self._welcome(member, instance)
        welcome["resumed"] = True
        await self.emit(p.JOINED, welcome, to=sid)
        await self._send_full(sid, instance)

    async def _disconnect(self, sid: str) -> None:
        # a joined member keeps its place for the grace period (ticker expires it)
        self.s.state.detach(sid, self.s.clock())

    # -- helpers --------------------------------------------------------------
    async def _welcome(self, member: Member, instance: Instance) -> dict:
        audience = instance.audience
        history = await self.s.chat.history(audience)
        return ok(
            member=member.public(),
            instance=instance.describe(),
            audience=audience.describe(),
            resume=member.resume,
            tick_hz=self.s.tick_hz,
            members=[m.public() for m in instance.members() if m is not member],
            chat={"history": history, **audience.chat_state()},
            reactions=list(p.REACTION_KINDS),
            stage=self.stage_welcome(audience),
            qa=await self.qa_welcome(member, audience),
            hands=self.hands_welcome(member, audience),
            groups=self.groups_welcome(member, audience),
            voice=self.s.voice is not None and audience.event_id is not None,  # 4.13
        )

    async def _send_full(self, sid: str, instance: Instance) -> None:
        now = self.s.clock()
        data = encode_snapshot(self.s.state.tick, int(now * 1000), instance.full(), [], full=True)
        await self.emit(p.SNAP, data, to=sid)

    async def _announce_left(self, departure: Departure) -> None:  # also used by HostEvents
        await self.emit(
            p.MEMBER_LEFT,
            {"id": departure.member.id, "slot": departure.slot},
            room=departure.instance.room,
        )
        await self.hands_departed(departure.member, departure.instance.audience)
        await self.groups_departed(departure.member, departure.instance.audience)
        await self.voice_departed(departure.member, departure.instance.audience)
        await self.shared_departed(departure)

    @staticmethod
    def _joined(member: Member) -> Instance:
        if member.instance is None:
            raise ClientError("not_joined", "join an event or venue first")
        return member.instance

    # -- audience events --------------------------------------------------------
    async def _join(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        req = parse(p.JoinPayload, payload)
        if member.instance is not None:
            raise ClientError("already_joined", "already in an audience; send leave first")
        if not member.limits.join.take(now):
            raise ClientError("rate_limited", "too many joins", member.limits.join.retry_after(now))
        event_id, venue_id, seat_ids = await self.s.directory.resolve(req.event_id, req.venue_id)
        token = req.token or member.token
        role = await self.s.directory.token_role(event_id, token) if event_id and token else None
        await self.shared_audience(self.s.state.audience(event_id, venue_id, seat_ids))
        if member.sid != sid:
            # the socket was closed while we looked things up (and the member
            # forgotten): joining now would leave a member nobody can reach or expire
            raise ClientError("not_connected", "the connection closed during the join")
        audience = self.s.state.audience(event_id, venue_id, seat_ids)
        assistant = token if role == "assistant" else None
        instance = self.s.state.join(member, audience, role == "host", assistant)
        welcome = await self._welcome(member, instance)
        if member.sid != sid:
            # closed while the history loaded: the member waits out its grace
            # period like any dropped member (resuming enters the rooms then)
            return welcome
        await self.enter_room(sid, instance.room)
        await self.enter_room(sid, audience.room)
        if member.is_host:
            await self.enter_room(sid, hosts_room(audience))
        if member.is_host or member.is_assistant:
            await self.enter_room(sid, qa_room(audience))
        await self.emit(p.MEMBER_JOINED, member.public(), room=instance.room, skip_sid=sid)
        self._spawn(self._send_full(sid, instance))
        if self.s.attendance is not None:  # counted after the ack (the join never waits on it)
            self._spawn(self.s.attendance.joined(audience, *member.client))
        await self.shared_joined(member)  # before the ack: a resume may come next
        return welcome

    async def _leave(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        parse(p.Empty, payload)
        instance = self._joined(member)
        departure = self.s.state.leave(member)
        await self.leave_room(sid, instance.room)
        await self.leave_room(sid, instance.audience.room)
        await self.leave_room(sid, hosts_room(instance.audience))
        await self.leave_room(sid, qa_room(instance.audience))
        if departure is not None:
            await self._announce_left(departure)
        return ok()

    async def _sit(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        req = parse(p.SitPayload, payload)
        self.s.state.sit(member, req.seat_id)
        return await self._seat_changed(member)

    async def _stand(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        parse(p.Empty, payload)
        self.s.state.stand(member)
        return await self._seat_changed(member)

    async def _seat_changed(self, member: Member) -> dict:
        instance = self._joined(member)
        await self.emit(
            p.MEMBER_UPDATED,
            {"id": member.id, "slot": member.slot, "seat": member.seat},
            room=instance.room,
        )
        await self.shared_joined(member)
        return ok(seat=member.seat)

    async def _chat(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        req = parse(p.ChatPayload, payload)
        if req.scope == "group":  # the same checks, to the sender's tour group only
            return await self.group_chat(member, req.text, now)
        audience = member.audience
        moment = None
        if audience is not None and audience.event_id is not None:
            # the stage's own clock (wall), not the live clock of rate limits
            stage = self.s.stages.stages.get(audience.event_id)
            moment = media_moment(stage, self.s.wall())
        message = await self.s.chat.send(member, req.text, now, moment)
        if audience is not None:
            await self.emit(p.CHAT_MESSAGE, message, room=audience.room)
        return ok(id=message["id"], sent_at=message["sent_at"])

    async def _react(self, sid: str, member: Member, payload: Any, now: float) -> None:
        req = parse(p.ReactPayload, payload)
        self.s.state.react(member, req.kind, now)  # over the rate: dropped silently
        return None
