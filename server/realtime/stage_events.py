"""Stage events of the ``/live`` namespace (a mixin of :class:`.namespace.LiveNamespace`).

Hosts drive the show with acked ``stage_*`` events; every change goes to the
event's whole audience (all instances, all processes) as ``stage``. ``time``
answers the server clock, so a client can estimate its offset (NTP-style).
The role is checked before the payload: a non-host learns nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, model_validator
from sqlalchemy import select

from ..media.views import media_view
from ..storage import media as media_repo
from . import protocol as p
from . import store
from .audience import Audience, Member
from .protocol import ClientError, Id, _Payload, ok, parse
from .stage import Stage

if TYPE_CHECKING:
    from .namespace import Services

# a day of media; far beyond any show, well inside a float's exact range
POSITION_MAX = 86_400.0
Position = Annotated[float, Field(ge=0.0, le=POSITION_MAX, allow_inf_nan=False)]


class StageMediaPayload(_Payload):
    media_id: Id | None


class PlayPayload(_Payload):
    position: Position | None = None


class SeekPayload(_Payload):
    position: Position


class SlidePayload(_Payload):
    index: Annotated[int, Field(ge=0, le=9999)] | None = None
    step: Literal[-1, 1] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SlidePayload:
        if (self.index is None) == (self.step is None):
            raise ValueError("give exactly one of index and step")
        return self


class PinPayload(_Payload):
    message_id: Annotated[int, Field(ge=1, le=2**62)] | None


class StageEvents:
    s: Services

    if TYPE_CHECKING:  # provided by socketio.AsyncNamespace

        async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None: ...

    def stage_handlers(self) -> dict[str, Callable]:
        return {
            p.TIME: self._time,
            p.STAGE_MEDIA: self._stage_media,
            p.STAGE_PLAY: self._stage_play,
            p.STAGE_PAUSE: self._stage_pause,
            p.STAGE_SEEK: self._stage_seek,
            p.STAGE_SLIDE: self._stage_slide,
            p.STAGE_PIN: self._stage_pin,
            p.STAGE_END: self._stage_end,
        }

    def stage_welcome(self, audience: Audience) -> dict[str, Any] | None:
        """The ``stage`` field of the join ack (None for a venue audience)."""
        return self.s.stages.view(audience.event_id, self.s.wall())

    async def _time(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        parse(p.Empty, payload)
        return ok(now=self.s.wall())

    def _host_stage(self, member: Member) -> tuple[Audience, Stage]:
        audience = member.audience
        if audience is None:
            raise ClientError("not_joined", "join an event first")
        if not member.is_host or audience.event_id is None:
            raise ClientError("forbidden", "only a host of this event may do that")
        return audience, self.s.stages.get(audience.event_id, self.s.wall())

    async def _announce(self, member: Member, audience: Audience, stage: Stage, action: str,
                        detail: str | None = None) -> dict:  # fmt: skip
        view = stage.view(self.s.wall())
        await self.emit(p.STAGE, view, room=audience.room)
        assert audience.event_id is not None  # a host's stage is an event's
        await self.s.stages.changed(audience.event_id, stage)
        await store.record_action(
            self.s.moderation.engine, audience.key, member.id, member.name, action, None, detail
        )
        return ok(stage=view)

    async def _stage_media(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, stage = self._host_stage(member)
        req = parse(StageMediaPayload, payload)
        media = None
        if req.media_id is not None:
            row = await media_repo.get(self.s.moderation.engine, req.media_id)
            if row is None or row["event_id"] != audience.event_id:
                raise ClientError("not_found", "no such media in this event")
            if row["status"] != "ready":
                raise ClientError("media_not_ready", f"the media is {row['status']}")
            media = media_view(row)
        stage.set_media(media, self.s.wall())
        return await self._announce(member, audience, stage, "stage_media", req.media_id)

    async def _stage_play(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, stage = self._host_stage(member)
        req = parse(PlayPayload, payload)
        stage.play(self.s.wall(), req.position)
        return await self._announce(member, audience, stage, "stage_play")

    async def _stage_pause(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, stage = self._host_stage(member)
        req = parse(PlayPayload, payload)
        stage.pause(self.s.wall(), req.position)
        return await self._announce(member, audience, stage, "stage_pause")

    async def _stage_seek(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, stage = self._host_stage(member)
        req = parse(SeekPayload, payload)
        stage.seek(req.position, self.s.wall())
        return await self._announce(member, audience, stage, "stage_seek", f"{req.position:.3f}")

    async def _stage_slide(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, stage = self._host_stage(member)
        req = parse(SlidePayload, payload)
        if req.step is not None:  # next / previous stop at the first and last slide
            count = len((stage.media or {}).get("slides") or [])
            index = min(max(stage.slide + req.step, 0), max(count - 1, 0))
        else:
            index = req.index
        stage.set_slide(index)
        return await self._announce(member, audience, stage, "stage_slide", str(index))

    async def _stage_pin(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, stage = self._host_stage(member)
        req = parse(PinPayload, payload)
        message = None
        if req.message_id is not None:
            message = await self._chat_message(audience, req.message_id)
        stage.pin(message)
        detail = None if req.message_id is None else str(req.message_id)
        return await self._announce(member, audience, stage, "stage_pin", detail)

    async def _chat_message(self, audience: Audience, message_id: int) -> dict:
        table = store.chat_messages
        q = select(table).where(
            table.c.id == message_id, table.c.audience == audience.key, table.c.deleted.is_(False)
        )
        async with self.s.moderation.engine.connect() as conn:
            row = (await conn.execute(q)).first()
        if row is None:
            raise ClientError("not_found", "no such message")
        return {
            "id": row.id,
            "member_id": row.member_id,
            "name": row.name,
            "text": row.text,
            "sent_at": store.iso(row.sent_at),
        }

    async def _stage_end(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, stage = self._host_stage(member)
        parse(p.Empty, payload)
        stage.end(self.s.wall())
        return await self._announce(member, audience, stage, "stage_end")
