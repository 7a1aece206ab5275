"""The community's services in one place (``SkillPass.community``), with the support services'
tools: the synthetic seed, and export/import of the whole community as one JSON document.

Export format (``"format": "skillpass-community/1"``)::

    {"format": "skillpass-community/1", "exported_at": "…",
     "organisations": [{"name", "country", "region", "synthetic",
                        "profile": {ProfileCreate, with contact_email},
                        "commitments": [{CommitmentCreate without partnership_id,
                                         "partnership": name | null, "synthetic",
                                         "progress": [ProgressCreate, …]}]}],
     "partnerships": [{PartnershipCreate, "synthetic",
                       "members": [{"name", "country", "role"}]}],
     "practices": [{PracticeCreate, "organisation": {"name", "country"} | null, "synthetic"}],
     "posts": [{PostCreate, "synthetic"}]}

Organisations are matched by legal name and country, partnerships by name; the export carries
no database keys or public ids, so it can move between installations. Only published practices
are exported. Contact e-mails are personal data: keep export files safe.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine

from skillpass.community.exchange import PartnerService
from skillpass.community.library import LibraryService
from skillpass.community.library_repository import LibraryRepository
from skillpass.community.models import (
    CommitmentCreate,
    PartnershipCreate,
    PostCreate,
    PracticeCreate,
    PracticeQuery,
    ProfileCreate,
    ProgressCreate,
)
from skillpass.community.repository import CommunityRepository
from skillpass.community.service import CommunityAccess, OrganisationService, PartnershipService
from skillpass.community.synthetic import SeedReport, plan_seed
from skillpass.credentials.membership_repository import MembershipRepository
from skillpass.errors import InvalidInput, NotFound
from skillpass.pathways.catalogue import CatalogueService
from skillpass.pathways.funding import FundingService
from skillpass.taxonomy.capabilities import CapabilityService

__all__ = ["EXPORT_FORMAT", "CommunityService", "TransferReport"]

#: The ``format`` of export files.
EXPORT_FORMAT = "skillpass-community/1"
#: Largest import file read.
MAX_IMPORT_BYTES = 20 * 1024 * 1024


class TransferReport(BaseModel):
    """What an import wrote (existing things are matched, not duplicated)."""

    organisations_created: int = 0
    organisations_matched: int = 0
    commitments: int = 0
    progress_reports: int = 0
    partnerships: int = 0
    practices: int = 0
    posts: int = 0


class CommunityService:
    """Organisations, partnerships, partner finding, the library and news, wired together.

    Attributes:
        organisations: Joining, profiles, commitments, progress, dashboards, funding.
        partnerships: Partnerships, members, coordinators, their dashboards.
        partners: Partner suggestions with reasons; contact requests.
        library: Best practices (submit, moderate, search) and news/events.
    """

    def __init__(
        self,
        engine: Engine,
        capabilities: CapabilityService,
        catalogue: CatalogueService,
        funding: FundingService,
    ) -> None:
        self._repo = CommunityRepository(engine)
        self._library_repo = LibraryRepository(engine)
        members = MembershipRepository(engine)
        self.access = CommunityAccess(self._repo, members)
        self.organisations = OrganisationService(
            self._repo, self.access, members, capabilities, funding
        )
        self.partnerships = PartnershipService(self._repo, self.access, self.organisations)
        self.partners = PartnerService(
            self._repo, self._library_repo, self.access, self.organisations, catalogue
        )
        self.library = LibraryService(self._library_repo, self.access, self.organisations)

    # --- synthetic seed -----------------------------------------------------------------------

    def seed_synthetic(self, seed: int = 7) -> SeedReport:
        """Write a synthetic community (see :mod:`skillpass.community.synthetic`); running it
        again adds nothing for organisations that exist already.

        Args:
            seed: Seed of the random numbers.

        Returns:
            What was made.
        """
        plan = plan_seed(seed)
        ids: dict[str, str] = {}
        made = skipped = commitments = reports = 0
        for org in plan.organisations:
            existing = self._repo.find_organisation(org.name, org.country)
            if existing is not None:
                ids[org.name] = existing
                skipped += 1
                continue
            profile = self.organisations.join(
                None,
                org.profile,
                name=org.name,
                country=org.country,
                region=org.region,
                synthetic=True,
            )
            ids[org.name] = profile.organisation_id
            made += 1
            for commitment, progress in org.commitments:
                stored = self.organisations.commit(
                    None, profile.organisation_id, commitment, synthetic=True
                )
                commitments += 1
                for report in progress:
                    self.organisations.report_progress(None, stored.id, report)
                    reports += 1
        partnerships = 0
        known = {p.name for p in self.partnerships.all()}
        for partnership, coordinator, partners in plan.partnerships:
            if partnership.name in known:
                continue
            created = self.partnerships.create(None, ids[coordinator], partnership, synthetic=True)
            for name in partners:
                self.partnerships.add_member(None, created.id, ids[name])
            partnerships += 1
        practices = 0
        titles = {p.title for p in self.library.search(PracticeQuery())}
        for owner, practice in plan.practices:
            if practice.title not in titles:
                self.library.add_published(ids.get(owner), practice, synthetic=True)
                practices += 1
        posts = 0
        seen = {p.title for p in self.library.posts(limit=500)}
        for post in plan.posts:
            if post.title not in seen:
                self.library.post(None, post, synthetic=True)
                posts += 1
        return SeedReport(
            organisations=made,
            skipped_organisations=skipped,
            commitments=commitments,
            progress_reports=reports,
            partnerships=partnerships,
            practices=practices,
            posts=posts,
        )

    # --- export and import --------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        """The whole community as one JSON-ready document (see the module docstring)."""
        partnerships = self.partnerships.all()
        partnership_names = {p.id: p.name for p in partnerships}
        organisations: list[dict[str, Any]] = []
        for profile in self.organisations.profiles():
            contact = self._repo.contact_details(profile.organisation_id)
            body = ProfileCreate(
                role=profile.role,
                description=profile.description,
                sectors=profile.sectors,
                regions=profile.regions,
                offers=profile.offers,
                needs=profile.needs,
                contact_email=contact.contact_email,
                website=profile.website,
            )
            commitments = [
                {
                    **CommitmentCreate.model_validate(c.model_dump()).model_dump(
                        mode="json", exclude={"partnership_id"}
                    ),
                    "partnership": partnership_names.get(c.partnership_id or ""),
                    "synthetic": c.synthetic,
                    "progress": [
                        ProgressCreate.model_validate(p.model_dump()).model_dump(mode="json")
                        for p in c.progress
                    ],
                }
                for c in reversed(self.organisations.commitments(profile.organisation_id))
            ]
            organisations.append(
                {
                    "name": profile.name,
                    "country": profile.country,
                    "region": profile.region,
                    "synthetic": profile.synthetic,
                    "profile": body.model_dump(mode="json"),
                    "commitments": commitments,
                }
            )
        return {
            "format": EXPORT_FORMAT,
            "exported_at": datetime.now(UTC).isoformat(),
            "organisations": organisations,
            "partnerships": [
                {
                    **PartnershipCreate.model_validate(p.model_dump()).model_dump(mode="json"),
                    "synthetic": p.synthetic,
                    "members": [
                        {"name": m.name, "country": m.country, "role": m.role} for m in p.members
                    ],
                }
                for p in partnerships
            ],
            "practices": [
                {
                    **PracticeCreate.model_validate(p.model_dump()).model_dump(mode="json"),
                    "organisation": _owner(self.organisations, p.organisation_id),
                    "synthetic": p.synthetic,
                }
                for p in reversed(self.library.search(PracticeQuery()))
            ],
            "posts": [
                {
                    **PostCreate.model_validate(p.model_dump()).model_dump(mode="json"),
                    "synthetic": p.synthetic,
                }
                for p in reversed(self.library.posts(limit=500))
            ],
        }

    def export_file(self, path: Path) -> dict[str, int]:
        """Write :meth:`export` to ``path`` (UTF-8 JSON); returns counts per section."""
        document = self.export()
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        return {
            key: len(document[key])
            for key in ("organisations", "partnerships", "practices", "posts")
        }

    def import_file(self, path: Path) -> TransferReport:
        """Read an export file and write what is missing (the operator acts).

        Everything is checked before anything is written; with any problem, every problem is
        listed and nothing is imported.

        Raises:
            InvalidInput: Unreadable file, wrong format, or invalid entries (all listed).
        """
        if not path.is_file():
            raise InvalidInput(f"There is no file {path}.")
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise InvalidInput(f"{path.name} is larger than {MAX_IMPORT_BYTES // 2**20} MB.")
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InvalidInput(f"{path.name} is not a JSON file: {error}") from error
        return self.import_document(document, source=path.name)

    def import_document(self, document: Any, source: str = "the document") -> TransferReport:
        """Import a parsed export document (see :meth:`import_file`)."""
        if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
            raise InvalidInput(
                f'{source} is not a community export: it needs "format": '
                f'"{EXPORT_FORMAT}" (make one with `skillpass community export`).'
            )
        checked = _check(document, source)
        report = TransferReport()
        ids: dict[tuple[str, str], str] = {}
        new: list[tuple[str, list[tuple[CommitmentCreate, bool, list[ProgressCreate], str | None]]]]
        new = []
        for org, profile, commitments in checked.organisations:
            key = (org["name"], org["country"])
            existing = self._repo.find_organisation(*key)
            if existing is not None:
                self.organisations.join(None, profile, organisation_id=existing)
                ids[key] = existing
                report.organisations_matched += 1
                continue
            made = self.organisations.join(
                None,
                profile,
                name=org["name"],
                country=org["country"],
                region=org.get("region"),
                synthetic=bool(org.get("synthetic")),
            )
            ids[key] = made.organisation_id
            new.append((made.organisation_id, commitments))
            report.organisations_created += 1
        known = {p.name: p.id for p in self.partnerships.all()}
        for partnership, synthetic, members in checked.partnerships:
            if partnership.name in known:
                continue
            coordinators = [m for m in members if m["role"] == "coordinator"] or members
            if not coordinators or (coordinators[0]["name"], coordinators[0]["country"]) not in ids:
                continue
            first = ids[(coordinators[0]["name"], coordinators[0]["country"])]
            created = self.partnerships.create(None, first, partnership, synthetic=synthetic)
            known[created.name] = created.id
            for member in members:
                member_id = ids.get((member["name"], member["country"]))
                if member_id is not None and member_id != first:
                    self.partnerships.add_member(None, created.id, member_id, member["role"])
            report.partnerships += 1
        for organisation_id, commitments in new:
            for commitment, synthetic, progress, shared in commitments:
                partnership_id = known.get(shared) if shared else None
                if partnership_id is not None and organisation_id not in {
                    m.organisation_id for m in self.partnerships.get(partnership_id).members
                }:
                    partnership_id = None
                stored = self.organisations.commit(
                    None,
                    organisation_id,
                    commitment.model_copy(update={"partnership_id": partnership_id}),
                    synthetic=synthetic,
                )
                report.commitments += 1
                for entry in progress:
                    self.organisations.report_progress(None, stored.id, entry)
                    report.progress_reports += 1
        titles = {p.title for p in self.library.search(PracticeQuery())}
        for practice, owner, synthetic in checked.practices:
            if practice.title in titles:
                continue
            owner_id = ids.get((owner["name"], owner["country"])) if owner else None
            self.library.add_published(owner_id, practice, synthetic=synthetic)
            report.practices += 1
        seen = {p.title for p in self.library.posts(limit=500)}
        for post, synthetic in checked.posts:
            if post.title not in seen:
                self.library.post(None, post, synthetic=synthetic)
                report.posts += 1
        return report


def _owner(organisations: OrganisationService, organisation_id: str | None) -> Any:
    if organisation_id is None:
        return None
    try:
        profile = organisations.profile(organisation_id)
    except NotFound:  # an organisation that left the community: no owner
        return None
    return {"name": profile.name, "country": profile.country}


class _Checked:
    def __init__(self) -> None:
        self.organisations: list[
            tuple[
                dict[str, Any],
                ProfileCreate,
                list[tuple[CommitmentCreate, bool, list[ProgressCreate], str | None]],
            ]
        ] = []
        self.partnerships: list[tuple[PartnershipCreate, bool, list[dict[str, str]]]] = []
        self.practices: list[tuple[PracticeCreate, dict[str, str] | None, bool]] = []
        self.posts: list[tuple[PostCreate, bool]] = []


def _problem(where: str, error: ValidationError) -> list[str]:
    return [f"{where}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]


def _check(document: dict[str, Any], source: str) -> _Checked:
    checked = _Checked()
    problems: list[str] = []
    for n, org in enumerate(document.get("organisations") or [], start=1):
        where = f"organisation {n}"
        if not isinstance(org, dict) or not org.get("name") or not org.get("country"):
            problems.append(f"{where}: needs a name and a country")
            continue
        try:
            profile = ProfileCreate.model_validate(org.get("profile") or {})
        except ValidationError as error:
            problems += _problem(where, error)
            continue
        commitments: list[tuple[CommitmentCreate, bool, list[ProgressCreate], str | None]] = []
        for m, item in enumerate(org.get("commitments") or [], start=1):
            try:
                body = {k: v for k, v in item.items() if k not in ("progress", "partnership")}
                body.pop("synthetic", None)
                commitments.append(
                    (
                        CommitmentCreate.model_validate(body),
                        bool(item.get("synthetic")),
                        [ProgressCreate.model_validate(p) for p in item.get("progress") or []],
                        item.get("partnership"),
                    )
                )
            except (ValidationError, AttributeError) as error:
                if isinstance(error, ValidationError):
                    problems += _problem(f"{where}, commitment {m}", error)
                else:
                    problems.append(f"{where}, commitment {m}: not an object")
        checked.organisations.append((org, profile, commitments))
    for n, item in enumerate(document.get("partnerships") or [], start=1):
        try:
            body = {k: v for k, v in item.items() if k not in ("members", "synthetic")}
            members = [
                {"name": str(m["name"]), "country": str(m["country"]), "role": str(m["role"])}
                for m in item.get("members") or []
            ]
            checked.partnerships.append(
                (PartnershipCreate.model_validate(body), bool(item.get("synthetic")), members)
            )
        except ValidationError as error:
            problems += _problem(f"partnership {n}", error)
        except (KeyError, TypeError, AttributeError):
            problems.append(f"partnership {n}: members need a name, a country and a role")
    for n, item in enumerate(document.get("practices") or [], start=1):
        try:
            body = {k: v for k, v in item.items() if k not in ("organisation", "synthetic")}
            owner = item.get("organisation")
            checked.practices.append(
                (PracticeCreate.model_validate(body), owner or None, bool(item.get("synthetic")))
            )
        except ValidationError as error:
            problems += _problem(f"practice {n}", error)
    for n, item in enumerate(document.get("posts") or [], start=1):
        try:
            body = {k: v for k, v in item.items() if k != "synthetic"}
            checked.posts.append((PostCreate.model_validate(body), bool(item.get("synthetic"))))
        except ValidationError as error:
            problems += _problem(f"post {n}", error)
    if problems:
        raise InvalidInput(
            f"{source} was not imported; fix these and try again: " + "; ".join(problems[:50]),
            details={"problems": problems},
        )
    return checked
