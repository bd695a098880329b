"""Q&A events of the ``/live`` namespace (a mixin of :class:`.namespace.LiveNamespace`).

Residents ask (``qa_ask``) and vote (``qa_vote``, once per member and question,
checked by the database's own key); hosts switch Q&A on, may require approval,
approve or reject, merge duplicates, put one question on the board and mark it
answered (``qa_*``, every one recorded in the moderation log with the actor's
role). An **assistant host** (a member who joined with the event's assistant host
link, server/api/assistants.py) may do the moderation (approve, reject, merge, the
board, answers) but not switch Q&A on or off or require approval; its token is
checked again on each action, so a revoked link stops it at once. State lives in
the database (server/storage/questions.py), so a reconnect, another process or a
restart sees the same questions and votes.

Who sees what: questions the hall may see go to the event's audience room as
``question`` (the asker's name left out when anonymous, member ids never); a
question waiting for approval goes only to the moderators' room (hosts and
assistants) and to its asker. Moderators always see who asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from ..storage import questions as repo
from . import protocol as p
from . import store
from .audience import Audience, Member
from .protocol import ClientError, _Payload, ok, parse
from .text_safety import safe_chat

if TYPE_CHECKING:
    from .namespace import Services

QUESTION_MAX = 300
ANSWER_MAX = 1000
QuestionId = Annotated[int, Field(ge=1, le=2**62)]


class AskPayload(_Payload):
    text: Annotated[str, StringConstraints(max_length=4 * QUESTION_MAX)]
    anonymous: bool = False

    @model_validator(mode="after")
    def _text(self) -> AskPayload:
        object.__setattr__(self, "text", safe_chat(self.text, QUESTION_MAX))
        return self


class VotePayload(_Payload):
    question_id: QuestionId
    up: bool = True


class QuestionTarget(_Payload):
    question_id: QuestionId


class MergePayload(_Payload):
    question_id: QuestionId
    into_id: QuestionId


class StagePayload(_Payload):
    question_id: QuestionId | None


class AnswerPayload(_Payload):
    question_id: QuestionId
    answer: Annotated[str, StringConstraints(max_length=4 * ANSWER_MAX)] | None = None

    @model_validator(mode="after")
    def _answer(self) -> AnswerPayload:
        if self.answer is not None and self.answer.strip():
            object.__setattr__(self, "answer", safe_chat(self.answer, ANSWER_MAX))
        else:
            object.__setattr__(self, "answer", None)
        return self


class SettingsPayload(_Payload):
    enabled: bool | None = None
    moderated: bool | None = None


def hall_view(q: dict[str, Any]) -> dict[str, Any]:
    """A question as the hall sees it: no member id, no name when anonymous."""
    return {
        "id": q["id"],
        "name": None if q["anonymous"] else q["name"],
        "text": q["text"],
        "status": q["status"],
        "votes": q["votes"],
        "merged_into": q["merged_into"],
        "answer": q["answer"],
        "asked_at": q["asked_at"],
    }


def hosts_room(audience: Audience) -> str:
    return f"{audience.room}:hosts"


def qa_room(audience: Audience) -> str:
    """Those who moderate the questions: hosts and assistant hosts."""
    return f"{audience.room}:qa"


class QaEvents:
    s: Services

    if TYPE_CHECKING:  # provided by socketio.AsyncNamespace

        async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None: ...

        async def leave_room(self, sid: str, room: str, namespace: str | None = None) -> None: ...

    def qa_handlers(self) -> dict[str, Callable]:
        return {
            p.QA_ASK: self._qa_ask,
            p.QA_VOTE: self._qa_vote,
            p.QA_SETTINGS: self._qa_settings,
            p.QA_APPROVE: self._qa_approve,
            p.QA_REJECT: self._qa_reject,
            p.QA_MERGE: self._qa_merge,
            p.QA_STAGE: self._qa_stage,
            p.QA_ANSWER: self._qa_answer,
        }

    @property
    def _engine(self):
        return self.s.moderation.engine

    async def qa_welcome(self, member: Member, audience: Audience) -> dict[str, Any] | None:
        """The ``qa`` field of the join ack: settings, the questions this member may
        see (hosts: all open ones, with who asked), and the ids it voted for."""
        event_id = audience.event_id
        if event_id is None:
            return None
        state = await self._qa_state(event_id)
        shown = await repo.of_event(self._engine, event_id, repo.SHOWN)
        if member.is_host or member.is_assistant:
            pending = await repo.of_event(self._engine, event_id, ("pending",))
            questions = pending + shown
        else:
            own = await repo.pending_of(self._engine, event_id, member.id)
            questions = [hall_view(q) for q in own + shown]
        voted = await repo.votes_of(self._engine, event_id, member.id)
        return {**state, "questions": questions, "voted": voted}

    async def _qa_state(self, event_id: str) -> dict[str, Any]:
        session = await repo.session(self._engine, event_id)
        on_stage = None
        if session["on_stage"] is not None:
            q = await repo.get(self._engine, event_id, session["on_stage"])
            on_stage = hall_view(q) if q else None
        return {
            "enabled": session["enabled"],
            "moderated": session["moderated"],
            "on_stage": on_stage,
        }

    # -- residents ----------------------------------------------------------------
    def _event_audience(self, member: Member) -> tuple[Audience, str]:
        audience = member.audience
        if audience is None:
            raise ClientError("not_joined", "join an event first")
        if audience.event_id is None:
            raise ClientError("qa_closed", "questions are asked at an event, not in a venue")
        return audience, audience.event_id

    async def _qa_ask(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, event_id = self._event_audience(member)
        req = parse(AskPayload, payload)
        session = await repo.session(self._engine, event_id)
        if not session["enabled"]:
            raise ClientError("qa_closed", "questions are not open for this event")
        if member.id in audience.muted:
            raise ClientError("muted", "the host muted you")
        bucket = member.limits.chat  # a question costs like a chat line
        if not bucket.take(now):
            raise ClientError("rate_limited", "too many questions", bucket.retry_after(now))
        pending = session["moderated"] and not (member.is_host or member.is_assistant)
        q = await repo.ask(
            self._engine, event_id, member.id, member.name, req.text,
            anonymous=req.anonymous, pending=pending,
        )  # fmt: skip
        await self._publish(audience, q, asker_sid=sid)
        return ok(question=hall_view(q))

    async def _qa_vote(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, event_id = self._event_audience(member)
        req = parse(VotePayload, payload)
        if not member.limits.react.take(now):
            raise ClientError(
                "rate_limited", "too many votes", member.limits.react.retry_after(now)
            )
        q = await repo.get(self._engine, event_id, req.question_id)
        if q is None or q["status"] != "visible":
            raise ClientError("not_found", "no such open question")
        votes = await repo.vote(self._engine, q["id"], member.id, req.up)
        if votes != q["votes"]:
            await self._publish(audience, {**q, "votes": votes})
        return ok(question_id=q["id"], votes=votes, voted=req.up)

    # -- hosts --------------------------------------------------------------------
    def _host(self, member: Member) -> tuple[Audience, str]:
        audience, event_id = self._event_audience(member)
        if not member.is_host:
            raise ClientError("forbidden", "only a host of this event may do that")
        return audience, event_id

    async def _moderator(self, member: Member) -> tuple[Audience, str]:
        """A host, or an assistant host whose link still holds (else ``forbidden``)."""
        audience, event_id = self._event_audience(member)
        if member.is_host:
            return audience, event_id
        token = member.assistant_token
        if member.is_assistant and token is not None:
            if await self.s.directory.token_role(event_id, token) == "assistant":
                return audience, event_id
            member.assistant_of = member.assistant_token = None  # the link was revoked
            if member.sid is not None:  # no more pending questions either
                await self.leave_room(member.sid, qa_room(audience))
        raise ClientError("forbidden", "only a host or assistant host of this event may do that")

    async def _question(self, event_id: str, question_id: int) -> dict[str, Any]:
        q = await repo.get(self._engine, event_id, question_id)
        if q is None:
            raise ClientError("not_found", "no such question in this event")
        return q

    async def _record(self, member: Member, audience: Audience, action: str, detail: str) -> None:
        await store.record_action(
            self._engine, audience.key, member.id, member.name, action, None, detail,
            role=member.role,
        )  # fmt: skip

    async def _qa_settings(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, event_id = self._host(member)
        req = parse(SettingsPayload, payload)
        changes = {k: v for k, v in (("enabled", req.enabled), ("moderated", req.moderated))
                   if v is not None}  # fmt: skip
        await repo.set_session(self._engine, event_id, **changes)
        await self._record(member, audience, "qa_settings", repr(sorted(changes.items())))
        return ok(qa=await self._announce_state(audience, event_id))

    async def _qa_approve(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        return await self._move(member, payload, "visible", ("pending",), "qa_approve")

    async def _qa_reject(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        return await self._move(member, payload, "rejected", ("pending", "visible"), "qa_reject")

    async def _move(self, member: Member, payload: Any, status: str, sources: tuple[str, ...],
                    action: str) -> dict:  # fmt: skip
        audience, event_id = await self._moderator(member)
        req = parse(QuestionTarget, payload)
        q = await self._question(event_id, req.question_id)
        if q["status"] not in sources:
            raise ClientError("invalid_payload", f"the question is {q['status']}")
        q = await repo.set_status(self._engine, q["id"], status)
        await self._record(member, audience, action, str(q["id"]))
        await self._publish(audience, q)
        await self._off_stage_if(audience, event_id, q["id"])
        return ok(question=q)

    async def _qa_merge(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, event_id = await self._moderator(member)
        req = parse(MergePayload, payload)
        if req.question_id == req.into_id:
            raise ClientError("invalid_payload", "a question cannot be merged into itself")
        duplicate = await self._question(event_id, req.question_id)
        into = await self._question(event_id, req.into_id)
        open_ = ("pending", "visible")
        if duplicate["status"] not in open_ or into["status"] not in (*open_, "answered"):
            raise ClientError("invalid_payload", "only open questions are merged")
        duplicate, into = await repo.merge(self._engine, duplicate["id"], into["id"])
        await self._record(member, audience, "qa_merge", f"{duplicate['id']}->{into['id']}")
        await self._publish(audience, duplicate)
        await self._publish(audience, into)
        await self._off_stage_if(audience, event_id, duplicate["id"])
        return ok(question=duplicate, into=into)

    async def _qa_stage(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, event_id = await self._moderator(member)
        req = parse(StagePayload, payload)
        if req.question_id is not None:
            q = await self._question(event_id, req.question_id)
            if q["status"] not in repo.SHOWN:
                raise ClientError("invalid_payload", f"the question is {q['status']}")
        await repo.set_session(self._engine, event_id, on_stage=req.question_id)
        await self._record(member, audience, "qa_stage", str(req.question_id))
        return ok(qa=await self._announce_state(audience, event_id))

    async def _qa_answer(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, event_id = await self._moderator(member)
        req = parse(AnswerPayload, payload)
        q = await self._question(event_id, req.question_id)
        if q["status"] not in ("visible", "answered"):
            raise ClientError("invalid_payload", f"the question is {q['status']}")
        q = await repo.set_status(self._engine, q["id"], "answered", answer=req.answer)
        await self._record(member, audience, "qa_answer", str(q["id"]))
        await self._publish(audience, q)
        return ok(question=q)

    # -- broadcasting ---------------------------------------------------------------
    async def _publish(self, audience: Audience, q: dict[str, Any], asker_sid: str | None = None):
        """The question to whoever may see it: the hall when shown (or taken out
        of it), else the moderators and the asker."""
        if q["status"] == "pending":
            await self.emit(p.QUESTION, q, room=qa_room(audience))
            if asker_sid is not None:
                await self.emit(p.QUESTION, hall_view(q), to=asker_sid)
            return
        # the moderators first get who asked (to invite the asker to speak, say), then
        # the hall's copy like everyone: the client keeps the asker from the first
        await self.emit(p.QUESTION, q, room=qa_room(audience))
        await self.emit(p.QUESTION, hall_view(q), room=audience.room)

    async def _announce_state(self, audience: Audience, event_id: str) -> dict[str, Any]:
        state = await self._qa_state(event_id)
        await self.emit(p.QA_STATE, state, room=audience.room)
        return state

    async def _off_stage_if(self, audience: Audience, event_id: str, question_id: int) -> None:
        """A question rejected or merged leaves the board."""
        session = await repo.session(self._engine, event_id)
        if session["on_stage"] == question_id:
            q = await repo.get(self._engine, event_id, question_id)
            if q is None or q["status"] not in repo.SHOWN:
                await repo.set_session(self._engine, event_id, on_stage=None)
                await self._announce_state(audience, event_id)

    async def qa_member_removed(self, audience: Audience, member_id: str) -> None:
        """A removed member's votes go (the counts the hall sees change)."""
        if audience.event_id is None:
            return
        for q in await repo.drop_votes_of(self._engine, audience.event_id, member_id):
            await self._publish(audience, q)
