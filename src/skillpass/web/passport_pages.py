"""The learner's competence passport: items, import, claim, experience, evidence, profile, data.

Signed-in learners only (others get a friendly 403 page; people not signed in go to sign-in).
Every page calls :class:`~skillpass.passport.service.PassportService` (and, for the attestation
and RPL request forms, the attestation and RPL services) with the signed-in user, so a learner
only ever sees their own passport: another learner's item id is a 404 page. Every form that
changes data posts the session's CSRF token; a refused form is shown again with what was typed
and the problem next to it. Shares are in :mod:`skillpass.web.share_pages`, the RPL case page in
:mod:`skillpass.web.rpl_pages`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from skillpass.app import SkillPass
from skillpass.errors import Conflict, InvalidInput, NotFound, TaxonomyNotLoaded
from skillpass.passport.models import (
    ExperienceCategory,
    PassportItem,
    SkillRef,
    SkillSuggestion,
    Strength,
)
from skillpass.passport.service import ExperienceCreate
from skillpass.web._common import HtmlRoute, WebApp, render, sign_out
from skillpass.web._credential_view import FORMAT_NAMES, SkillLink, credential_slug, plain
from skillpass.web._passport_view import (
    ATTESTATION_STATUS_WORDS,
    KIND_WORDS,
    RPL_STATUS_WORDS,
    SOURCE_WORDS,
    STRENGTH_WORDS,
    CsrfField,
    accepted_types_words,
    actor,
    guard,
    invalid_problems,
    item_badge,
    item_check_lines,
    profile_chart_svg,
    read_evidence_upload,
)

__all__ = ["router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

#: Skills suggested for a described experience.
SUGGESTION_LIMIT = 12
_CATEGORY_WORDS = {
    ExperienceCategory.WORK: "Work",
    ExperienceCategory.VOLUNTEERING: "Volunteering",
    ExperienceCategory.PROJECT: "Project",
    ExperienceCategory.SELF_STUDY: "Self-study",
    ExperienceCategory.OTHER: "Other",
}


def _common(skillpass: SkillPass) -> dict[str, Any]:
    return {
        "kind_words": KIND_WORDS,
        "source_words": SOURCE_WORDS,
        "strength_words": STRENGTH_WORDS,
        "badge": item_badge,
        "format_names": FORMAT_NAMES,
        "plain": plain,
        "slug": credential_slug,
        "max_upload_kb": skillpass.settings.max_upload_bytes // 1024,
        "accepted_types": accepted_types_words(),
    }


def _read_upload(file: UploadFile | None, limit: int) -> tuple[str | None, bytes]:
    """The file's name and at most ``limit + 1`` bytes (so callers can tell it is too big)."""
    if file is None or not file.filename:
        return None, b""
    return file.filename, file.file.read(limit + 1)


# --- the passport --------------------------------------------------------------------------


def _passport_page(
    request: Request,
    skillpass: SkillPass,
    *,
    text: str = "",
    problem: str | None = None,
    claim_problem: str | None = None,
    status_code: int = 200,
) -> Response:
    user = actor(request)
    items = skillpass.passport.items(user)
    return render(
        request,
        "passport.html",
        {
            "title": "Your competence passport",
            "section": "items",
            "items": items,
            "claimable": skillpass.passport.claimable(user),
            "titles": _definition_titles(skillpass),
            "text": text,
            "problem": problem,
            "claim_problem": claim_problem,
            "removed": request.query_params.get("removed") == "1",
            "max_credential_kb": skillpass.settings.max_credential_bytes // 1024,
            **_common(skillpass),
        },
        status_code=status_code,
    )


def _definition_titles(skillpass: SkillPass) -> dict[str, str]:
    return {record.id: record.title for record in skillpass.achievements.list_achievements()}


@router.get("/passport")
def passport(request: Request, skillpass: WebApp) -> Response:
    """The learner's passport: every item with its verification badge and strength, credentials
    issued here waiting to be claimed, and the import form."""
    return guard(request, "passport") or _passport_page(request, skillpass)


