"""Who is asking: the token (or session) a request authenticated with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Via = Literal["bearer", "cookie"]


@dataclass(frozen=True)
class Principal:
    token_id: str
    role: str  # admin | editor | host
    institution_id: str | None  # None for admins
    via: Via

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may(self, institution_id: str | None, roles: Iterable[str]) -> bool:
        """Admins may everything; others only their own institution, in ``roles``."""
        if self.is_admin:
            return True
        return (
            institution_id is not None
            and self.institution_id == institution_id
            and self.role in set(roles)
        )

    def as_json(self) -> dict:
        return {"token_id": self.token_id, "role": self.role, "institution_id": self.institution_id}
