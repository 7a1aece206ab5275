"""The learning-opportunity catalogue: providers publish, learners and planners search.

Opportunities carry ESCO-aligned outcomes (and prerequisites); capability areas follow from the
outcome skills. Import from CSV or JSON validates every row first and writes all-or-nothing,
with a progress bar; a synthetic generator makes a realistic demo catalogue (labelled synthetic).

Who may publish: the operator (no actor) and administrators for any provider; a provider on the
platform (``provider_id``) through a user who may act for it
(:meth:`~skillpass.credentials.issuers.IssuerService.check_can_act`). Opportunities of providers
that are not on the platform (no ``provider_id``) are published by the operator or an admin.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from skillpass.auth.models import Role
from skillpass.errors import InvalidInput, NotFound, PermissionDenied, TaxonomyNotLoaded
from skillpass.ids import new_public_id
from skillpass.passport.models import SkillRef
from skillpass.pathways.catalogue_repository import (
    CatalogueRepository,
    SkillConcept,
    StoredOpportunity,
)
from skillpass.pathways.models import Opportunity, OpportunityCreate, OpportunityQuery
from skillpass.pathways.synthetic import (
    AreaSource,
    SyntheticOccupation,
    SyntheticSkill,
    generate_courses,
)
from skillpass.progress import NullProgress

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.auth.models import User
    from skillpass.credentials.issuers import IssuerService
    from skillpass.progress import Progress
    from skillpass.taxonomy.capabilities import CapabilityService

__all__ = ["IMPORT_COLUMNS", "MAX_ROWS", "MAX_SYNTHETIC", "CatalogueImport", "CatalogueService"]

#: Largest catalogue file :meth:`CatalogueService.import_file` reads, and most rows.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
#: Most synthetic opportunities one call generates.
MAX_SYNTHETIC = 50_000

#: Columns of a CSV import: ``id`` (to update) and every field of ``OpportunityCreate``.
IMPORT_COLUMNS: tuple[str, ...] = ("id", *OpportunityCreate.model_fields)
_LIST_FIELDS = frozenset(
    {"languages", "start_dates", "outcomes", "prerequisite_skills", "prerequisite_opportunities"}
)
_REQUIRED = tuple(
    name for name, info in OpportunityCreate.model_fields.items() if info.is_required()
)
_HINTS = {
    "title": "give a title of 3 to 300 characters",
    "provider": "name the provider (2 to 300 characters)",
    "country": "use a two-letter ISO 3166 code in capitals, e.g. DE",
    "region": "use a NUTS code, e.g. DE60",
    "languages": "give ISO 639-1 codes separated by ';', e.g. de;en",
    "mode": "use online, onsite or blended",
    "course_type": "use micro_credential, short_course, vet_module, university_module, "
    "apprenticeship or bootcamp",
    "start_dates": "give dates as YYYY-MM-DD separated by ';' (empty: start any time)",
    "duration_weeks": "give the number of weeks, more than 0",
    "hours": "give the notional workload in hours, more than 0",
    "ects": "give ECTS credits from 0 to 240, or leave it empty",
    "cost_eur": "give the cost in euros, 0 for free",
    "eqf": "give a whole EQF level from 1 to 8, or leave it empty",
    "outcomes": "give at least one ESCO skill URI, separated by ';'",
    "prerequisite_skills": "give ESCO skill URIs separated by ';'",
    "synthetic": "use true or false",
}


class CatalogueImport(BaseModel):
    """What an import did (or, with errors, why nothing was written)."""

    rows: int
    created: int
    updated: int
    errors: list[str]  # "row 12: cost_eur: must be ≥ 0" …; non-empty means nothing written


def _problem(where: str, error: ValidationError) -> list[str]:
    problems: list[str] = []
    for detail in error.errors():
        field = str(detail["loc"][0]) if detail["loc"] else "row"
        hint = _HINTS.get(field)
        message = detail["msg"]
        problems.append(f"{where}: {field}: {message}" + (f"; {hint}" if hint else ""))
    return problems


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("|", ";").split(";") if part.strip()]


def _cells(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV or JSON row as ``OpportunityCreate`` input: empty cells left out, lists split."""
    data: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, str):
            value = value.strip()
            if key in _LIST_FIELDS:
                value = _split(value)
            elif key == "synthetic":
                value = value.lower() in {"true", "yes", "1", "y"}
        data[key] = value
    return data


