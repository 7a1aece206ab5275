"""The issuer dashboard: organisations, micro-credential definitions, issuing and revoking.

Signed-in users with the ``issuer`` or ``admin`` role only; others get a friendly 403 page, and
people who are not signed in are sent to the sign-in page. Every form that changes data posts the
session's CSRF token.

An issuer sees and acts for only the organisations they are a member of (an admin for all):
every page and form of an organisation, definition or credential passes the signed-in user to
the services, whose one check
(:meth:`~skillpass.credentials.issuers.IssuerService.check_can_act`) answers a 403 page naming
the organisation and how to get access. Creating an organisation makes its creator a member.
Each route calls one service of :class:`skillpass.app.SkillPass` (issuers, achievements,
credentials, matching, taxonomy). The skill picker of the definition form ranks ESCO skills for
each outcome with the matching engine (scores shown) and falls back to the label search.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.credentials.records import CREDENTIAL_FORMATS, IssuerKind
from skillpass.errors import AuthenticationRequired, InvalidInput, TaxonomyNotLoaded
from skillpass.taxonomy.models import ConceptType
from skillpass.web._achievement_form import (
    MAX_BODIES,
    MAX_OUTCOMES,
    OPTIONS,
    DefinitionForm,
    OutcomeRow,
    definition_data,
    field_errors,
    form_from_post,
    initial_form,
)
from skillpass.web._common import (
    CSRF_FIELD,
    HtmlRoute,
    WebApp,
    check_csrf,
    error_page,
    render,
    session_user,
)
from skillpass.web._credential_view import FORMAT_NAMES, SkillLink, credential_slug, plain
from skillpass.web.matching_pages import lexical_matching_ready

__all__ = ["SUGGESTION_LIMIT", "router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)
_log = logging.getLogger(__name__)

#: ESCO skills suggested per learning outcome.
SUGGESTION_LIMIT = 8
#: Seconds the picker waits for the matching engine's lexical index before using the label
#: search. The server loads it at startup (about 3 s from the cache; about 15 s to build it on
#: the full ESCO, first start only), so a click rarely finds it missing; waiting longer would only
#: delay the label search.
MATCHING_WAIT_SECONDS = 1.0
#: Shown above matches ranked by the lexical index alone while the embeddings are built.
LEXICAL_NOTE = (
    "Ranked by the lexical index (the words of skill names and descriptions) while the semantic "
    "index is being prepared (first start only). Suggestions get better once it is ready."
)
#: Shown above label-search results when the matching engine is not ready at all.
SEARCH_NOTE = (
    "These come from a plain label search: the skill matcher is still being prepared (first "
    "start only). Press “Suggest ESCO skills” again in a moment for ranked matches."
)
_ROLES = frozenset({Role.ISSUER, Role.ADMIN})
_CSRF_FAILED = (
    "This form has expired or did not come from this site, so it was not accepted. "
    "Go back, reload the page and try again."
)
_KIND_CHOICES = [(kind.value, plain(kind.value)) for kind in IssuerKind]
CsrfField = Annotated[str, Form(alias=CSRF_FIELD, max_length=200)]


def _refusal(request: Request, user: User | None, *, post: bool = False) -> Response | None:
    """None when the user may use the dashboard, else the page to answer with."""
    if user is None:
        if post:
            return error_page(request, 401, "Sign in as an issuer to do this.")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    if not user.roles & _ROLES:
        roles = ", ".join(sorted(role.value for role in user.roles)) or "none"
        return error_page(
            request,
            403,
            f"The issuer dashboard is for issuers and administrators. You are signed in as "
            f"{user.display_name} with the roles: {roles}. Ask an administrator for the issuer "
            "role if you issue credentials for an organisation.",
        )
    return None


def _actor(request: Request) -> User:
    """The signed-in user, after :func:`_guard` let the request through."""
    user = session_user(request)
    if user is None:  # _guard runs first; never None here
        raise AuthenticationRequired("Sign in as an issuer to do this.")
    return user


def _guard(request: Request, csrf: str | None = None) -> Response | None:
    """Sign-in, role and (for posts) CSRF checks, in that order."""
    post = csrf is not None
    refusal = _refusal(request, session_user(request), post=post)
    if refusal is not None:
        return refusal
    if post and not check_csrf(request, csrf):
        return error_page(request, 403, _CSRF_FAILED)
    return None


# --- the dashboard and organisations ----------------------------------------------------------


def _dashboard(
    request: Request,
    skillpass: SkillPass,
    *,
    org: dict[str, str] | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    user = _actor(request)
    issuers = skillpass.issuers.organisations_for(user)
    counts = {i.id: len(skillpass.achievements.list_achievements(i.id)) for i in issuers}
    return render(
        request,
        "issuer_dashboard.html",
        {
            "title": "Issuer dashboard",
            "issuers": issuers,
            "counts": counts,
            "kinds": _KIND_CHOICES,
            "org": org or {},
            "problem": problem,
            "is_admin": Role.ADMIN in user.roles,
            "user_email": user.email,
        },
        status_code=status_code,
    )


@router.get("/issuer")
def dashboard(request: Request, skillpass: WebApp) -> Response:
    """The organisations the signed-in issuer may act for (every one for an admin), and a form
    to add one."""
    return _guard(request) or _dashboard(request, skillpass)


@router.post("/issuer/organisations")
def create_organisation(
    request: Request,
    skillpass: WebApp,
    csrf_token: CsrfField = "",
    name: Annotated[str, Form(max_length=300)] = "",
    country: Annotated[str, Form(max_length=10)] = "",
    kind: Annotated[str, Form(max_length=40)] = "",
    region: Annotated[str, Form(max_length=16)] = "",
    contact_email: Annotated[str, Form(max_length=320)] = "",
    url: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Create an issuing organisation (with a fresh signing key) and open its page; an issuer
    who creates it becomes its member."""
    refusal = _guard(request, csrf_token)
    if refusal is not None:
        return refusal
    values = {
        "name": name,
        "country": country,
        "kind": kind,
        "region": region,
        "contact_email": contact_email,
        "url": url,
    }
    try:
        issuer = skillpass.issuers.create(
            name=name,
            country=country,
            kind=kind or "-",
            region=region or None,
            contact_email=contact_email or None,
            url=url or None,
            actor=_actor(request),
        )
    except InvalidInput as error:
        return _dashboard(request, skillpass, org=values, problem=error.message, status_code=422)
    return RedirectResponse(f"/issuer/{issuer.id}", status_code=303)


