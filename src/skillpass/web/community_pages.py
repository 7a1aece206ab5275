"""Pact for Skills community pages.

* ``/community`` — the community home: totals and the yearly trend (chart and table), news and
  events, partnerships, organisations, your organisations, links to the dashboard, partner
  finding, the practice library and the funding search (``/funding``: the one funding
  directory, shared with the pathway planner).
* ``/community/join`` — an organisation joins: who it is, what it offers and needs.
* ``/community/organisations/{id}`` — profile, commitments with their yearly progress, its
  dashboard, funding programmes it is eligible for (from the funding directory, with a link to
  the full search), and for members: commitment and progress forms, contact requests.
* ``/community/dashboard`` — totals, trend and breakdowns by sector, region and capability area.
* ``/community/partnerships`` and ``/community/partnerships/{id}`` — partnerships, their
  members, coordinators' forms and the partnership dashboard.
* ``/community/partners?organisation=ID`` — suggested partners with their reasons, and a form to
  request contact (details are shared once the other side accepts).
* ``/community/practices`` — the library (search by words and tag), ``/new`` to submit,
  ``/queue`` for moderators.

Posts check sign-in and the CSRF token; the services decide who may (organisation members,
partnership coordinators, moderators) and a refusal is a 403 page saying who may.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from skillpass.app import SkillPass
from skillpass.auth.models import User
from skillpass.community.models import (
    CommitmentCreate,
    CommunityRole,
    Offering,
    PartnershipCreate,
    PartnershipKind,
    PostCreate,
    PostKind,
    PracticeCreate,
    PracticeQuery,
    PracticeType,
    Profile,
    ProfileCreate,
    ProgressCreate,
)
from skillpass.community.service import funding_applicant
from skillpass.errors import InvalidInput, SkillPassError
from skillpass.web._common import HtmlRoute, WebApp, check_csrf, error_page, render, session_user
from skillpass.web._community_view import (
    CONTACT_WORDS,
    KIND_WORDS,
    PRACTICE_STATUS_WORDS,
    ROLE_WORDS,
    TYPE_WORDS,
    breakdown_svg,
    codes,
    trend_svg,
    words,
)
from skillpass.web._pathway_view import eur

__all__ = ["router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_CSRF_FAILED = (
    "This form has expired or did not come from this site, so it was not accepted. "
    "Go back, reload the page and try again."
)


def _problems(error: ValidationError | SkillPassError) -> dict[str, str]:
    if isinstance(error, SkillPassError):
        return {"form": error.message}
    found: dict[str, str] = {}
    for item in error.errors():
        where = ".".join(str(p) for p in item.get("loc", ())) or "form"
        found[where.split(".")[0]] = f"{where}: {item.get('msg', '')}".replace("Value error, ", "")
    return found


async def _posted(request: Request) -> tuple[User | None, dict[str, Any], Response | None]:
    """The signed-in user and the form of a post, or the refusal page."""
    form = await request.form()
    user = session_user(request)
    data: dict[str, Any] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        data[key] = (
            values if len(values) > 1 or key.endswith("[]") else (values[0] if values else "")
        )
    if user is None:
        return None, data, error_page(request, 401, "Sign in to do this.")
    if not check_csrf(request, str(data.get("csrf_token", ""))):
        return None, data, error_page(request, 403, _CSRF_FAILED)
    return user, data, None


def _list(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key + "[]", data.get(key, []))
    return [value] if isinstance(value, str) and value else list(value or [])


def _signed_in(request: Request) -> Response | None:
    if session_user(request) is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    return None


def _common(skillpass: SkillPass) -> dict[str, Any]:
    return {
        "role_words": ROLE_WORDS,
        "kind_words": KIND_WORDS,
        "type_words": TYPE_WORDS,
        "contact_words": CONTACT_WORDS,
        "practice_status_words": PRACTICE_STATUS_WORDS,
        "areas": skillpass.community.organisations.area_labels(),
        "eur": eur,
    }


def _funding_link(profile: Profile) -> str:
    query = {
        "applicant": funding_applicant(profile.role).value,
        "home": profile.country,
        "region": profile.region or "",
        "sector": profile.sectors[0] if profile.sectors else "",
    }
    return "/funding?" + urlencode({k: v for k, v in query.items() if v})


# --- home and dashboard -----------------------------------------------------------------------


@router.get("/community")
def home(request: Request, skillpass: WebApp) -> Response:
    """The community home."""
    community = skillpass.community
    user = session_user(request)
    dashboard = community.organisations.dashboard()
    return render(
        request,
        "community_home.html",
        {
            "title": "Pact for Skills community",
            "dashboard": dashboard,
            "trend": trend_svg(dashboard.by_year),
            "posts": community.library.posts(limit=6),
            "partnerships": community.partnerships.all(),
            "profiles": community.organisations.profiles(),
            "mine": community.organisations.mine(user),
            "is_moderator": community.library.is_moderator(user),
            "post_kinds": {k.value: k.value.title() for k in PostKind},
            "form": {},
            "problems": {},
            **_common(skillpass),
        },
    )


@router.get("/community/dashboard")
def dashboard(request: Request, skillpass: WebApp) -> Response:
    """The community dashboard: totals, trend, breakdowns with charts and tables."""
    found = skillpass.community.organisations.dashboard()
    return render(
        request,
        "community_dashboard.html",
        {
            "title": "Community dashboard",
            "heading": "Community dashboard",
            "dashboard": found,
            "charts": _charts(found),
            **_common(skillpass),
        },
    )


def _charts(found: Any) -> dict[str, str | None]:
    return {
        "trend": trend_svg(found.by_year),
        "sector": breakdown_svg(found.by_sector, "People reached by sector (NACE)"),
        "region": breakdown_svg(found.by_region, "People reached by region (NUTS)"),
        "area": breakdown_svg(found.by_capability_area, "People reached by capability area"),
    }


@router.post("/community/posts")
async def create_post(request: Request, skillpass: WebApp) -> Response:
    """A moderator posts news or an event."""
    user, data, refusal = await _posted(request)
    if refusal is not None:
        return refusal
    try:
        post = PostCreate(
            kind=PostKind(data.get("kind") or "news"),
            title=str(data.get("title", "")),
            body=str(data.get("body", "")),
            location=str(data.get("location", "")) or None,
            registration_url=str(data.get("registration_url", "")) or None,
        )
    except (ValidationError, ValueError) as error:
        return error_page(request, 422, f"The post was not published: {error}")
    skillpass.community.library.post(user, post)
    return RedirectResponse("/community?done=posted", status_code=303)


# --- joining and organisations ----------------------------------------------------------------


def _join_page(
    request: Request,
    skillpass: WebApp,
    form: dict[str, Any],
    problems: dict[str, str],
    status_code: int = 200,
) -> Response:
    user = session_user(request)
    return render(
        request,
        "community_join.html",
        {
            "title": "Join the community",
            "form": form,
            "problems": problems,
            "mine": skillpass.issuers.organisations_for(user) if user else [],
            "roles": {r.value: w for r, w in ROLE_WORDS.items()},
            **_common(skillpass),
        },
        status_code=status_code,
    )


@router.get("/community/join")
def join_form(request: Request, skillpass: WebApp) -> Response:
    """The join form (sign-in first)."""
    refusal = _signed_in(request)
    if refusal is not None:
        return refusal
    return _join_page(request, skillpass, {}, {})


@router.post("/community/join")
async def join(request: Request, skillpass: WebApp) -> Response:
    """Join: register the organisation (or use one you are a member of) with its profile."""
    user, data, refusal = await _posted(request)
    if refusal is not None:
        return refusal
    try:
        profile = ProfileCreate(
            role=CommunityRole(data.get("role") or "employer"),
            description=str(data.get("description", "")),
            sectors=codes(data.get("sectors")),
            regions=codes(data.get("regions")),
            offers=Offering(
                capability_areas=_list(data, "offer_areas"),
                services=words(data.get("offer_services")),
                skills=words(data.get("offer_skills")),
            ),
            needs=Offering(
                capability_areas=_list(data, "need_areas"),
                services=words(data.get("need_services")),
                skills=words(data.get("need_skills")),
            ),
            contact_email=str(data.get("contact_email", "")).strip() or None,
            website=str(data.get("website", "")).strip() or None,
        )
        existing = str(data.get("organisation_id", "")).strip() or None
        joined = skillpass.community.organisations.join(
            user,
            profile,
            organisation_id=existing,
            name=None if existing else str(data.get("name", "")),
            country=None if existing else str(data.get("country", "")),
            region=None if existing else str(data.get("region", "")),
        )
    except (ValidationError, InvalidInput) as error:
        return _join_page(request, skillpass, data, _problems(error), 422)
    except SkillPassError as error:
        if error.status_code == 409:
            return _join_page(request, skillpass, data, _problems(error), 409)
        raise
    return RedirectResponse(
        f"/community/organisations/{joined.organisation_id}?done=joined", status_code=303
    )


def _organisation_page(
    request: Request,
    skillpass: SkillPass,
    organisation_id: str,
    *,
    problems: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    community = skillpass.community
    profile = community.organisations.profile(organisation_id)
    user = session_user(request)
    member = community.organisations.may_edit(user, organisation_id)
    found = community.organisations.dashboard(organisation_id)
    return render(
        request,
        "community_organisation.html",
        {
            "title": profile.name,
            "p": profile,
            "member": member,
            "commitments": community.organisations.commitments(organisation_id),
            "dashboard": found,
            "trend": trend_svg(found.by_year),
            "funding": community.organisations.funding(organisation_id)[:5],
            "funding_link": _funding_link(profile),
            "requests": community.partners.requests(user, organisation_id) if member else [],
            "partnerships": [
                p
                for p in community.partnerships.all()
                if organisation_id in {m.organisation_id for m in p.members}
            ],
            "skill_labels": {},
            "problems": problems or {},
            "notice": request.query_params.get("done"),
            **_common(skillpass),
        },
        status_code=status_code,
    )


@router.get("/community/organisations/{organisation_id}")
def organisation(request: Request, skillpass: WebApp, organisation_id: str) -> Response:
    """One organisation's page."""
    return _organisation_page(request, skillpass, organisation_id)