def _language_problems(where: str, languages: Any) -> list[str]:
    if not isinstance(languages, list):
        return []
    return [
        f"{where}: languages: '{language}' is not a two-letter ISO 639-1 code; use e.g. en, de, fr"
        for language in languages
        if not (isinstance(language, str) and len(language) == 2 and language.isalpha())
    ]


class _Row(BaseModel):
    """One parsed import row: where it is in the file and its content."""

    where: str
    data: dict[str, Any]


def _read_rows(path: Path) -> tuple[list[_Row], list[str]]:
    """Rows of a CSV, JSON (array) or JSON Lines file, and file-level problems."""
    if not path.is_file():
        raise InvalidInput(f"No file at {path}. Give the path of a CSV, JSON or JSONL file.")
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".json", ".jsonl", ".ndjson"}:
        raise InvalidInput(
            f"{path.name}: unknown extension '{suffix}'. Catalogue files are CSV (.csv), "
            "JSON (.json, an array of opportunities) or JSON Lines (.jsonl).",
            details={"path": str(path)},
        )
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInput(
            f"{path.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it.",
            details={"path": str(path)},
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path.name} is not UTF-8 text; save it as UTF-8.") from error
    rows: list[_Row] = []
    problems: list[str] = []
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = list(reader.fieldnames or [])
        unknown = [c for c in header if c not in IMPORT_COLUMNS]
        if unknown:
            problems.append(
                f"header: unknown column(s) {', '.join(unknown)}; valid columns are "
                f"{', '.join(IMPORT_COLUMNS)}"
            )
        missing = [c for c in _REQUIRED if c not in header]
        if missing:
            problems.append(f"header: missing column(s) {', '.join(missing)}; add them")
        line = reader.line_num + 1
        for number, record in enumerate(reader, start=1):
            if None in record:
                problems.append(
                    f"row {number} (line {line}): more cells than columns; check quoting"
                )
            cells = {k: v for k, v in record.items() if k is not None and k in IMPORT_COLUMNS}
            rows.append(_Row(where=f"row {number} (line {line})", data=_cells(cells)))
            line = reader.line_num + 1
        return rows, problems
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInput(f"{path.name} is not valid JSON: {error}") from error
        if isinstance(data, dict) and isinstance(data.get("opportunities"), list):
            data = data["opportunities"]
        if not isinstance(data, list):
            raise InvalidInput(
                f"{path.name} must hold a JSON array of opportunities "
                '(or {"opportunities": [...]}); see docs/catalogue.md.'
            )
        items = list(enumerate(data, start=1))
    else:
        items = []
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                items.append((number, json.loads(raw)))
            except json.JSONDecodeError as error:
                problems.append(f"row {number}: not valid JSON ({error.msg}); one object per line")
    for number, item in items:
        if not isinstance(item, dict):
            problems.append(f"row {number}: must be a JSON object with the opportunity's fields")
            continue
        unknown = [k for k in item if k not in IMPORT_COLUMNS]
        if unknown:
            problems.append(
                f"row {number}: unknown field(s) {', '.join(unknown)}; valid fields are "
                f"{', '.join(IMPORT_COLUMNS)}"
            )
        cells = {k: v for k, v in item.items() if k in IMPORT_COLUMNS}
        rows.append(_Row(where=f"row {number}", data=_cells(cells)))
    return rows, problems


class _Prepared(BaseModel):
    where: str
    existing_id: str | None
    draft: OpportunityCreate


