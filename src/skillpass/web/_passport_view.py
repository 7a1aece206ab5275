"""What the passport, attestation, RPL and share pages share: role guards, words, the chart.

The guard checks sign-in, role and (for posts) the CSRF token, in that order, like the issuer
dashboard. Words for kinds, sources, strengths and statuses live here so every page says the same
thing. The skills-profile chart is a Vega-Lite spec (Altair) rendered to SVG on the server, like
:mod:`skillpass.web.charts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse

from skillpass.auth.models import Role, User
from skillpass.credentials.verify import Check
from skillpass.errors import AuthenticationRequired, InvalidInput
from skillpass.passport.evidence import ACCEPTED_TYPES, CheckedEvidence, check_evidence
from skillpass.passport.models import (
    AttestationStatus,
    ItemKind,
    ItemSource,
    PassportItem,
    RplStatus,
    SkillsProfile,
    Strength,
)
from skillpass.web._common import CSRF_FIELD, check_csrf, error_page, session_user
from skillpass.web._credential_view import CheckLine, check_lines

__all__ = [
    "ASSESSOR_ROLES",
    "CSRF_FAILED",
    "EMPLOYER_ROLES",
    "KIND_WORDS",
    "LEARNER_ROLES",
    "SOURCE_WORDS",
    "STRENGTH_WORDS",
    "CsrfField",
    "ItemBadge",
    "actor",
    "guard",
    "item_badge",
    "item_check_lines",
    "profile_chart_svg",
    "read_evidence_upload",
]

LEARNER_ROLES = frozenset({Role.LEARNER})
EMPLOYER_ROLES = frozenset({Role.ISSUER, Role.ADMIN})
ASSESSOR_ROLES = frozenset({Role.ASSESSOR, Role.ADMIN})

CSRF_FAILED = (
    "This form has expired or did not come from this site, so it was not accepted. "
    "Go back, reload the page and try again."
)
CsrfField = Annotated[str, Form(alias=CSRF_FIELD, max_length=200)]

KIND_WORDS: Mapping[ItemKind, str] = {
    ItemKind.CREDENTIAL: "Credential",
    ItemKind.ATTESTATION: "Workplace learning, attested by an employer",
    ItemKind.EXPERIENCE: "Self-declared experience",
}
SOURCE_WORDS: Mapping[ItemSource, str] = {
    ItemSource.CLAIMED: "issued on SkillPass",
    ItemSource.IMPORTED: "imported",
    ItemSource.ATTESTED: "signed by the employer on SkillPass",
    ItemSource.RPL: "recognition of prior learning",
    ItemSource.SELF: "declared by you",
}
STRENGTH_WORDS: Mapping[Strength, str] = {
    Strength.VERIFIED_CREDENTIAL: "Verified credential",
    Strength.EMPLOYER_ATTESTED: "Attested by an employer",
    Strength.ASSESSED_RPL: "Assessed (recognition of prior learning)",
    Strength.SELF_DECLARED: "Self-declared, not verified",
}
ATTESTATION_STATUS_WORDS: Mapping[AttestationStatus, str] = {
    AttestationStatus.REQUESTED: "waiting for the employer",
    AttestationStatus.ATTESTED: "attested",
    AttestationStatus.DECLINED: "declined",
}
RPL_STATUS_WORDS: Mapping[RplStatus, str] = {
    RplStatus.SUBMITTED: "submitted, waiting for an assessor",
    RplStatus.IN_REVIEW: "in review",
    RplStatus.MORE_INFO_REQUESTED: "the assessor asked for more",
    RplStatus.APPROVED: "approved",
    RplStatus.REJECTED: "not approved",
    RplStatus.WITHDRAWN: "withdrawn",
}
#: Strength colours, strongest first: blue, green, orange, grey (distinguishable with the
#: common colour-vision deficiencies; the table under the chart carries the same numbers).
_STRENGTH_COLOURS = ("#0b4fa8", "#1e6b34", "#c25400", "#6b6b6b")
_AREA_ROLES = {
    "passport": ("your passport", LEARNER_ROLES, "It is for learners"),
    "inbox": ("the attestation inbox", EMPLOYER_ROLES, "It is for employers' staff (issuers)"),
    "rpl": ("the RPL queue", ASSESSOR_ROLES, "It is for assessors"),
}


def _refusal(request: Request, user: User | None, area: str, *, post: bool) -> Response | None:
    name, roles, who = _AREA_ROLES[area]
    if user is None:
        if post:
            return error_page(request, 401, f"Sign in to use {name}.")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    if not user.roles & roles:
        have = ", ".join(sorted(role.value for role in user.roles)) or "none"
        need = " or ".join(sorted(role.value for role in roles))
        return error_page(
            request,
            403,
            f"You cannot open {name}. {who} (role {need}); you are signed in as "
            f"{user.display_name} with the roles: {have}. Ask an administrator if you need it.",
        )
    return None


def guard(request: Request, area: str, csrf: str | None = None) -> Response | None:
    """Sign-in, role and (when ``csrf`` is given, for posts) CSRF checks, in that order.

    Args:
        request: The request.
        area: ``passport`` (learners), ``inbox`` (issuers, admins), ``rpl`` (assessors,
            admins) or ``any`` (anyone signed in).
        csrf: The submitted CSRF token of a form post; None for a GET.

    Returns:
        None when the request may go on, else the page to answer with (a redirect to sign in,
        a 401/403 page).
    """
    post = csrf is not None
    user = session_user(request)
    if area == "any":
        if user is None:
            if post:
                return error_page(request, 401, "Sign in to do this.")
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={target}", status_code=303)
    else:
        refusal = _refusal(request, user, area, post=post)
        if refusal is not None:
            return refusal
    if post and not check_csrf(request, csrf):
        return error_page(request, 403, CSRF_FAILED)
    return None


def actor(request: Request) -> User:
    """The signed-in user, after :func:`guard` let the request through."""
    user = session_user(request)
    if user is None:  # guard runs first; never None here
        raise AuthenticationRequired("Sign in to do this.")
    return user


@dataclass(frozen=True)
class ItemBadge:
    """The verification badge of an item: ``kind`` is ``ok``, ``bad`` or ``neutral``."""

    kind: str
    mark: str
    words: str


def item_badge(item: PassportItem) -> ItemBadge:
    """Verified / not verified / self-declared, in words (the mark is decoration only)."""
    if item.verified is True:
        return ItemBadge("ok", "✓", "Verified")
    if item.verified is False:
        return ItemBadge("bad", "✗", "Not verified")
    return ItemBadge("neutral", "–", "Self-declared: not verified")


def item_check_lines(verification: Mapping[str, Any] | None) -> list[CheckLine]:
    """The checks of a kept verification report (``VerificationReport.to_dict()``) in words."""
    if not verification:
        return []
    checks = [
        Check(str(c.get("name", "")), c.get("ok"), str(c.get("detail", "")))
        for c in verification.get("checks", [])
        if isinstance(c, Mapping)
    ]
    return check_lines(checks)


def read_evidence_upload(
    filename: str | None, raw: bytes, max_bytes: int
) -> CheckedEvidence | None:
    """Check an uploaded evidence file before anything is stored (None when no file was given).

    Raises:
        InvalidInput: Empty, too large or not an accepted type.
    """
    if not filename:
        return None
    return check_evidence(filename, raw, max_bytes)


def accepted_types_words() -> str:
    """The accepted evidence types, for hints."""
    return ", ".join(ACCEPTED_TYPES.values())


def profile_chart_spec(rows: Iterable[tuple[str, Strength, int]]) -> dict[str, Any]:
    """A stacked horizontal bar chart: the profile's skills per capability area, by strength.

    Args:
        rows: (area label, strength, number of skills) triples.

    Returns:
        The Vega-Lite specification.
    """
    import altair as alt  # heavy: imported when a chart is drawn

    order = [STRENGTH_WORDS[s] for s in Strength]
    values = [
        {"area": area, "strength": STRENGTH_WORDS[strength], "rank": strength.rank, "n": n}
        for area, strength, n in rows
        if n
    ]
    chart = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            y=alt.Y("area:N", title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("sum(n):Q", title="Skills", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "strength:N",
                title="Strongest evidence",
                sort=order,
                scale=alt.Scale(domain=order, range=list(_STRENGTH_COLOURS)),
                legend=alt.Legend(orient="top", columns=2),
            ),
            order=alt.Order("rank:Q", sort="descending"),
        )
        .properties(width=420, title="Your skills by capability area and strength")
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


@lru_cache(maxsize=32)
def _chart_svg(rows: tuple[tuple[str, Strength, int], ...]) -> str:
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(profile_chart_spec(rows))
    return svg


def profile_chart_rows(profile: SkillsProfile) -> list[tuple[str, Strength, int]]:
    """(area label, strength, count) for each area, plus the skills in no STEM area."""
    rows: list[tuple[str, Strength, int]] = []
    for area in profile.areas:
        for strength in Strength:
            rows.append((area.label, strength, int(area.strongest.get(strength, 0))))
    outside = [skill for skill in profile.skills if not skill.areas]
    for strength in Strength:
        count = sum(1 for skill in outside if skill.strength is strength)
        rows.append(("Not in a STEM capability area", strength, count))
    return rows


def profile_chart_svg(profile: SkillsProfile) -> str | None:
    """The profile chart as inline SVG (cached per distinct set of numbers); None when empty."""
    rows = tuple(row for row in profile_chart_rows(profile) if row[2])
    if not rows:
        return None
    return _chart_svg(rows)


def invalid_problems(error: InvalidInput) -> list[str]:
    """The plain-words problems of an InvalidInput (its message, plus listed problems)."""
    problems = error.details.get("problems") if isinstance(error.details, Mapping) else None
    if isinstance(problems, list) and problems:
        return [str(p.get("message", p)) if isinstance(p, Mapping) else str(p) for p in problems]
    return [error.message]