@router.post("/passport/import")
def import_credential(
    request: Request,
    skillpass: WebApp,
    csrf_token: CsrfField = "",
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str, Form()] = "",
) -> Response:
    """Import a credential file or pasted JSON/JWT; it is verified and the report kept.

    A tampered or unreadable credential is refused and nothing is stored; the pasted text stays
    in the form.
    """
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    limit = skillpass.settings.max_credential_bytes
    filename, raw = _read_upload(file, limit)
    data: bytes | str | None = raw or None
    if data is None and text.strip():
        data = text
    too_big = len(raw) > limit or len(text.encode("utf-8", "surrogatepass")) > limit
    if too_big:
        return _passport_page(
            request,
            skillpass,
            problem=f"The credential is larger than {limit // 1024} KB, the limit on this site. "
            "A credential is usually a few KB: check that you chose the right file.",
            status_code=413,
        )
    if data is None:
        return _passport_page(
            request,
            skillpass,
            problem="Choose a credential file or paste the credential's JSON or JWT, then press "
            "Import.",
            status_code=422,
        )
    try:
        item = skillpass.passport.import_credential(actor(request), data, filename)
    except (InvalidInput, Conflict) as error:
        status = 409 if isinstance(error, Conflict) else 422
        return _passport_page(
            request, skillpass, text=text, problem=error.message, status_code=status
        )
    return RedirectResponse(f"/passport/items/{item.id}?imported=1", status_code=303)


