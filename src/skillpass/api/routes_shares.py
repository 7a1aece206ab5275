"""HTTP routes for share links and verifiable presentations (``/api/v1/shares/...``).

The learner (role ``learner``) creates, lists and revokes shares of chosen passport items. The
link's token is shown once, when the share is made. Whoever has the link opens it without an
account: ``GET /api/v1/shares/{token}`` shows the items re-verified now, and
``GET /api/v1/shares/{token}/presentation?challenge=…&domain=…`` returns a verifiable
presentation signed with the learner's holder key, bound to the verifier's challenge and domain
(check it with ``POST /api/v1/verify``). Revoked, expired and unknown links answer 404. Each
opening is logged (kind, a coarse client name, domain, time — never an IP address) and shown
to the learner.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from pydantic import BaseModel, Field

from skillpass.api.deps import AppDep, require_roles
from skillpass.api.routes_passport import PassportItemPublic
from skillpass.auth.models import Role, User
from skillpass.passport.models import Share, ShareAccess, SharedView
from skillpass.passport.shares import MAX_SHARE_DAYS

__all__ = ["ShareCreate", "SharePublic", "SharedViewPublic", "coarse_client", "router"]

router = APIRouter(tags=["shares"])

LearnerUser = Annotated[User, Depends(require_roles(Role.LEARNER))]
Token = Annotated[
    str, Path(min_length=16, max_length=128, description="The secret token of the link.")
]
_NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
_PRODUCT = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,39}")


def coarse_client(user_agent: str | None) -> str | None:
    """A coarse client name from a User-Agent (``browser``, ``curl``, ``python-httpx``, …),
    without versions or platform details, so the access log identifies no one."""
    if not user_agent:
        return None
    if user_agent.startswith("Mozilla/"):
        return "browser"
    match = _PRODUCT.match(user_agent.strip())
    return match.group(0).lower() if match else None


class ShareCreate(BaseModel):
    """What to share, and for how long."""

    item_ids: list[str] = Field(
        min_length=1, max_length=200, description="Passport item ids, in the order to show."
    )
    label: str = Field(min_length=1, max_length=200, examples=["Application to Voltcell AB"])
    expires_at: datetime | None = Field(
        default=None, description="When the link stops working (overrides expires_in_days)."
    )
    expires_in_days: int | None = Field(
        default=30, ge=1, le=MAX_SHARE_DAYS, description=f"1 to {MAX_SHARE_DAYS} days."
    )


class SharePublic(BaseModel):
    """A share link; ``url`` and ``token`` are only present in the answer that made it."""

    id: str
    label: str
    item_ids: list[str]
    expires_at: datetime
    revoked_at: datetime | None
    created_at: datetime
    active: bool = Field(description="Neither revoked nor expired now.")
    url: str | None = Field(description="The link to give away; shown once.")
    token: str | None = Field(description="The secret in the link; shown once.")
    accesses: list[ShareAccess] = Field(description="Every opening: kind, client, domain, time.")

    @classmethod
    def from_share(cls, share: Share, now: datetime) -> SharePublic:
        """Render a share."""
        return cls.model_validate({**share.model_dump(), "active": share.active(now)})


class SharedViewPublic(BaseModel):
    """What a verifier sees: the shared items, each verified again just now."""

    share_id: str
    label: str
    holder_name: str  # personal data
    holder_did: str | None
    expires_at: datetime
    items: list[PassportItemPublic]
    presentation_url: str = Field(
        description="Ask for a signed presentation here with ?challenge=…&domain=…"
    )

    @classmethod
    def from_view(cls, view: SharedView, token: str) -> SharedViewPublic:
        """Render a shared view."""
        return cls(
            share_id=view.share_id,
            label=view.label,
            holder_name=view.holder_name,
            holder_did=view.holder_did,
            expires_at=view.expires_at,
            items=[PassportItemPublic.from_item(item) for item in view.items],
            presentation_url=f"/api/v1/shares/{token}/presentation",
        )


def _now() -> datetime:
    return datetime.now(UTC)


@router.post(
    "/shares",
    response_model=SharePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Share chosen passport items (learner)",
)
def create_share(body: ShareCreate, app: AppDep, user: LearnerUser) -> SharePublic:
    """Make a link to the chosen items that expires (30 days by default, at most 365). The
    answer carries ``url`` and ``token`` once: keep them. 404 when an item is not in the
    caller's passport; 422 for an expiry in the past or too far ahead."""
    share = app.shares.create(
        user,
        body.item_ids,
        body.label,
        expires_at=body.expires_at,
        expires_in_days=None if body.expires_at is not None else body.expires_in_days,
    )
    return SharePublic.from_share(share, _now())


@router.get(
    "/shares",
    response_model=list[SharePublic],
    summary="My shares with their access logs (learner)",
)
def list_shares(app: AppDep, user: LearnerUser) -> list[SharePublic]:
    """The caller's shares, newest first, each with every opening (kind, client, domain, time)."""
    now = _now()
    return [SharePublic.from_share(share, now) for share in app.shares.list_shares(user)]


@router.post(
    "/shares/{share_id}/revoke",
    response_model=SharePublic,
    summary="Stop a share now (learner)",
)
def revoke_share(
    share_id: Annotated[str, Path(max_length=64)], app: AppDep, user: LearnerUser
) -> SharePublic:
    """The link answers 404 from now on. 404 when it is not the caller's share."""
    return SharePublic.from_share(app.shares.revoke(user, share_id), _now())


@router.get(
    "/shares/{token}",
    response_model=SharedViewPublic,
    summary="Open a share link (public, no account)",
)
def open_share(token: Token, request: Request, app: AppDep, response: Response) -> SharedViewPublic:
    """The shared items, each verified again now (revocation and expiry show). 404 when the
    link is unknown, revoked or expired (the message says which; the learner can make a new
    one). The opening is logged for the learner."""
    view = app.shares.open(token, client=coarse_client(request.headers.get("user-agent")))
    response.headers.update(_NO_STORE)
    return SharedViewPublic.from_view(view, token)


@router.get(
    "/shares/{token}/presentation",
    summary="A holder-signed verifiable presentation of a share (public, no account)",
    response_class=Response,
    responses={200: {"content": {"application/ld+json": {}}}},
)
def share_presentation(
    token: Token,
    request: Request,
    app: AppDep,
    challenge: Annotated[
        str,
        Query(
            min_length=1,
            max_length=512,
            description="Your nonce; the proof binds it, so a replayed presentation fails.",
        ),
    ],
    domain: Annotated[
        str,
        Query(
            min_length=1,
            max_length=512,
            description="Your domain (who the presentation is for); the proof binds it.",
        ),
    ],
) -> Response:
    """A W3C verifiable presentation of the shared credentials, signed with the learner's
    holder key (Data Integrity ``eddsa-rdfc-2022``, proof purpose ``authentication``) over your
    ``challenge`` and ``domain``. Verify it with ``POST /api/v1/verify``. 404 as for opening
    the link."""
    presentation = app.shares.presentation(
        token, challenge, domain, client=coarse_client(request.headers.get("user-agent"))
    )
    return Response(
        json.dumps(presentation, ensure_ascii=False, indent=2),
        media_type="application/ld+json",
        headers=_NO_STORE,
    )
