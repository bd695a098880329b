"""Accounts and roles (issue 9): who may write, checked on the server.

Roles: ``admin`` (the platform; no institution; may act for every institution),
and per institution ``editor`` (venues, collections, the programme) and ``host``
(runs shows; may not edit the programme). People hold **access tokens** made by
``zal tokens create`` (printed once, stored as sha256 in ``access_tokens``, see
server/storage/tokens.py); a browser trades one for a **session cookie** at
``POST /api/session`` (server/api/session.py).

The one guard every write calls::

    from server.auth import require_role

    principal = await require_role(request, institution_id, {"editor"})

It reads ``Authorization: Bearer <token>`` or the ``zal_session`` cookie and
returns a :class:`Principal`, or raises

- 401 ``unauthorized``: no credentials, or a wrong, expired or revoked token
  or session;
- 403 ``forbidden``: a valid principal without one of ``roles`` for
  ``institution_id`` (an editor of A writing to B; a host editing the
  programme). Admins pass for any institution and any role set.
- 403 ``cross_site``: a cookie-authenticated write (POST, PUT, PATCH, DELETE)
  that the browser says came from another site (see :mod:`server.auth.csrf`).
  Bearer requests carry no ambient credentials and skip that check.

``institution_id`` is that of the thing being written (look the thing up first
and pass its owner; a 404 for a missing thing comes before the guard). Pass
``None`` for platform-level actions: then only admins pass. ``await
current_principal(request)`` returns the principal or ``None`` without raising
for pages that only show different things to signed-in people.

The per-event host tokens (``events.host_token_hash``, the host console at
``/host/{event_id}``) are separate and keep working as before.
"""

from __future__ import annotations

from .errors import CrossSite, Forbidden, Unauthorized
from .guard import current_principal, require_role
from .principal import Principal

__all__ = [
    "CrossSite",
    "Forbidden",
    "Principal",
    "Unauthorized",
    "current_principal",
    "require_role",
]
