"""The funding directory and its eligibility rules (shared with the community funding portal).

The shipped seed (``pathways/data/funding_programmes.yaml``) models real programme types from
public sources, each with its sources and marked ``example`` until the operator confirms or
replaces it; operators import real data in the same format (YAML or JSON). Eligibility is a set of
explicit rules, each producing a sentence, so a result always says why.

The rules, in the order :func:`evaluate` checks them (an empty rule does not restrict):

* who applies (``applicants``), whether the programme is open (``active``, ``deadline``);
* the person: country and region of residence, age, employment status, sector, annual income,
  organisation size;
* with an opportunity: course type, capability area, where the course is, EQF level, hours.

A rule the situation does not answer is *unknown*: it is listed in ``unknown`` with a sentence
saying what to tell us, and the result is not eligible until it is answered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from skillpass.errors import InvalidInput
from skillpass.pathways.funding_repository import FundingRepository
from skillpass.pathways.models import (
    Applicant,
    AppliedFunding,
    CourseType,
    EligibilityResult,
    EligibilityRules,
    EmploymentStatus,
    FundingBenefit,
    FundingLevel,
    FundingProgramme,
    Opportunity,
    Situation,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["FundingService", "benefit_amount", "evaluate", "load_seed", "parse_programmes"]

#: ISO 3166-1 alpha-2 codes of the EU member states (EU programmes without a country rule).
EU_MEMBER_STATES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)
#: Largest funding file accepted by :meth:`FundingService.import_file`.
MAX_FILE_BYTES = 10 * 1024 * 1024

_APPLICANT_WORDS = {
    Applicant.INDIVIDUALS: "individuals",
    Applicant.EMPLOYERS: "employers",
    Applicant.PROVIDERS: "education and training providers",
    Applicant.PUBLIC_BODIES: "public bodies",
}
_STATUS_WORDS = {
    EmploymentStatus.EMPLOYED: "employed",
    EmploymentStatus.SELF_EMPLOYED: "self-employed",
    EmploymentStatus.UNEMPLOYED: "unemployed",
    EmploymentStatus.STUDENT: "a student",
    EmploymentStatus.INACTIVE: "not in work",
}
_COURSE_WORDS = {
    CourseType.MICRO_CREDENTIAL: "a micro-credential",
    CourseType.SHORT_COURSE: "a short course",
    CourseType.VET_MODULE: "a VET module",
    CourseType.UNIVERSITY_MODULE: "a university module",
    CourseType.APPRENTICESHIP: "an apprenticeship",
    CourseType.BOOTCAMP: "a bootcamp",
}


def _either(words: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _both(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _eur(amount: float) -> str:
    return f"EUR {amount:,.0f}" if amount == round(amount) else f"EUR {amount:,.2f}"


@dataclass(frozen=True)
class _Check:
    """What one rule said: passed (a clause for "eligible because …"), failed or unknown."""

    outcome: Literal["pass", "fail", "unknown"]
    text: str
    field: str | None = None


def _age_range(rules: EligibilityRules) -> str:
    if rules.min_age is not None and rules.max_age is not None:
        return f"aged {rules.min_age} to {rules.max_age}"
    if rules.min_age is not None:
        return f"aged {rules.min_age} or over"
    return f"aged {rules.max_age} or under"


def _person_checks(rules: EligibilityRules, situation: Situation) -> list[_Check]:
    checks: list[_Check] = []
    country = situation.country.upper() if situation.country else None
    if rules.countries:
        wanted = _either(rules.countries) if len(rules.countries) <= 6 else "an EU member state"
        if country is None:
            checks.append(
                _Check(
                    "unknown",
                    f"tell us the country you live in to check this ({wanted})",
                    "country",
                )
            )
        elif country in rules.countries:
            checks.append(_Check("pass", f"you live in {country}"))
        else:
            checks.append(
                _Check(
                    "fail",
                    f"not eligible: this programme is for people living in {wanted}; "
                    f"you live in {country}",
                )
            )
    if rules.regions:
        wanted = _either(rules.regions)
        region = situation.region.upper() if situation.region else None
        if region is None:
            checks.append(
                _Check(
                    "unknown",
                    "tell us your region (NUTS code) to check this "
                    f"(the programme is for {wanted})",
                    "region",
                )
            )
        elif any(region.startswith(prefix.upper()) for prefix in rules.regions):
            lives_in = f"you live in {country}" if country else None
            checks = [c for c in checks if c.text != lives_in]
            where = f"{region} ({country})" if lives_in else region
            checks.append(_Check("pass", f"you live in region {where}"))
        else:
            checks.append(
                _Check(
                    "fail",
                    f"not eligible: this programme is for people living in region {wanted}; "
                    f"you live in {region}",
                )
            )
    if rules.min_age is not None or rules.max_age is not None:
        age_range = _age_range(rules)
        if situation.age is None:
            checks.append(
                _Check(
                    "unknown",
                    f"tell us your age to check this (the programme is for people {age_range})",
                    "age",
                )
            )
        elif (rules.min_age is None or situation.age >= rules.min_age) and (
            rules.max_age is None or situation.age <= rules.max_age
        ):
            checks.append(_Check("pass", f"you are {situation.age} ({age_range})"))
        else:
            checks.append(
                _Check(
                    "fail",
                    f"not eligible: this programme is for people {age_range}; "
                    f"you are {situation.age}",
                )
            )
    if rules.employment_status:
        wanted = _either([_STATUS_WORDS[s] for s in rules.employment_status])
        status = situation.employment_status
        if status is None:
            checks.append(
                _Check(
                    "unknown",
                    "tell us your employment situation to check this "
                    f"(the programme is for people who are {wanted})",
                    "employment_status",
                )
            )
        elif status in rules.employment_status:
            checks.append(_Check("pass", f"you are {_STATUS_WORDS[status]}"))
        else:
            checks.append(
                _Check(
                    "fail",
                    f"not eligible: this programme is for people who are {wanted}; "
                    f"you are {_STATUS_WORDS[status]}",
                )
            )
    if rules.sectors:
        wanted = _either(rules.sectors)
        if situation.sector is None:
            checks.append(
                _Check(
                    "unknown",
                    "tell us your sector (NACE code) to check this "
                    f"(the programme is for {wanted})",
                    "sector",
                )
            )
        elif any(situation.sector.upper().startswith(s.upper()) for s in rules.sectors):
            checks.append(_Check("pass", f"you work in sector {situation.sector}"))
        else:
            checks.append(
                _Check(
                    "fail",
                    f"not eligible: this programme is for the sectors {wanted} (NACE); "
                    f"you work in {situation.sector}",
                )
            )
    if rules.max_annual_income_eur is not None:
        limit = _eur(rules.max_annual_income_eur)
        income = situation.annual_income_eur
        if income is None:
            checks.append(
                _Check(
                    "unknown",
                    f"tell us your annual income to check this (the limit is {limit} a year)",
                    "annual_income_eur",
                )
            )
        elif income <= rules.max_annual_income_eur:
            checks.append(_Check("pass", f"your income of {_eur(income)} is within {limit}"))
        else:
            checks.append(
                _Check(
                    "fail",
                    f"not eligible: this programme is for incomes up to {limit} a year; "
                    f"yours is {_eur(income)}",
                )
            )
    if rules.max_company_size is not None:
        size = situation.company_size
        limit_text = f"{rules.max_company_size} employees"
        if size is None:
            checks.append(
                _Check(
                    "unknown",
                    "tell us how many people your organisation employs to check this "
                    f"(the limit is {limit_text})",
                    "company_size",
                )
            )
        elif size <= rules.max_company_size:
            checks.append(
                _Check("pass", f"your organisation has {size} employees (at most {limit_text})")
            )
        else:
            checks.append(
                _Check(
                    "fail",
                    f"not eligible: this programme is for organisations with at most "
                    f"{limit_text}; yours has {size}",
                )
            )
    return checks


def _course_checks(rules: EligibilityRules, opportunity: Opportunity) -> list[_Check]:
    checks: list[_Check] = []
    if rules.course_types:
        wanted = _either([_COURSE_WORDS[t] for t in rules.course_types])
        kind = _COURSE_WORDS[opportunity.course_type]
        if opportunity.course_type in rules.course_types:
            checks.append(_Check("pass", f"the course is {kind}"))
        else:
            checks.append(
                _Check("fail", f"not eligible: this programme funds {wanted}; the course is {kind}")
            )
    if rules.capability_areas:
        shared = [a for a in opportunity.capability_areas if a in rules.capability_areas]
        if shared:
            checks.append(_Check("pass", f"the course is in the {_both(shared)} capability area"))
        else:
            checks.append(
                _Check(
                    "fail",
                    "not eligible: this programme funds courses in the "
                    f"{_either(rules.capability_areas)} capability areas; the course is not in any",
                )
            )
    if rules.course_countries:
        wanted = _either(rules.course_countries)
        if opportunity.country in rules.course_countries:
            checks.append(_Check("pass", f"the course is in {opportunity.country}"))
        else:
            checks.append(
                _Check(
                    "fail",
                    f"not eligible: this programme funds courses in {wanted}; "
                    f"the course is in {opportunity.country}",
                )
            )
    if rules.min_eqf is not None or rules.max_eqf is not None:
        low, high = rules.min_eqf or 1, rules.max_eqf or 8
        span = f"EQF {low}" if low == high else f"EQF {low} to {high}"
        if opportunity.eqf is None:
            checks.append(
                _Check(
                    "unknown",
                    f"the course does not state its EQF level, so the level rule ({span}) "
                    "cannot be checked",
                    "eqf",
                )
            )
        elif low <= opportunity.eqf <= high:
            checks.append(_Check("pass", f"the course is at EQF {opportunity.eqf} ({span})"))
        else:
            checks.append(
                _Check(
                    "fail",
                    f"not eligible: this programme funds courses at {span}; "
                    f"the course is at EQF {opportunity.eqf}",
                )
            )
    if rules.min_hours is not None:
        if opportunity.hours >= rules.min_hours:
            checks.append(
                _Check(
                    "pass",
                    f"the course has {opportunity.hours:g} hours (at least {rules.min_hours:g})",
                )
            )
        else:
            checks.append(
                _Check(
                    "fail",
                    f"not eligible: this programme funds courses of at least {rules.min_hours:g} "
                    f"hours; the course has {opportunity.hours:g}",
                )
            )
    return checks


def _course_conditions(rules: EligibilityRules) -> list[str]:
    """The course rules in words (for a check without a course)."""
    words: list[str] = []
    if rules.course_types:
        words.append(_either([_COURSE_WORDS[t] for t in rules.course_types]))
    if rules.capability_areas:
        words.append(f"in the {_either(rules.capability_areas)} capability area")
    if rules.course_countries:
        words.append(f"in {_either(rules.course_countries)}")
    if rules.min_eqf is not None or rules.max_eqf is not None:
        words.append(f"at EQF {rules.min_eqf or 1} to {rules.max_eqf or 8}")
    if rules.min_hours is not None:
        words.append(f"at least {rules.min_hours:g} hours")
    return words


def benefit_amount(benefit: FundingBenefit, cost_eur: float) -> float:
    """What a benefit pays towards one course: ``percent`` of the cost plus ``fixed_eur``, never
    more than the cost, the per-course cap or the annual cap."""
    amount = cost_eur * benefit.percent / 100 + benefit.fixed_eur
    caps = [cap for cap in (benefit.cap_eur, benefit.annual_cap_eur) if cap is not None]
    return round(max(0.0, min([amount, cost_eur, *caps])), 2)


def _benefit_words(benefit: FundingBenefit) -> str:
    parts: list[str] = []
    if benefit.percent:
        parts.append(f"{benefit.percent:g}% of the cost")
    if benefit.fixed_eur:
        parts.append(_eur(benefit.fixed_eur))
    text = " plus ".join(parts) or "nothing"
    if benefit.cap_eur is not None:
        text += f", at most {_eur(benefit.cap_eur)} per course"
    if benefit.annual_cap_eur is not None:
        text += f", at most {_eur(benefit.annual_cap_eur)} a year"
    return text


def evaluate(
    programme: FundingProgramme,
    situation: Situation,
    opportunity: Opportunity | None = None,
    *,
    on: date | None = None,
) -> EligibilityResult:
    """Evaluate a programme's rules for a situation (and an opportunity, which also computes the
    amount it would pay). Pure: no storage.

    Args:
        programme: The programme and its rules.
        situation: Who applies and their circumstances; a field left empty that a rule needs
            makes that rule *unknown* (listed in ``unknown``, and the result not eligible).
        opportunity: A course to check the course rules against and to price.
        on: The day to check deadlines on (default: today).

    Returns:
        Eligible or not, with one sentence per deciding rule: when eligible, one sentence
        "eligible because …" joining the rules that passed; otherwise each failed rule
        ("not eligible: …") and each unknown one ("tell us your age to check this …").
    """
    checks: list[_Check] = []
    applicant = _APPLICANT_WORDS[situation.applicant]
    if situation.applicant not in programme.applicants:
        wanted = _either([_APPLICANT_WORDS[a] for a in programme.applicants])
        checks.append(
            _Check("fail", f"not eligible: this programme is for {wanted}, not {applicant}")
        )
    if not programme.active:
        status = f" ({programme.status_text})" if programme.status_text else ""
        checks.append(_Check("fail", f"not eligible: this programme is closed{status}"))
    today = on or date.today()
    if programme.deadline is not None and programme.deadline < today:
        checks.append(
            _Check("fail", f"not eligible: applications closed on {programme.deadline.isoformat()}")
        )
    checks.extend(_person_checks(programme.rules, situation))
    if opportunity is not None:
        checks.extend(_course_checks(programme.rules, opportunity))

    failed = [c.text for c in checks if c.outcome == "fail"]
    unknown = [c for c in checks if c.outcome == "unknown"]
    eligible = not failed and not unknown
    reasons: list[str]
    amount: float | None = None
    if eligible:
        clauses = [c.text for c in checks if c.outcome == "pass"]
        if clauses:
            reasons = [f"eligible because {_both(clauses)}"]
        else:
            reasons = [f"eligible because the programme is open to {applicant} without conditions"]
        if opportunity is None and (conditions := _course_conditions(programme.rules)):
            reasons.append(f"the course must also be {_both(conditions)}")
        if opportunity is not None:
            if programme.benefit is not None:
                amount = benefit_amount(programme.benefit, opportunity.cost_eur)
                reasons.append(
                    f"it would pay {_eur(amount)} of the {_eur(opportunity.cost_eur)} cost "
                    f"({_benefit_words(programme.benefit)})"
                )
            else:
                reasons.append(
                    "the amount per course is not modelled; see the programme's own terms: "
                    + programme.amount_text
                )
    else:
        reasons = failed + [c.text for c in unknown]
    return EligibilityResult(
        programme_id=programme.id,
        programme_name=programme.name,
        eligible=eligible,
        reasons=reasons,
        unknown=[c.field for c in unknown if c.field is not None],
        amount_eur=amount,
    )


# --- files ---------------------------------------------------------------------------------


def _unknown_keys(data: dict[str, Any], model: type[BaseModel], where: str) -> list[str]:
    fields = set(model.model_fields)
    return [
        f"{where}: unknown field '{key}'; valid fields are {', '.join(sorted(fields))}"
        for key in data
        if key not in fields
    ]


def parse_programmes(data: Any, source: str = "the file") -> list[FundingProgramme]:
    """Validate programmes in the seed's format: ``{"programmes": [...]}`` (or a bare list).

    Args:
        data: Parsed YAML or JSON.
        source: Name of the file, for messages.

    Returns:
        The programmes, in file order.

    Raises:
        InvalidInput: Any problem; the message and ``details["problems"]`` list every one, each
            naming the programme by number and id.
    """
    if isinstance(data, dict) and "programmes" in data:
        items = data["programmes"]
    elif isinstance(data, list):
        items = data
    else:
        raise InvalidInput(
            f"{source} has no 'programmes' list. Write the programmes as "
            '{"programmes": [...]} in JSON or `programmes:` in YAML (see docs/funding.md).',
            details={"source": source},
        )
    if not isinstance(items, list) or not items:
        raise InvalidInput(
            f"{source}: 'programmes' must be a non-empty list of programmes (see docs/funding.md).",
            details={"source": source},
        )
    problems: list[str] = []
    programmes: list[FundingProgramme] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(f"programme {number}: must be a mapping of fields, not {item!r:.40}")
            continue
        where = f"programme {number} ({item.get('id', 'no id')})"
        problems.extend(_unknown_keys(item, FundingProgramme, where))
        for key, model in (("rules", EligibilityRules), ("benefit", FundingBenefit)):
            if isinstance(item.get(key), dict):
                problems.extend(_unknown_keys(item[key], model, f"{where}: {key}"))
        try:
            programme = FundingProgramme.model_validate(item)
        except ValidationError as error:
            for detail in error.errors():
                field = ".".join(str(part) for part in detail["loc"]) or "programme"
                problems.append(f"{where}: {field}: {detail['msg']}")
            continue
        if programme.id in seen:
            problems.append(
                f"{where}: the id '{programme.id}' is also used by programme {seen[programme.id]}; "
                "give each programme its own id"
            )
        seen.setdefault(programme.id, number)
        programmes.append(programme)
    if problems:
        shown = "\n".join(f"- {p}" for p in problems[:50])
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise InvalidInput(
            f"{source} has {len(problems)} problem(s); nothing was imported. Fix them and import "
            f"again:\n{shown}{more}",
            details={"source": source, "problems": problems},
        )
    return programmes


def load_seed() -> list[FundingProgramme]:
    """The example programmes shipped with SkillPass (``pathways/data/funding_programmes.yaml``)."""
    text = (resources.files("skillpass.pathways") / "data" / "funding_programmes.yaml").read_text(
        encoding="utf-8"
    )
    return parse_programmes(yaml.safe_load(text), "the shipped funding examples")


def _read_file(path: Path) -> Any:
    if not path.is_file():
        raise InvalidInput(f"No file at {path}. Give the path of a YAML or JSON funding file.")
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml", ".json"}:
        raise InvalidInput(
            f"{path.name}: unknown extension '{suffix}'. Funding files are YAML (.yaml, .yml) "
            "or JSON (.json).",
            details={"path": str(path)},
        )
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInput(
            f"{path.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it.",
            details={"path": str(path)},
        )
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path.name} is not UTF-8 text; save it as UTF-8.") from error
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise InvalidInput(f"{path.name} cannot be parsed: {error}") from error


# --- service -------------------------------------------------------------------------------


def _rank(result: EligibilityResult | None) -> int:
    if result is None or result.eligible:
        return 0
    return 1 if not [r for r in result.reasons if r.startswith("not eligible")] else 2


class FundingService:
    """Directory of funding programmes and eligibility.

    The shipped examples are loaded on first read when the directory is empty
    (:meth:`ensure_seeded`).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._repo = FundingRepository(engine)
        self._seeded = False

    def ensure_seeded(self) -> int:
        """Load the shipped example programmes when the directory is empty; returns how many."""
        self._seeded = True
        if self._repo.count():
            return 0
        return self._repo.upsert_many(load_seed(), origin="seed")

    def _programmes(self) -> list[FundingProgramme]:
        if not self._seeded:
            self.ensure_seeded()
        return self._repo.all()

    def search(
        self,
        *,
        text: str | None = None,
        applicant: Applicant | None = None,
        level: FundingLevel | None = None,
        country: str | None = None,
        capability_area: str | None = None,
        situation: Situation | None = None,
        include_inactive: bool = False,
    ) -> list[tuple[FundingProgramme, EligibilityResult | None]]:
        """Programmes matching the filters; with a situation, each with its eligibility (eligible
        first, then those only waiting for an answer, then the rest).

        ``country`` keeps that country's programmes and EU programmes open to it (their
        country rule, or the member states);
        ``capability_area`` keeps programmes that fund that area (or any area); closed programmes
        and passed deadlines are left out unless ``include_inactive``.
        """
        needle = text.strip().lower() if text else None
        wanted_country = country.upper() if country else None
        today = date.today()
        found: list[tuple[FundingProgramme, EligibilityResult | None]] = []
        for programme in self._programmes():
            if not include_inactive and (
                not programme.active
                or (programme.deadline is not None and programme.deadline < today)
            ):
                continue
            if needle and not any(
                needle in field.lower()
                for field in (
                    programme.id,
                    programme.name,
                    programme.funder,
                    programme.description,
                    programme.eligibility_text,
                )
            ):
                continue
            if applicant is not None and applicant not in programme.applicants:
                continue
            if level is not None and programme.level != level:
                continue
            if wanted_country is not None and not (
                programme.country == wanted_country
                or (
                    programme.country == "EU"
                    and wanted_country in (programme.rules.countries or EU_MEMBER_STATES)
                )
            ):
                continue
            if (
                capability_area is not None
                and programme.rules.capability_areas
                and capability_area not in programme.rules.capability_areas
            ):
                continue
            result = evaluate(programme, situation, on=today) if situation is not None else None
            found.append((programme, result))
        found.sort(key=lambda pair: _rank(pair[1]))
        return found

    def get(self, programme_id: str) -> FundingProgramme:
        """One programme. Raises NotFound."""
        if not self._seeded:
            self.ensure_seeded()
        return self._repo.get(programme_id)

    def check(
        self, programme_id: str, situation: Situation, opportunity: Opportunity | None = None
    ) -> EligibilityResult:
        """Whether a situation meets one programme's rules, and why; with an opportunity, also
        its course rules and the amount the programme would pay for it.

        Raises:
            NotFound: No such programme.
        """
        return evaluate(self.get(programme_id), situation, opportunity)

    def upsert(self, programme: FundingProgramme, origin: str = "api") -> FundingProgramme:
        """Create or replace a programme by id."""
        self._repo.upsert_many([programme], origin=origin)
        return programme

    def import_file(self, path: Path) -> int:
        """Import programmes from YAML or JSON (``{"programmes": [...]}`` in the seed's format);
        validates all before writing. Returns how many were written.

        Raises:
            InvalidInput: Unreadable file or invalid programmes (every problem listed).
        """
        programmes = parse_programmes(_read_file(path), path.name)
        self._seeded = True
        return self._repo.upsert_many(programmes, origin="import")

    def funding_for(self, situation: Situation, opportunity: Opportunity) -> list[AppliedFunding]:
        """The funding a person would get for one opportunity: eligible programmes' amounts,
        combined without exceeding the cost (largest first; programmes that do not stack with
        others are applied alone), each with its reason.

        The best single programme is compared with the combination of every stackable one
        (applied largest first, each only up to what is left to pay); the larger total wins.
        """
        today = date.today()
        offers: list[tuple[FundingProgramme, EligibilityResult, float]] = []
        for programme in self._programmes():
            if programme.benefit is None:
                continue
            result = evaluate(programme, situation, opportunity, on=today)
            if result.eligible and result.amount_eur:
                offers.append((programme, result, result.amount_eur))
        if not offers:
            return []
        offers.sort(key=lambda offer: (-offer[2], offer[0].name))
        single = offers[0]
        stack: list[tuple[FundingProgramme, EligibilityResult, float]] = []
        left = opportunity.cost_eur
        for programme, result, amount in offers:
            benefit = programme.benefit
            if benefit is None or not benefit.stackable or left <= 0:
                continue
            applied = round(min(amount, left), 2)
            stack.append((programme, result, applied))
            left -= applied
        combined = len(stack) > 1 and sum(a for _, _, a in stack) > single[2]
        chosen = stack if combined else [single]
        applied_funding: list[AppliedFunding] = []
        for programme, result, amount in chosen:
            reason = "; ".join(result.reasons)
            if result.amount_eur is not None and amount < result.amount_eur:
                reason += f"; {_eur(amount)} applied, the rest of the cost being covered already"
            if combined:
                others = [p.name for p, _, _ in chosen if p.id != programme.id]
                reason += f"; combined with {_both(others)}"
            applied_funding.append(
                AppliedFunding(
                    programme_id=programme.id,
                    programme_name=programme.name,
                    amount_eur=amount,
                    reason=reason,
                )
            )
        return applied_funding
