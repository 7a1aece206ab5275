"""Who may act for an organisation: the one check every credentials write path calls.

Defining a micro-credential, issuing (one or a batch), revoking and rotating keys all act *for*
an organisation. :func:`check_can_act` decides, in one place:

* ``actor`` None — the operator (the ``skillpass`` CLI, scripts with the database): allowed;
* a user with the ``admin`` role: allowed for every organisation;
* a user with the ``issuer`` role who is a member of the organisation (``organisation_members``,
  kept with ``skillpass issuer add-member``): allowed;
* anyone else: :class:`~skillpass.errors.PermissionDenied`, naming the organisation and how to
  get access.

Adapters that act for a signed-in person (HTTP API, web UI) always pass that person.
"""

from __future__ import annotations

from skillpass.auth.models import Role, User
from skillpass.credentials.membership_repository import MembershipRepository
from skillpass.errors import PermissionDenied

__all__ = ["check_can_act"]


def check_can_act(actor: User | None, issuer_id: str, members: MembershipRepository) -> None:
    """Check that ``actor`` may define, issue, revoke or rotate keys for the organisation.

    Args:
        actor: The signed-in user, or None for the operator (CLI).
        issuer_id: The organisation's public id.
        members: Membership storage.

    Raises:
        NotFound: No such organisation.
        PermissionDenied: The actor is neither an admin nor an issuer who is a member; the
            message names the organisation and how to get access.
    """
    if actor is None or Role.ADMIN in actor.roles:
        members.organisation_name(issuer_id)  # NotFound for an unknown organisation
        return
    name = members.organisation_name(issuer_id)
    hint = f"ask an admin to run `skillpass issuer add-member {issuer_id} {actor.email}`"
    if Role.ISSUER not in actor.roles:
        raise PermissionDenied(
            f"Acting for {name} ({issuer_id}) needs the issuer role and membership of the "
            f"organisation: ask an admin to run `skillpass admin set-roles {actor.email} "
            f"--role issuer` and `skillpass issuer add-member {issuer_id} {actor.email}`.",
            details={"issuer": issuer_id, "needed": ["issuer", "admin"]},
        )
    if members.get(issuer_id, actor.public_id) is None:
        raise PermissionDenied(
            f"You are not a member of {name} ({issuer_id}), so you may not define, issue or "
            f"revoke credentials for it. To get access, {hint}.",
            details={"issuer": issuer_id},
        )