@router.post("/passport/claim")
def claim(
    request: Request,
    skillpass: WebApp,
    csrf_token: CsrfField = "",
    credential_id: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Add a credential issued here to the learner's e-mail to the passport."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    try:
        item = skillpass.passport.claim(actor(request), credential_id)
    except (NotFound, Conflict) as error:
        status = 409 if isinstance(error, Conflict) else 404
        return _passport_page(request, skillpass, claim_problem=error.message, status_code=status)
    return RedirectResponse(f"/passport/items/{item.id}?claimed=1", status_code=303)


# --- one item --------------------------------------------------------------------------------


def _item_page(
    request: Request,
    skillpass: SkillPass,
    item: PassportItem,
    *,
    evidence_problem: str | None = None,
    status_code: int = 200,
) -> Response:
    params = request.query_params
    notice = next(
        (
            words
            for key, words in (
                ("imported", "Imported. It was verified now and the report is kept below."),
                ("claimed", "Added to your passport and verified."),
                ("declared", "Added to your passport, marked as self-declared (not verified)."),
                ("rechecked", "Checked again just now."),
                ("evidence", "The evidence file was added."),
            )
            if params.get(key) == "1"
        ),
        None,
    )
    return render(
        request,
        "passport_item.html",
        {
            "title": item.title,
            "section": "items",
            "item": item,
            "lines": item_check_lines(item.verification),
            "skills": [SkillLink(s.uri, s.label) for s in item.skills],
            "notice": notice,
            "evidence_problem": evidence_problem,
            **_common(skillpass),
        },
        status_code=status_code,
    )


@router.get("/passport/items/{item_id}")
def item_page(request: Request, skillpass: WebApp, item_id: str) -> Response:
    """One item: what it is, its badge and strength, every check in words, skills, evidence.

    Raises:
        NotFound: Not in this learner's passport (also for someone else's item): a 404 page.
    """
    refusal = guard(request, "passport")
    if refusal is not None:
        return refusal
    return _item_page(request, skillpass, skillpass.passport.get_item(actor(request), item_id))


@router.post("/passport/items/{item_id}/recheck")
def recheck(
    request: Request, skillpass: WebApp, item_id: str, csrf_token: CsrfField = ""
) -> Response:
    """Verify the item again now (revocation and expiry can change)."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    item = skillpass.passport.recheck(actor(request), item_id)
    return RedirectResponse(f"/passport/items/{item.id}?rechecked=1", status_code=303)


@router.post("/passport/items/{item_id}/evidence")
def add_evidence(
    request: Request,
    skillpass: WebApp,
    item_id: str,
    csrf_token: CsrfField = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Attach an evidence file (bounded size, type checked by content) to a declared item."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    user = actor(request)
    item = skillpass.passport.get_item(user, item_id)
    limit = skillpass.settings.max_upload_bytes
    filename, raw = _read_upload(file, limit)
    if filename is None:
        return _item_page(
            request,
            skillpass,
            item,
            evidence_problem="Choose a file to upload first.",
            status_code=422,
        )
    try:
        skillpass.passport.add_evidence(user, item.id, filename, raw)
    except InvalidInput as error:
        status = 413 if len(raw) > limit else 422
        return _item_page(
            request, skillpass, item, evidence_problem=error.message, status_code=status
        )
    return RedirectResponse(f"/passport/items/{item.id}?evidence=1", status_code=303)


@router.post("/passport/items/{item_id}/remove")
def remove_item(
    request: Request, skillpass: WebApp, item_id: str, csrf_token: CsrfField = ""
) -> Response:
    """Remove an item from the passport (a credential itself stays valid)."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    skillpass.passport.remove_item(actor(request), item_id)
    return RedirectResponse("/passport?removed=1", status_code=303)


@router.get("/passport/evidence/{evidence_id}")
def evidence_file(request: Request, skillpass: WebApp, evidence_id: str) -> Response:
    """An evidence file, for its owner, the assessor of its RPL case, or an admin (as a download,
    never shown inline, so an uploaded file cannot run in the site's origin)."""
    refusal = guard(request, "any")
    if refusal is not None:
        return refusal
    info, content = skillpass.passport.evidence_content(actor(request), evidence_id)
    safe = info.filename.replace('"', "_")
    return Response(
        content=content,
        media_type=info.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{safe}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


# --- self-declared experience ------------------------------------------------------------------


def _skill_values(values: list[str]) -> list[SkillRef]:
    """Ticked skills come as ``"URI label"``; unknown shapes are dropped."""
    skills: dict[str, SkillRef] = {}
    for value in values:
        uri, _, label = value.strip().partition(" ")
        if uri.startswith(("http://", "https://")):
            skills.setdefault(uri, SkillRef(uri=uri, label=label.strip() or uri))
    return list(skills.values())


def _experience_page(
    request: Request,
    skillpass: SkillPass,
    form: dict[str, Any],
    *,
    suggestions: list[SkillSuggestion] | None = None,
    suggestion_note: str | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    ticked = {skill.uri for skill in form.get("skills", [])}
    shown = list(form.get("skills", []))
    for suggestion in suggestions or []:
        if suggestion.uri not in ticked:
            shown.append(SkillRef(uri=suggestion.uri, label=suggestion.label))
    scores = {s.uri: s.score for s in suggestions or []}
    return render(
        request,
        "passport_experience.html",
        {
            "title": "Declare experience or informal learning",
            "section": "items",
            "form": form,
            "categories": [(c.value, words) for c, words in _CATEGORY_WORDS.items()],
            "shown_skills": shown,
            "ticked": ticked,
            "scores": scores,
            "suggested": suggestions is not None,
            "suggestion_note": suggestion_note,
            "problems": problems or [],
            **_common(skillpass),
        },
        status_code=status_code,
    )


@router.get("/passport/experience")
def experience_form(request: Request, skillpass: WebApp) -> Response:
    """The form to declare work, volunteering, a project or self-study."""
    refusal = guard(request, "passport")
    if refusal is not None:
        return refusal
    return _experience_page(request, skillpass, {"category": "", "skills": []})


def _suggest(skillpass: SkillPass, text: str) -> tuple[list[SkillSuggestion], str | None]:
    if not text.strip():
        return [], "Describe what you did first: skills are suggested from the description."
    try:
        found = skillpass.passport.suggest_skills(text)[:SUGGESTION_LIMIT]
    except TaxonomyNotLoaded:
        return [], "Skills cannot be suggested: no ESCO taxonomy is imported on this site yet."
    except InvalidInput as error:
        return [], error.message
    if not found:
        return [], "No ESCO skill was found in the description. Add more detail about the tasks."
    return found, None


def _parse_date(value: str, name: str, problems: list[str]) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        problems.append(f"{name}: write the date as YYYY-MM-DD (for example 2023-09-01).")
        return None


@router.post("/passport/experience")
def declare_experience(
    request: Request,
    skillpass: WebApp,
    csrf_token: CsrfField = "",
    action: Annotated[str, Form(max_length=20)] = "save",
    category: Annotated[str, Form(max_length=40)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    description: Annotated[str, Form(max_length=20_000)] = "",
    organisation: Annotated[str, Form(max_length=300)] = "",
    period_start: Annotated[str, Form(max_length=20)] = "",
    period_end: Annotated[str, Form(max_length=20)] = "",
    skill: Annotated[list[str] | None, Form()] = None,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Suggest skills from the description (``action=suggest``: the learner ticks the ones that
    fit), or save the experience, marked unverified, with an optional evidence file."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    form: dict[str, Any] = {
        "category": category,
        "title": title,
        "description": description,
        "organisation": organisation,
        "period_start": period_start,
        "period_end": period_end,
        "skills": _skill_values(skill or []),
    }
    if action == "suggest":
        suggestions, note = _suggest(skillpass, description or title)
        return _experience_page(
            request, skillpass, form, suggestions=suggestions, suggestion_note=note
        )
    problems: list[str] = []
    start = _parse_date(period_start, "Start", problems)
    end = _parse_date(period_end, "End", problems)
    limit = skillpass.settings.max_upload_bytes
    filename, raw = _read_upload(file, limit)
    try:
        evidence = read_evidence_upload(filename, raw, limit)
    except InvalidInput as error:
        problems.append(f"Evidence file: {error.message}")
        evidence = None
    experience: ExperienceCreate | None = None
    try:
        experience = ExperienceCreate(
            category=category or "",  # validated by Pydantic
            title=title.strip(),
            description=description.strip(),
            organisation=organisation.strip() or None,
            period_start=start,
            period_end=end,
            skills=form["skills"],
        )
    except ValidationError as error:
        for problem in error.errors():
            field = str(problem.get("loc", ("",))[0])
            problems.append(_FIELD_PROBLEMS.get(field, f"{field}: {problem.get('msg', '')}"))
    if problems or experience is None:
        return _experience_page(request, skillpass, form, problems=problems, status_code=422)
    user = actor(request)
    try:
        item = skillpass.passport.declare(user, experience)
    except InvalidInput as error:
        return _experience_page(
            request, skillpass, form, problems=invalid_problems(error), status_code=422
        )
    if evidence is not None and filename is not None:
        skillpass.passport.add_evidence(user, item.id, evidence.filename, evidence.content)
    return RedirectResponse(f"/passport/items/{item.id}?declared=1", status_code=303)


_FIELD_PROBLEMS = {
    "category": "Kind of experience: choose one.",
    "title": "Title: write 2 to 300 characters.",
    "description": "Description: at most 20,000 characters.",
    "organisation": "Organisation: at most 300 characters.",
}


# --- skills profile ----------------------------------------------------------------------------


@router.get("/passport/profile")
def profile_page(request: Request, skillpass: WebApp) -> Response:
    """The skills profile: every skill with its strongest evidence and links to all of it, the
    chart by capability area and strength, EQF levels and ECTS totals."""
    refusal = guard(request, "passport")
    if refusal is not None:
        return refusal
    profile = skillpass.passport.profile(actor(request))
    by_strength = {s: sum(1 for k in profile.skills if k.strength is s) for s in Strength}
    return render(
        request,
        "passport_profile.html",
        {
            "title": "Your skills profile",
            "section": "profile",
            "profile": profile,
            "chart": profile_chart_svg(profile),
            "by_strength": by_strength,
            "skill_page": lambda uri: SkillLink(uri, "").page,
            **_common(skillpass),
        },
    )


# --- requests: employer attestation and RPL --------------------------------------------------


def _attestations_page(
    request: Request,
    skillpass: SkillPass,
    *,
    form: dict[str, str] | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    user = actor(request)
    return render(
        request,
        "passport_attestations.html",
        {
            "title": "Workplace learning attested by an employer",
            "section": "attestations",
            "requests": skillpass.attestations.for_learner(user),
            "organisations": [
                (org.id, f"{org.legal_name} ({org.country})")
                for org in skillpass.issuers.list_issuers()
            ],
            "status_words": ATTESTATION_STATUS_WORDS,
            "form": form or {},
            "problems": problems or [],
            "requested": request.query_params.get("requested") == "1",
            **_common(skillpass),
        },
        status_code=status_code,
    )


@router.get("/passport/attestations")
def attestations(request: Request, skillpass: WebApp) -> Response:
    """The learner's attestation requests and the form to ask an employer."""
    return guard(request, "passport") or _attestations_page(request, skillpass)


@router.post("/passport/attestations")
def request_attestation(
    request: Request,
    skillpass: WebApp,
    csrf_token: CsrfField = "",
    organisation_id: Annotated[str, Form(max_length=100)] = "",
    role_title: Annotated[str, Form(max_length=300)] = "",
    period_start: Annotated[str, Form(max_length=20)] = "",
    period_end: Annotated[str, Form(max_length=20)] = "",
    tasks: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """Ask an employer organisation to attest a role, period, tasks and responsibilities."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    form = {
        "organisation_id": organisation_id,
        "role_title": role_title,
        "period_start": period_start,
        "period_end": period_end,
        "tasks": tasks,
    }
    problems: list[str] = []
    if not organisation_id:
        problems.append("Employer: choose the organisation you worked for.")
    start = _parse_date(period_start, "Start", problems)
    if start is None and not period_start.strip():
        problems.append("Start: give the date you started in this role (YYYY-MM-DD).")
    end = _parse_date(period_end, "End", problems)
    if problems or start is None:
        return _attestations_page(request, skillpass, form=form, problems=problems, status_code=422)
    try:
        skillpass.attestations.request(
            actor(request), organisation_id, role_title.strip(), start, end, tasks.strip()
        )
    except (InvalidInput, NotFound) as error:
        status = 404 if isinstance(error, NotFound) else 422
        return _attestations_page(
            request, skillpass, form=form, problems=[error.message], status_code=status
        )
    return RedirectResponse("/passport/attestations?requested=1", status_code=303)


def _rpl_page(
    request: Request,
    skillpass: SkillPass,
    *,
    form: dict[str, str] | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    user = actor(request)
    issuers = {org.id: org.legal_name for org in skillpass.issuers.list_issuers()}
    definitions = [
        (record.id, f"{record.title} — {issuers.get(record.issuer_id, 'unknown organisation')}")
        for record in skillpass.achievements.list_achievements()
    ]
    return render(
        request,
        "passport_rpl.html",
        {
            "title": "Recognition of prior learning",
            "section": "rpl",
            "cases": skillpass.rpl.for_learner(user),
            "definitions": definitions,
            "status_words": RPL_STATUS_WORDS,
            "form": form or {},
            "problems": problems or [],
            **_common(skillpass),
        },
        status_code=status_code,
    )


@router.get("/passport/rpl")
def rpl_cases(request: Request, skillpass: WebApp) -> Response:
    """The learner's RPL cases and the form to ask for recognition."""
    return guard(request, "passport") or _rpl_page(request, skillpass)


@router.post("/passport/rpl")
def request_rpl(
    request: Request,
    skillpass: WebApp,
    csrf_token: CsrfField = "",
    achievement_id: Annotated[str, Form(max_length=100)] = "",
    statement: Annotated[str, Form(max_length=20_000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Ask for a micro-credential's learning outcomes to be recognised from prior learning,
    with a statement and an optional evidence file (checked before anything is stored)."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    form = {"achievement_id": achievement_id, "statement": statement}
    problems: list[str] = []
    if not achievement_id:
        problems.append("Micro-credential: choose the one you want recognised.")
    limit = skillpass.settings.max_upload_bytes
    filename, raw = _read_upload(file, limit)
    try:
        evidence = read_evidence_upload(filename, raw, limit)
    except InvalidInput as error:
        problems.append(f"Evidence file: {error.message}")
        evidence = None
    if problems:
        return _rpl_page(request, skillpass, form=form, problems=problems, status_code=422)
    user = actor(request)
    try:
        case = skillpass.rpl.request(user, achievement_id, [], statement.strip())
    except (InvalidInput, NotFound, Conflict) as error:
        status = {NotFound: 404, Conflict: 409}.get(type(error), 422)
        return _rpl_page(
            request, skillpass, form=form, problems=[error.message], status_code=status
        )
    if evidence is not None:
        skillpass.rpl.add_evidence(user, case.id, evidence.filename, evidence.content)
    return RedirectResponse(f"/rpl/cases/{case.id}?done=requested", status_code=303)


# --- your data: export, import, erase ----------------------------------------------------------


def _data_page(
    request: Request,
    skillpass: SkillPass,
    *,
    bundle_problem: str | None = None,
    bundle_result: Any = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "passport_data.html",
        {
            "title": "Your data",
            "section": "data",
            "bundle_problem": bundle_problem,
            "bundle_result": bundle_result,
            **_common(skillpass),
        },
        status_code=status_code,
    )


@router.get("/passport/data")
def data_page(request: Request, skillpass: WebApp) -> Response:
    """Export (bundle, CV, all personal data), import a bundle, erase the account."""
    return guard(request, "passport") or _data_page(request, skillpass)


def _json_download(payload: Any, filename: str) -> Response:
    return Response(
        content=json.dumps(payload, indent=2, ensure_ascii=False, default=str),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/passport/export/bundle")
def export_bundle(request: Request, skillpass: WebApp) -> Response:
    """The whole passport as a portable JSON bundle (credentials exactly as issued)."""
    refusal = guard(request, "passport")
    if refusal is not None:
        return refusal
    bundle = skillpass.passport.export_bundle(actor(request))
    return _json_download(bundle, "skillpass-passport-bundle.json")


@router.get("/passport/export/cv")
def export_cv(request: Request, skillpass: WebApp) -> Response:
    """A readable, printable CV-style page of the passport and profile."""
    refusal = guard(request, "passport")
    if refusal is not None:
        return refusal
    return HTMLResponse(skillpass.passport.cv_html(actor(request)))


@router.get("/passport/export/personal-data")
def export_personal_data(request: Request, skillpass: WebApp) -> Response:
    """Everything held about the learner (GDPR access), as JSON."""
    refusal = guard(request, "passport")
    if refusal is not None:
        return refusal
    data = skillpass.passport.personal_data(actor(request))
    return _json_download(data, "skillpass-personal-data.json")


@router.post("/passport/import-bundle")
def import_bundle(
    request: Request,
    skillpass: WebApp,
    csrf_token: CsrfField = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Import a bundle exported by any SkillPass: credentials are verified again."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    limit = skillpass.settings.max_upload_bytes
    filename, raw = _read_upload(file, limit)
    if filename is None or not raw:
        return _data_page(
            request, skillpass, bundle_problem="Choose a bundle file first.", status_code=422
        )
    if len(raw) > limit:
        return _data_page(
            request,
            skillpass,
            bundle_problem=f"The bundle is larger than {limit // 1024} KB, the upload limit.",
            status_code=413,
        )
    try:
        result = skillpass.passport.import_bundle(actor(request), raw)
    except InvalidInput as error:
        return _data_page(request, skillpass, bundle_problem=error.message, status_code=422)
    return _data_page(request, skillpass, bundle_result=result)


@router.get("/passport/erase")
def erase_form(request: Request, skillpass: WebApp) -> Response:
    """What erasing the account does, and a confirmation form."""
    refusal = guard(request, "passport")
    if refusal is not None:
        return refusal
    return render(
        request, "passport_erase.html", {"title": "Erase your account", "section": "data"}
    )


@router.post("/passport/erase")
def erase(
    request: Request,
    skillpass: WebApp,
    csrf_token: CsrfField = "",
    confirm_email: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    """Erase the account and everything personal, once the learner typed their e-mail address."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    user = actor(request)
    if confirm_email.strip().lower() != user.email.lower():
        return render(
            request,
            "passport_erase.html",
            {
                "title": "Erase your account",
                "section": "data",
                "problem": "Type your own e-mail address exactly to confirm. Nothing was erased.",
                "typed": confirm_email,
            },
            status_code=422,
        )
    skillpass.passport.erase_account(user)
    sign_out(request)
    request.scope["_web_user"] = None
    return render(request, "passport_erased.html", {"title": "Your account is erased"})