def _number(data: dict[str, Any], key: str) -> float | None:
    text = str(data.get(key, "")).strip().replace(" ", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InvalidInput(f"{key.replace('_', ' ')}: {text!r} is not a number.") from None


@router.post("/community/organisations/{organisation_id}/commitments")
async def commit(request: Request, skillpass: WebApp, organisation_id: str) -> Response:
    """Publish a commitment (members)."""
    user, data, refusal = await _posted(request)
    if refusal is not None:
        return refusal
    try:
        people = _number(data, "target_people")
        places = _number(data, "target_training_places")
        year = _number(data, "target_year")
        commitment = CommitmentCreate(
            title=str(data.get("title", "")),
            capability_area=str(data.get("capability_area", "")) or None,
            target_people=int(people) if people is not None else None,
            target_investment_eur=_number(data, "target_investment_eur"),
            target_training_places=int(places) if places is not None else None,
            target_year=int(year) if year is not None else 0,
            sectors=codes(data.get("sectors")),
            regions=codes(data.get("regions")),
            partnership_id=str(data.get("partnership_id", "")) or None,
        )
        skillpass.community.organisations.commit(user, organisation_id, commitment)
    except (ValidationError, InvalidInput) as error:
        return _organisation_page(
            request, skillpass, organisation_id, problems=_problems(error), status_code=422
        )
    return RedirectResponse(
        f"/community/organisations/{organisation_id}?done=committed", status_code=303
    )


@router.post("/community/commitments/{commitment_id}/progress")
async def progress(request: Request, skillpass: WebApp, commitment_id: str) -> Response:
    """Report a year's progress (members of the committing organisation)."""
    user, data, refusal = await _posted(request)
    if refusal is not None:
        return refusal
    commitment = skillpass.community.organisations.commitment(commitment_id)
    try:
        year = _number(data, "year")
        report = ProgressCreate(
            year=int(year) if year is not None else 0,
            people_reached=int(_number(data, "people_reached") or 0),
            investment_eur=_number(data, "investment_eur") or 0.0,
            courses_delivered=int(_number(data, "courses_delivered") or 0),
            note=str(data.get("note", "")) or None,
        )
        skillpass.community.organisations.report_progress(user, commitment_id, report)
    except (ValidationError, InvalidInput) as error:
        return _organisation_page(
            request,
            skillpass,
            commitment.organisation_id,
            problems=_problems(error),
            status_code=422,
        )
    return RedirectResponse(
        f"/community/organisations/{commitment.organisation_id}?done=reported", status_code=303
    )


# --- partnerships -----------------------------------------------------------------------------


@router.get("/community/partnerships")
def partnerships(request: Request, skillpass: WebApp) -> Response:
    """Every partnership, and a form to create one."""
    user = session_user(request)
    return render(
        request,
        "community_partnerships.html",
        {
            "title": "Skills partnerships",
            "partnerships": skillpass.community.partnerships.all(),
            "mine": skillpass.community.organisations.mine(user),
            "kinds": {k.value: w for k, w in KIND_WORDS.items()},
            "form": {},
            "problems": {},
            **_common(skillpass),
        },
    )


@router.post("/community/partnerships")
async def create_partnership(request: Request, skillpass: WebApp) -> Response:
    """Create a partnership coordinated by one of your organisations."""
    user, data, refusal = await _posted(request)
    if refusal is not None:
        return refusal
    try:
        created = skillpass.community.partnerships.create(
            user,
            str(data.get("coordinator_id", "")),
            PartnershipCreate(
                name=str(data.get("name", "")),
                kind=PartnershipKind(data.get("kind") or "regional"),
                sector=str(data.get("sector", "")) or None,
                region=str(data.get("region", "")) or None,
                description=str(data.get("description", "")),
            ),
        )
    except (ValidationError, InvalidInput, ValueError) as error:
        message = error.message if isinstance(error, InvalidInput) else str(error)
        return error_page(request, 422, f"The partnership was not created: {message}")
    return RedirectResponse(f"/community/partnerships/{created.id}", status_code=303)


@router.get("/community/partnerships/{partnership_id}")
def partnership(request: Request, skillpass: WebApp, partnership_id: str) -> Response:
    """A partnership: members, commitments and its dashboard."""
    community = skillpass.community
    found = community.partnerships.get(partnership_id)
    user = session_user(request)
    board = community.partnerships.dashboard(partnership_id)
    members = {m.organisation_id for m in found.members}
    return render(
        request,
        "community_partnership.html",
        {
            "title": found.name,
            "p": found,
            "dashboard": board,
            "heading": f"Dashboard of {found.name}",
            "charts": _charts(board),
            "commitments": community.partnerships.commitments(partnership_id),
            "coordinator": community.partnerships.may_coordinate(user, found),
            "candidates": [
                p for p in community.organisations.profiles() if p.organisation_id not in members
            ],
            "notice": request.query_params.get("done"),
            **_common(skillpass),
        },
    )


@router.post("/community/partnerships/{partnership_id}/members")
async def add_member(request: Request, skillpass: WebApp, partnership_id: str) -> Response:
    """A coordinator adds an organisation (or makes it a coordinator)."""
    user, data, refusal = await _posted(request)
    if refusal is not None:
        return refusal
    skillpass.community.partnerships.add_member(
        user,
        partnership_id,
        str(data.get("organisation_id", "")),
        str(data.get("role", "member")) or "member",
    )
    return RedirectResponse(f"/community/partnerships/{partnership_id}?done=added", 303)


# --- partner finding and contact requests ----------------------------------------------------


@router.get("/community/partners")
def partners(request: Request, skillpass: WebApp) -> Response:
    """Suggested partners for one of your organisations, with reasons."""
    refusal = _signed_in(request)
    if refusal is not None:
        return refusal
    user = session_user(request)
    community = skillpass.community
    mine = community.organisations.mine(user)
    chosen = request.query_params.get("organisation") or (mine[0].organisation_id if mine else "")
    role_text = request.query_params.get("role") or ""
    role = CommunityRole(role_text) if role_text in {r.value for r in CommunityRole} else None
    region = (request.query_params.get("region") or "").strip().upper() or None
    suggestions = community.partners.suggest(chosen, role=role, region=region) if chosen else []
    return render(
        request,
        "community_partners.html",
        {
            "title": "Find partners",
            "mine": mine,
            "chosen": chosen,
            "suggestions": suggestions,
            "form": {"role": role_text, "region": region or ""},
            "roles": {r.value: w for r, w in ROLE_WORDS.items()},
            "may_request": community.organisations.may_edit(user, chosen) if chosen else False,
            "notice": request.query_params.get("done"),
            **_common(skillpass),
        },
    )


@router.post("/community/contact-requests")
async def request_contact(request: Request, skillpass: WebApp) -> Response:
    """Ask another organisation for contact."""
    user, data, refusal = await _posted(request)
    if refusal is not None:
        return refusal
    sender = str(data.get("from_organisation_id", ""))
    skillpass.community.partners.request_contact(
        user, sender, str(data.get("to_organisation_id", "")), str(data.get("message", ""))
    )
    return RedirectResponse(
        f"/community/partners?organisation={sender}&done=requested", status_code=303
    )


@router.post("/community/contact-requests/{request_id}/{decision}")
async def decide(request: Request, skillpass: WebApp, request_id: str, decision: str) -> Response:
    """Accept or decline a contact request (members of the receiving organisation)."""
    user, _, refusal = await _posted(request)
    if refusal is not None:
        return refusal
    if decision not in ("accept", "decline"):
        return error_page(request, 404, "There is no such action.")
    decided = skillpass.community.partners.decide(user, request_id, decision == "accept")
    return RedirectResponse(
        f"/community/organisations/{decided.to_organisation_id}?done={decision}ed",
        status_code=303,
    )


# --- practices --------------------------------------------------------------------------------


@router.get("/community/practices")
def practices(request: Request, skillpass: WebApp) -> Response:
    """Search the best-practice library by words and tag."""
    params = request.query_params
    type_text = params.get("type") or ""
    query = PracticeQuery(
        text=(params.get("q") or "")[:200] or None,
        tag=(params.get("tag") or "")[:64] or None,
        practice_type=PracticeType(type_text)
        if type_text in {t.value for t in PracticeType}
        else None,
    )
    user = session_user(request)
    return render(
        request,
        "community_practices.html",
        {
            "title": "Best-practice library",
            "found": skillpass.community.library.search(query),
            "form": dict(params),
            "types": {t.value: w for t, w in TYPE_WORDS.items()},
            "is_moderator": skillpass.community.library.is_moderator(user),
            "waiting": skillpass.community.library.submitted_by(user),
            "notice": params.get("done"),
            **_common(skillpass),
        },
    )


def _practice_form(
    request: Request,
    skillpass: SkillPass,
    form: dict[str, Any],
    problems: dict[str, str],
    status_code: int = 200,
) -> Response:
    user = session_user(request)
    return render(
        request,
        "community_practice_new.html",
        {
            "title": "Submit a practice",
            "form": form,
            "problems": problems,
            "mine": skillpass.community.organisations.mine(user),
            "types": {t.value: w for t, w in TYPE_WORDS.items()},
            **_common(skillpass),
        },
        status_code=status_code,
    )


@router.get("/community/practices/new")
def practice_form(request: Request, skillpass: WebApp) -> Response:
    """The submission form."""
    refusal = _signed_in(request)
    if refusal is not None:
        return refusal
    return _practice_form(request, skillpass, {}, {})


@router.post("/community/practices/new")
async def submit_practice(request: Request, skillpass: WebApp) -> Response:
    """Submit a practice for one of your organisations."""
    user, data, refusal = await _posted(request)
    if refusal is not None:
        return refusal
    try:
        practice = PracticeCreate(
            title=str(data.get("title", "")),
            summary=str(data.get("summary", "")),
            what=str(data.get("what", "")),
            who=str(data.get("who", "")),
            where=str(data.get("where", "")),
            results=str(data.get("results", "")),
            contact=str(data.get("contact", "")).strip() or None,
            practice_type=PracticeType(data.get("practice_type") or "vet_excellence"),
            sectors=codes(data.get("sectors")),
            countries=codes(data.get("countries")),
            capability_areas=_list(data, "capability_areas"),
        )
        skillpass.community.library.submit(user, str(data.get("organisation_id", "")), practice)
    except (ValidationError, InvalidInput) as error:
        return _practice_form(request, skillpass, data, _problems(error), 422)
    return RedirectResponse("/community/practices?done=submitted", status_code=303)


@router.get("/community/practices/queue")
def queue(request: Request, skillpass: WebApp) -> Response:
    """The moderation queue (moderators)."""
    refusal = _signed_in(request)
    if refusal is not None:
        return refusal
    return render(
        request,
        "community_queue.html",
        {
            "title": "Moderation queue",
            "waiting": skillpass.community.library.queue(session_user(request)),
            **_common(skillpass),
        },
    )


@router.post("/community/practices/{practice_id}/{decision}")
async def moderate(
    request: Request, skillpass: WebApp, practice_id: str, decision: str
) -> Response:
    """Publish or reject (moderators)."""
    user, data, refusal = await _posted(request)
    if refusal is not None:
        return refusal
    if decision not in ("publish", "reject"):
        return error_page(request, 404, "There is no such action.")
    skillpass.community.library.moderate(
        user, practice_id, decision == "publish", str(data.get("note", "")) or None
    )
    return RedirectResponse("/community/practices/queue", status_code=303)


@router.get("/community/practices/{practice_id}")
def practice(request: Request, skillpass: WebApp, practice_id: str) -> Response:
    """One case study."""
    user = session_user(request)
    if user is None:  # visitors see published practices only
        found = next(
            (p for p in skillpass.community.library.search(PracticeQuery()) if p.id == practice_id),
            None,
        )
        if found is None:
            return error_page(request, 404, "There is no published practice at this address.")
    else:
        found = skillpass.community.library.get(user, practice_id)
    return render(
        request,
        "community_practice.html",
        {"title": found.title, "p": found, **_common(skillpass)},
    )