def _organisation_page(
    request: Request,
    skillpass: SkillPass,
    org_id: str,
    *,
    revoke_problem: tuple[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    skillpass.issuers.check_can_act(_actor(request), org_id)
    issuer = skillpass.issuers.get(org_id)
    credentials = skillpass.credentials.list_credentials(issuer_id=org_id, limit=100)
    achievements = skillpass.achievements.list_achievements(org_id)
    titles = {a.id: a.title for a in achievements}
    return render(
        request,
        "issuer_organisation.html",
        {
            "title": issuer.legal_name,
            "issuer": issuer,
            "achievements": achievements,
            "credentials": credentials,
            "titles": titles,
            "slug": credential_slug,
            "format_names": FORMAT_NAMES,
            "revoke_problem": revoke_problem,
            "revoked": request.query_params.get("revoked"),
        },
        status_code=status_code,
    )


@router.get("/issuer/{org_id}")
def organisation(request: Request, skillpass: WebApp, org_id: str) -> Response:
    """One organisation: its definitions (with issue links) and issued credentials."""
    return _guard(request) or _organisation_page(request, skillpass, org_id)


@router.post("/issuer/credentials/{credential_id}/revoke")
def revoke(
    request: Request,
    skillpass: WebApp,
    credential_id: str,
    csrf_token: CsrfField = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Revoke a credential (a reason is required); verification fails on status at once."""
    refusal = _guard(request, csrf_token)
    if refusal is not None:
        return refusal
    actor = _actor(request)
    stored = skillpass.credentials.get_for(credential_id, actor)
    if not reason.strip():
        return _organisation_page(
            request,
            skillpass,
            stored.issuer_id,
            revoke_problem=(
                stored.id,
                "Give a reason for the revocation: it is kept with the credential's record.",
            ),
            status_code=422,
        )
    skillpass.credentials.revoke(stored.id, reason, actor=actor)
    return RedirectResponse(
        f"/issuer/{stored.issuer_id}?revoked={credential_slug(stored.id)}#credentials",
        status_code=303,
    )


# --- defining a micro-credential --------------------------------------------------------------


def _suggest(skillpass: SkillPass, row: OutcomeRow) -> None:
    """Fill a row's suggestions from its search words, else from its outcome text.

    The matching engine ranks ESCO skills for the text and gives each a calibrated score; while
    its embeddings are still being built (minutes, on the first start) its lexical index ranks
    them alone, with a note saying so. The label search answers instead when the engine cannot
    (no index loaded yet, or an error), so the picker always works and never waits more than
    :data:`MATCHING_WAIT_SECONDS`. The issuer still ticks what applies.
    """
    words = row.query or row.text
    row.suggested = True
    if not words:
        row.suggestion_problem = "Write the outcome (or a few search words) first."
        return
    chosen = {skill.uri for skill in row.selected}
    if lexical_matching_ready(skillpass, MATCHING_WAIT_SECONDS):
        try:
            found = skillpass.matching.match_skills_now(
                words[:1000], top=SUGGESTION_LIMIT + len(chosen)
            )
        except TaxonomyNotLoaded:
            pass  # the label search below says how to import ESCO
        except Exception:  # suggestions fall back to the label search
            _log.warning("skill matching failed; suggesting from the label search", exc_info=True)
        else:
            fresh = [m for m in found.matches if m.uri not in chosen][:SUGGESTION_LIMIT]
            row.suggestions = [SkillLink(m.uri, m.label) for m in fresh]
            row.scores = {m.uri: m.score for m in fresh}
            row.matched_by = "matching"
            row.suggestion_note = LEXICAL_NOTE if found.semantic_pending else None
            return
    else:
        row.suggestion_note = SEARCH_NOTE
    try:
        hits = skillpass.taxonomy.search(
            words[:500], concept_type=ConceptType.SKILL, limit=SUGGESTION_LIMIT
        )
    except TaxonomyNotLoaded:
        row.suggestion_note = None
        row.suggestion_problem = (
            "No ESCO taxonomy is imported, so no skills can be suggested. An administrator can "
            "import it with `skillpass taxonomy import PATH`."
        )
        return
    except InvalidInput as error:
        row.suggestion_note = None
        row.suggestion_problem = error.message
        return
    row.suggestions = [SkillLink(h.uri, h.label) for h in hits if h.uri not in chosen]
    row.matched_by = "search"


def _define_page(
    request: Request,
    skillpass: SkillPass,
    org_id: str,
    form: DefinitionForm,
    status_code: int = 200,
) -> Response:
    skillpass.issuers.check_can_act(_actor(request), org_id)
    issuer = skillpass.issuers.get(org_id)
    return render(
        request,
        "issuer_define.html",
        {
            "title": "Define a micro-credential",
            "issuer": issuer,
            "form": form,
            "options": OPTIONS,
            "max_outcomes": MAX_OUTCOMES,
            "max_bodies": MAX_BODIES,
        },
        status_code=status_code,
    )


@router.get("/issuer/{org_id}/define")
def define_form(request: Request, skillpass: WebApp, org_id: str) -> Response:
    """The definition form with every Annex I element and an ESCO skill picker per outcome."""
    refusal = _guard(request)
    if refusal is not None:
        return refusal
    skillpass.issuers.check_can_act(_actor(request), org_id)
    return _define_page(request, skillpass, org_id, initial_form(skillpass.issuers.get(org_id)))


@router.post("/issuer/{org_id}/define")
async def define_submit(request: Request, skillpass: WebApp, org_id: str) -> Response:
    """Save the definition, or (without JavaScript) add a row or suggest skills for an outcome.

    The button pressed is the ``action`` field: ``save``, ``add_outcome``, ``add_body`` or
    ``suggest_N``. Problems found by the Annex I model are shown next to their fields.
    """
    posted = await request.form()
    values = {key: str(value)[:20_000] for key, value in posted.items() if isinstance(value, str)}
    refusal = _guard(request, values.get(CSRF_FIELD, ""))
    if refusal is not None:
        return refusal
    skillpass.issuers.check_can_act(_actor(request), org_id)
    lists = {key: [str(v) for v in posted.getlist(key)] for key in posted if "_skill" in key}
    form = form_from_post(values, lists)
    action = values.get("action", "save")
    if action == "add_outcome" and len(form.outcomes) < MAX_OUTCOMES:
        form.outcomes.append(OutcomeRow())
        return _define_page(request, skillpass, org_id, form)
    if action == "add_body" and len(form.bodies) < MAX_BODIES:
        form.bodies.append({"name": "", "country": "", "region": "", "url": ""})
        return _define_page(request, skillpass, org_id, form)
    if action.startswith("suggest_") and action[8:].isdigit():
        number = int(action[8:])
        if number < len(form.outcomes):
            _suggest(skillpass, form.outcomes[number])
        return _define_page(request, skillpass, org_id, form)
    data, body_rows, outcome_rows = definition_data(form)
    try:
        record = skillpass.achievements.create(org_id, data, actor=_actor(request))
    except InvalidInput as error:
        problems = error.details.get("problems") or [{"element": "", "problem": error.message}]
        field_errors(form, problems, body_rows, outcome_rows)
        return _define_page(request, skillpass, org_id, form, status_code=422)
    return RedirectResponse(f"/issuer/achievements/{record.id}/issue?new=1", status_code=303)


@router.get("/issuer/skills/suggest")
def suggest_skills(
    request: Request,
    skillpass: WebApp,
    outcome: Annotated[int, Query(ge=0, lt=MAX_OUTCOMES)] = 0,
) -> Response:
    """htmx fragment: ESCO skills suggested for one outcome's text (or its search words)."""
    refusal = _guard(request)
    if refusal is not None:
        return refusal
    params = request.query_params
    row = OutcomeRow(
        text=params.get(f"outcome_{outcome}_text", "")[:2000].strip(),
        query=params.get(f"outcome_{outcome}_query", "")[:200].strip(),
    )
    _suggest(skillpass, row)
    return render(request, "issuer_skill_suggestions.html", {"row": row, "i": outcome})


# --- issuing ----------------------------------------------------------------------------------


def _issue_page(
    request: Request,
    skillpass: SkillPass,
    achievement_id: str,
    values: dict[str, str] | None = None,
    problem: tuple[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    record = skillpass.achievements.get(achievement_id)
    skillpass.issuers.check_can_act(_actor(request), record.issuer_id)
    issuer = skillpass.issuers.get(record.issuer_id)
    return render(
        request,
        "issuer_issue.html",
        {
            "title": f"Issue: {record.title}",
            "record": record,
            "issuer": issuer,
            "values": values or {"format": "ob3"},
            "formats": [(f, FORMAT_NAMES[f]) for f in CREDENTIAL_FORMATS],
            "problem": problem,
            "new": request.query_params.get("new") == "1",
        },
        status_code=status_code,
    )


@router.get("/issuer/achievements/{achievement_id}/issue")
def issue_form(request: Request, skillpass: WebApp, achievement_id: str) -> Response:
    """The issue form for one definition: learner e-mail, name, optional DID, format."""
    return _guard(request) or _issue_page(request, skillpass, achievement_id)


def _issue_field(message: str) -> str:
    lowered = message.lower()
    if "did" in lowered:
        return "learner_did"
    if "format" in lowered or "key" in lowered:
        return "format"
    if "name" in lowered:
        return "learner_name"
    return "learner_email"


@router.post("/issuer/achievements/{achievement_id}/issue")
def issue(
    request: Request,
    skillpass: WebApp,
    achievement_id: str,
    csrf_token: CsrfField = "",
    learner_email: Annotated[str, Form(max_length=320)] = "",
    learner_name: Annotated[str, Form(max_length=300)] = "",
    learner_did: Annotated[str, Form(max_length=500)] = "",
    format: Annotated[str, Form(max_length=20)] = "ob3",
) -> Response:
    """Issue a signed credential and open its page."""
    refusal = _guard(request, csrf_token)
    if refusal is not None:
        return refusal
    values: dict[str, Any] = {
        "learner_email": learner_email,
        "learner_name": learner_name,
        "learner_did": learner_did,
        "format": format,
    }
    try:
        credential = skillpass.credentials.issue(
            achievement_id,
            learner_email.strip() or None,
            learner_name.strip() or None,
            learner_did.strip() or None,
            format,
            actor=_actor(request),
        )
    except InvalidInput as error:
        problem = (_issue_field(error.message), error.message)
        return _issue_page(request, skillpass, achievement_id, values, problem, status_code=422)
    suffix = "" if credential.created else "?existing=1"
    return RedirectResponse(
        f"/credentials/{credential_slug(credential.id)}{suffix}", status_code=303
    )