class CatalogueService:
    """Publish, import, search and generate learning opportunities."""

    def __init__(
        self, engine: Engine, capabilities: CapabilityService, issuers: IssuerService
    ) -> None:
        self._engine = engine
        self._capabilities = capabilities
        self._issuers = issuers
        self._repo = CatalogueRepository(engine)

    # --- publishing ------------------------------------------------------------------------

    def create(self, actor: User | None, opportunity: OpportunityCreate) -> Opportunity:
        """Publish one opportunity. With ``provider_id``, the actor must act for that
        organisation (``IssuerService.check_can_act``); None actor = the operator.

        Raises:
            InvalidInput: Unknown ESCO skill URIs (not imported), unknown prerequisite ids.
            PermissionDenied: The actor may not publish for the provider.
        """
        self._check_publish(actor, opportunity.provider_id)
        return self._publish_one(None, opportunity)

    def update(
        self, actor: User | None, opportunity_id: str, opportunity: OpportunityCreate
    ) -> Opportunity:
        """Replace an opportunity (same checks as :meth:`create`).

        Raises:
            NotFound: No such opportunity.
            InvalidInput: As for :meth:`create`, or the opportunity requires itself.
            PermissionDenied: The actor may not publish for the stored or the new provider.
        """
        stored = self._repo.get(opportunity_id)
        self._check_publish(actor, stored.provider_id)
        if opportunity.provider_id != stored.provider_id:
            self._check_publish(actor, opportunity.provider_id)
        return self._publish_one(stored, opportunity)

    def delete(self, actor: User | None, opportunity_id: str) -> None:
        """Withdraw an opportunity.

        Raises:
            NotFound: No such opportunity.
            PermissionDenied: The actor may not act for its provider.
        """
        stored = self._repo.get(opportunity_id)
        self._check_publish(actor, stored.provider_id)
        self._repo.delete(opportunity_id)

    def _check_publish(self, actor: User | None, provider_id: str | None) -> None:
        if provider_id is not None:
            self._issuers.check_can_act(actor, provider_id)
        elif actor is not None and Role.ADMIN not in actor.roles:
            raise PermissionDenied(
                "Only an administrator publishes for providers that are not on SkillPass. "
                "Give provider_id: the id of the organisation you act for.",
                details={"needed": ["admin"]},
            )

    def _publish_one(self, stored: Opportunity | None, draft: OpportunityCreate) -> Opportunity:
        prepared = _Prepared(
            where="the opportunity", existing_id=stored.id if stored else None, draft=draft
        )
        problems = _language_problems(prepared.where, draft.languages)
        problems += self._check_references([prepared])
        if problems:
            raise InvalidInput(
                "The opportunity cannot be published: " + "; ".join(problems),
                details={"problems": problems},
            )
        row = self._stored([prepared], {stored.id: stored} if stored else {})[0]
        self._repo.write([row])
        return row.opportunity

    # --- reading ---------------------------------------------------------------------------

    def get(self, opportunity_id: str) -> Opportunity:
        """One opportunity. Raises NotFound."""
        return self._repo.get(opportunity_id)

    def search(self, query: OpportunityQuery) -> tuple[list[Opportunity], int]:
        """Filtered, paged opportunities and the total number matching.

        Filters combine with AND: ``skill`` (an outcome's ESCO URI), ``capability_area``,
        ``country``, ``language``, ``mode``, ``max_cost_eur``, ``eqf``, ``provider_id`` and
        ``text`` (every word must occur in the title, provider, description or a skill label).
        Results are ordered by title.
        """
        return self._repo.search(query)

    def all(self) -> list[Opportunity]:
        """Every opportunity (for the planner)."""
        return self._repo.all()

    def providing(self, skill_uris: list[str]) -> list[Opportunity]:
        """Opportunities with at least one of these skills among their outcomes."""
        return self._repo.providing(skill_uris)

    # --- import ----------------------------------------------------------------------------

    def import_file(
        self, path: Path, *, actor: User | None = None, progress: Progress | None = None
    ) -> CatalogueImport:
        """Import a CSV or JSON (array or JSON Lines) file of ``OpportunityCreate`` rows; rows
        with an ``id`` column update that opportunity. Validates everything before writing.

        Every problem is listed in ``errors`` with its row (and, for CSV, its line) and what to
        do; with any error nothing is written.

        Raises:
            InvalidInput: Unreadable file or unknown extension.
        """
        progress = progress or NullProgress()
        rows, problems = _read_rows(path)
        if len(rows) > MAX_ROWS:
            raise InvalidInput(f"{path.name} has {len(rows):,} rows; import at most {MAX_ROWS:,}.")
        if not rows and not problems:
            problems.append(
                "the file has no rows; add one opportunity per row (see docs/catalogue.md)"
            )
        progress.stage(f"Checking {len(rows):,} rows", total=len(rows))
        prepared: list[_Prepared] = []
        unparsed: list[tuple[str, str, list[str]]] = []
        ids_seen: dict[str, str] = {}
        for row in rows:
            data = dict(row.data)
            existing_id = data.pop("id", None)
            if existing_id is not None:
                existing_id = str(existing_id)
                if existing_id in ids_seen:
                    problems.append(
                        f"{row.where}: id: {existing_id} is also updated by "
                        f"{ids_seen[existing_id]}; keep one row per opportunity"
                    )
                ids_seen.setdefault(existing_id, row.where)
            problems.extend(_language_problems(row.where, data.get("languages")))
            try:
                draft = OpportunityCreate.model_validate(data)
            except ValidationError as error:
                problems.extend(_problem(row.where, error))
                for field in ("outcomes", "prerequisite_skills"):
                    listed = data.get(field)
                    if isinstance(listed, list):
                        unparsed.append((row.where, field, [str(u) for u in listed]))
            else:
                prepared.append(_Prepared(where=row.where, existing_id=existing_id, draft=draft))
            progress.advance()
        stored = self._repo.get_many(p.existing_id for p in prepared if p.existing_id)
        for item in prepared:
            if item.existing_id and item.existing_id not in stored:
                problems.append(
                    f"{item.where}: id: no opportunity '{item.existing_id}' to update; leave the "
                    "id empty to create a new one"
                )
        problems.extend(self._check_permissions(actor, prepared, stored))
        problems.extend(self._check_references(prepared, unparsed))
        if problems:
            return CatalogueImport(rows=len(rows), created=0, updated=0, errors=problems)
        written = self._stored(prepared, stored)
        progress.stage(f"Writing {len(written):,} opportunities", total=len(written))
        created, updated = self._repo.write(written, on_chunk=progress.advance)
        return CatalogueImport(rows=len(rows), created=created, updated=updated, errors=[])

    def _check_permissions(
        self, actor: User | None, prepared: list[_Prepared], stored: dict[str, Opportunity]
    ) -> list[str]:
        problems: list[str] = []
        verdicts: dict[str | None, str | None] = {}
        for item in prepared:
            providers = [item.draft.provider_id]
            if item.existing_id in stored:
                providers.append(stored[item.existing_id].provider_id)
            for provider_id in dict.fromkeys(providers):
                if provider_id not in verdicts:
                    try:
                        self._check_publish(actor, provider_id)
                        verdicts[provider_id] = None
                    except (PermissionDenied, NotFound) as error:
                        verdicts[provider_id] = error.message
                verdict = verdicts[provider_id]
                if verdict is not None:
                    problems.append(f"{item.where}: provider_id: {verdict}")
        return problems

    def _check_references(
        self,
        prepared: list[_Prepared],
        unparsed: list[tuple[str, str, list[str]]] | None = None,
    ) -> list[str]:
        """ESCO skills exist (and are skills), prerequisite opportunities exist.

        ``unparsed`` adds the skill URIs of rows that failed validation (where, field, URIs), so
        that their URI problems are listed too.
        """
        problems: list[str] = []
        references = [
            (item.where, field, list(getattr(item.draft, field)))
            for item in prepared
            for field in ("outcomes", "prerequisite_skills")
        ] + list(unparsed or [])
        uris = {uri for _, _, listed in references for uri in listed}
        found = self._repo.concepts(uris)
        if uris and not found and not self._repo.taxonomy_loaded():
            return [
                "no ESCO taxonomy is imported, so the outcome skills cannot be checked; run "
                "`skillpass taxonomy import PATH` first"
            ]
        for where, field, listed in references:
            for uri in listed:
                concept = found.get(uri)
                if concept is None:
                    problems.append(
                        f"{where}: {field}: '{uri}' is not an ESCO skill in the imported "
                        "taxonomy; check the URI (find skills with "
                        "`skillpass taxonomy search TEXT`)"
                    )
                elif concept.type != "skill":
                    problems.append(
                        f"{where}: {field}: '{uri}' is an ESCO {concept.type}, not a "
                        "skill; give a skill URI"
                    )
        prerequisite_ids = {i for item in prepared for i in item.draft.prerequisite_opportunities}
        known_ids = set(self._repo.get_many(prerequisite_ids))
        for item in prepared:
            for other in item.draft.prerequisite_opportunities:
                if other == item.existing_id:
                    problems.append(
                        f"{item.where}: prerequisite_opportunities: the opportunity cannot "
                        "require itself; remove its own id"
                    )
                elif other not in known_ids:
                    problems.append(
                        f"{item.where}: prerequisite_opportunities: no opportunity '{other}'; "
                        "publish it first or remove the id"
                    )
        return problems

    # --- building stored opportunities -----------------------------------------------------

    def _area_ids(self, uris: Iterable[str], cache: dict[str, list[str]]) -> list[str]:
        found: set[str] = set()
        for uri in uris:
            if uri not in cache:
                cache[uri] = [ref.id for ref in self._capabilities.areas_for(uri)]
            found.update(cache[uri])
        order = {d.id: n for n, d in enumerate(self._capabilities.definitions)}
        return sorted(found, key=lambda area: (order.get(area, len(order)), area))

    def _stored(
        self,
        prepared: list[_Prepared],
        stored: dict[str, Opportunity],
        *,
        ids: list[str] | None = None,
        concepts: dict[str, SkillConcept] | None = None,
    ) -> list[StoredOpportunity]:
        now = datetime.now(UTC)
        labels = concepts or self._repo.concepts(
            uri
            for item in prepared
            for uri in [*item.draft.outcomes, *item.draft.prerequisite_skills]
        )
        organisation_keys: dict[str, int | None] = {}
        cache: dict[str, list[str]] = {}
        rows: list[StoredOpportunity] = []
        for index, item in enumerate(prepared):
            draft = item.draft
            provider_id = draft.provider_id
            if provider_id is not None and provider_id not in organisation_keys:
                organisation_keys[provider_id] = self._repo.organisation_key(provider_id)
            previous = stored.get(item.existing_id) if item.existing_id else None
            opportunity_id = item.existing_id or (ids[index] if ids else new_public_id())
            outcomes = list(dict.fromkeys(draft.outcomes))
            prerequisites = list(dict.fromkeys(draft.prerequisite_skills))
            opportunity = Opportunity(
                **draft.model_dump(
                    exclude={"outcomes", "prerequisite_skills", "languages", "country"}
                ),
                id=opportunity_id,
                country=draft.country.upper(),
                languages=[language.lower() for language in dict.fromkeys(draft.languages)],
                outcomes=[SkillRef(uri=u, label=labels[u].label) for u in outcomes],
                prerequisite_skills=[SkillRef(uri=u, label=labels[u].label) for u in prerequisites],
                capability_areas=self._area_ids(outcomes, cache),
                created_at=previous.created_at if previous else now,
                updated_at=now,
            )
            key = organisation_keys.get(provider_id) if provider_id else None
            rows.append(StoredOpportunity(opportunity=opportunity, organisation_key=key))
        return rows

    # --- synthetic catalogue ---------------------------------------------------------------

    def generate_synthetic(
        self,
        count: int,
        seed: int = 0,
        *,
        progress: Progress | None = None,
        replace: bool = False,
        today: date | None = None,
    ) -> int:
        """Generate ``count`` synthetic opportunities (deterministic for a seed): outcomes drawn
        from ESCO occupation profiles across capability areas, providers and countries with
        realistic costs, hours, modes and languages; every one ``synthetic=True`` and titled
        plainly. Needs ESCO imported.

        Args:
            count: How many opportunities, 1 to 50,000.
            seed: Random seed: the same seed gives the same courses (ids aside).
            progress: Receives progress.
            replace: Remove the synthetic opportunities already in the catalogue first.
            today: Start dates begin within ten weeks of this day (default: today).

        Returns:
            How many were written.

        Raises:
            InvalidInput: ``count`` out of range.
            TaxonomyNotLoaded: No ESCO taxonomy is imported.
        """
        if not 1 <= count <= MAX_SYNTHETIC:
            raise InvalidInput(
                f"Generate between 1 and {MAX_SYNTHETIC:,} opportunities (you asked for {count})."
            )
        if not self._repo.taxonomy_loaded():
            raise TaxonomyNotLoaded(
                "No ESCO taxonomy is imported; synthetic courses take their outcomes from ESCO "
                "occupation profiles. Run `skillpass taxonomy import PATH` first."
            )
        progress = progress or NullProgress()
        progress.stage("Reading ESCO occupation profiles")
        sources, concepts = self._synthetic_sources()
        courses = generate_courses(sources, count, seed, today=today or date.today())
        if not courses:
            raise TaxonomyNotLoaded(
                "The imported ESCO has no occupations with skills to build courses from. "
                "Import the full ESCO download with `skillpass taxonomy import PATH`."
            )
        ids = [new_public_id() for _ in courses]
        prepared: list[_Prepared] = []
        for course in courses:
            draft = course.draft
            if course.after is not None:
                draft = draft.model_copy(update={"prerequisite_opportunities": [ids[course.after]]})
            prepared.append(_Prepared(where="", existing_id=None, draft=draft))
        rows = self._stored(prepared, {}, ids=ids, concepts=concepts)
        if replace:
            self._repo.delete_synthetic()
        progress.stage(f"Writing {len(rows):,} synthetic opportunities", total=len(rows))
        created, _ = self._repo.write(rows, on_chunk=progress.advance)
        return created

    def _synthetic_sources(self) -> tuple[list[AreaSource], dict[str, SkillConcept]]:
        """Each capability area's occupations (members, or those needing its skills) with their
        ESCO profiles; all areas' concepts by URI."""
        members = self._repo.area_occupations()
        area_skills = self._repo.area_skills()
        chosen: dict[str, list[str]] = {}
        for definition in self._capabilities.definitions:
            occupations = list(members.get(definition.id, []))
            if len(occupations) < 3 and area_skills.get(definition.id):
                occupations += self._repo.occupations_needing(area_skills[definition.id], 8)
            occupations = list(dict.fromkeys(occupations))
            if len(occupations) > 60:  # an even spread of the big disciplines
                step = len(occupations) / 60
                occupations = [occupations[int(n * step)] for n in range(60)]
            if occupations:
                chosen[definition.id] = occupations
        if not chosen:
            chosen["general"] = self._repo.sample_occupations(200)
        profiles = {
            p.uri: p
            for p in self._repo.occupation_profiles(u for uris in chosen.values() for u in uris)
        }
        concepts: dict[str, SkillConcept] = {}
        sources: list[AreaSource] = []
        for area_id, uris in chosen.items():
            area_occupations: list[SyntheticOccupation] = []
            for uri in uris:
                profile = profiles.get(uri)
                if profile is None:
                    continue
                for skill in (*profile.essential, *profile.optional):
                    concepts[skill.uri] = skill
                area_occupations.append(
                    SyntheticOccupation(
                        uri=profile.uri,
                        label=profile.label,
                        isco_group=profile.isco_group,
                        essential=tuple(_skill(s) for s in profile.essential),
                        optional=tuple(_skill(s) for s in profile.optional),
                    )
                )
            sources.append(
                AreaSource(
                    area_id, tuple(area_occupations), frozenset(area_skills.get(area_id, ()))
                )
            )
        return sources, concepts


def _skill(concept: SkillConcept) -> SyntheticSkill:
    return SyntheticSkill(
        uri=concept.uri, label=concept.label, knowledge=concept.skill_type == "knowledge"
    )
