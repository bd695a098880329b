"""``audience_overview``: the host console's view of an event's audience.

Every instance of the event in this process with its members (name, seat, host,
muted), so a host sees where people are and who to moderate without walking
through each instance. Host-only, like the moderation events; per process (with
several processes behind Redis each answers for its own instances, issue 14).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import protocol as p
from .audience import Audience, Member
from .protocol import ClientError, ok, parse

if TYPE_CHECKING:
    from .namespace import Services


def overview(audience: Audience) -> dict[str, Any]:
    instances = []
    for index in sorted(audience.instances):
        instance = audience.instances[index]
        people = sorted(instance.members(), key=lambda m: (not m.is_host, m.name.casefold()))
        members = [
            {
                "id": m.id,
                "name": m.name,
                "seat": m.seat,
                "host": m.is_host,
                "assistant": m.is_assistant,
                "muted": m.id in audience.muted,
            }
            for m in people
        ]
        instances.append({**instance.describe(), "count": len(members), "members": members})
    return {"total": sum(i["count"] for i in instances), "instances": instances}


class AudienceOverview:
    s: Services

    async def _audience_overview(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience = member.audience
        if audience is None:
            raise ClientError("not_joined", "join an event first")
        if not member.is_host:
            raise ClientError("forbidden", "only a host of this event may do that")
        parse(p.Empty, payload)
        return ok(**overview(audience))
