"""Qualification levels use cases: EQF levels, national frameworks, comparison through EQF, ECTS.

The data (see ``docs/qualification-levels.md``) ships with the package and is read on first use,
never at import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from skillpass.errors import InvalidInput, NotFound
from skillpass.qualifications._data import QualificationData, load_qualification_data
from skillpass.qualifications.models import (
    CountryFrameworks,
    EctsFacts,
    EctsWorkload,
    EqfLevel,
    FrameworkCounterpart,
    FrameworkSummary,
    LevelComparison,
    LevelReference,
    NationalFramework,
    NqfLevel,
)

__all__ = ["COMPARISON_METHOD", "ECTS_APPROXIMATION", "QualificationService"]

COMPARISON_METHOD = (
    "Compared through EQF level {level}: the European Qualifications Framework is the translation "
    "device between national frameworks, and each national level is compared only through the EQF "
    "level it is referenced to. The same EQF level means a comparable level of learning outcomes, "
    "not automatic recognition: recognising a qualification is decided by the competent authority "
    "(an ENIC-NARIC centre for academic recognition, the host country's authority for regulated "
    "professions under Directive 2005/36/EC)."
)

ECTS_APPROXIMATION = (
    "Approximation: 1 ECTS credit stands for 25-30 hours of learning (60 credits for a full-time "
    "academic year, ECTS Users' Guide 2015). Credits measure the workload a typical learner needs "
    "to reach the learning outcomes, so hours convert to credits only roughly; the institution "
    "awarding the credits decides."
)


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).casefold()


def _summary(framework: NationalFramework) -> FrameworkSummary:
    return FrameworkSummary.model_validate(framework.model_dump(exclude={"levels"}))


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


class QualificationService:
    """EQF levels, national frameworks referenced to EQF, and level comparison."""

    def __init__(self) -> None:
        self._loaded: QualificationData | None = None
        self._index: dict[str, tuple[str, str | None]] = {}

    # --- data -----------------------------------------------------------------------------

    @property
    def _data(self) -> QualificationData:
        if self._loaded is None:
            data = load_qualification_data()
            self._index = self._build_index(data)
            self._loaded = data
        return self._loaded

    @property
    def _lookup(self) -> dict[str, tuple[str, str | None]]:
        """Lookup keys -> (country code, framework id or None for the whole country)."""
        _ = self._data  # loads the data and builds the index on first use
        return self._index

    @staticmethod
    def _build_index(data: QualificationData) -> dict[str, tuple[str, str | None]]:
        """Lookup keys -> (country code, framework id or None for the whole country)."""
        index: dict[str, tuple[str, str | None]] = {}
        acronyms: dict[str, list[tuple[str, str]]] = {}
        for country in data.countries:
            for name in (
                country.country_code,
                country.country,
                *data.aliases[country.country_code],
            ):
                index[_key(name)] = (country.country_code, None)
            for framework in country.frameworks:
                index[_key(framework.framework_id)] = (country.country_code, framework.framework_id)
                acronyms.setdefault(_key(framework.acronym), []).append(
                    (country.country_code, framework.framework_id)
                )
        for acronym, owners in acronyms.items():
            if len(owners) == 1:  # an acronym shared by two countries (QNQ) is no key
                index.setdefault(acronym, owners[0])
        return index

    def _country(self, code: str) -> CountryFrameworks:
        return next(c for c in self._data.countries if c.country_code == code)

    def _valid_names(self) -> list[str]:
        names: list[str] = []
        for country in self._data.countries:
            names.append(country.country_code)
            names.extend(
                f.framework_id for f in country.frameworks if f.framework_id != country.country_code
            )
        return names

    def _resolve(self, query: str) -> tuple[CountryFrameworks, tuple[NationalFramework, ...]]:
        """A country or framework by code, name, alias, framework id or unique acronym."""
        found = self._lookup.get(_key(query))
        if not found:
            valid = self._valid_names()
            raise NotFound(
                f"No qualifications framework is known for {query!r}. Use an ISO country code "
                f"(e.g. SE), a country name (e.g. Sweden) or a framework id: {', '.join(valid)}.",
                details={"query": query, "valid": valid},
            )
        code, framework_id = found
        country = self._country(code)
        if framework_id is None:
            return country, country.frameworks
        return country, tuple(f for f in country.frameworks if f.framework_id == framework_id)

    def _one_framework(self, query: str) -> tuple[CountryFrameworks, NationalFramework]:
        country, frameworks = self._resolve(query)
        if not frameworks:
            raise NotFound(
                f"SkillPass has no framework data for {country.country} yet "
                f"({country.status_note}). See docs/qualification-levels.md to add it.",
                details={"country": country.country_code},
            )
        if len(frameworks) == 1:
            return country, frameworks[0]
        if country.default_framework:
            default = next(f for f in frameworks if f.framework_id == country.default_framework)
            return country, default
        ids = [f"{f.framework_id} ({f.acronym})" for f in frameworks]
        raise InvalidInput(
            f"{country.country} has {len(frameworks)} qualifications frameworks: "
            f"{', '.join(ids)}. Name one of them, e.g. {frameworks[0].framework_id}.",
            details={
                "country": country.country_code,
                "frameworks": [f.framework_id for f in frameworks],
            },
        )

    @staticmethod
    def _level(framework: NationalFramework, nqf_level: str) -> NqfLevel:
        wanted = _key(nqf_level)
        wanted = wanted.removeprefix("level ").strip()
        for level in framework.levels:
            if _key(level.nqf_level) == wanted:
                return level
        levels = [level.nqf_level for level in framework.levels]
        raise InvalidInput(
            f"{framework.acronym} ({framework.country}) has no level {nqf_level!r}. "
            f"Its levels referenced to EQF are: {', '.join(levels)}.",
            details={"framework": framework.framework_id, "levels": levels},
        )

    # --- EQF and ECTS ------------------------------------------------------------------------

    def eqf_levels(self) -> list[EqfLevel]:
        """The eight EQF levels, lowest first.

        Returns:
            EQF levels 1-8 with their descriptors, QF-EHEA cycle and sources.
        """
        return list(self._data.eqf_levels)

    def eqf_level(self, level: int) -> EqfLevel:
        """One EQF level.

        Args:
            level: 1 to 8.

        Returns:
            The level with its descriptors and sources.

        Raises:
            InvalidInput: ``level`` is outside 1-8.
        """
        if not 1 <= level <= 8:
            raise InvalidInput(
                f"EQF has levels 1 to 8; {level} is not one of them. Use a level from 1 to 8.",
                details={"level": level, "valid": list(range(1, 9))},
            )
        return self._data.eqf_levels[level - 1]

    def ects(self) -> EctsFacts:
        """ECTS workload conventions and QF-EHEA cycle credit ranges, with sources.

        Returns:
            The ECTS facts.
        """
        return self._data.ects

    def ects_to_hours(self, credits: float) -> EctsWorkload:
        """Approximate hours of learning for a number of ECTS credits.

        Args:
            credits: ECTS credits, zero or more.

        Returns:
            A range (25-30 hours a credit), marked as an approximation.

        Raises:
            InvalidInput: ``credits`` is negative.
        """
        if credits < 0:
            raise InvalidInput(f"ECTS credits cannot be negative ({credits}); give 0 or more.")
        facts = self._data.ects
        return EctsWorkload(
            credits_min=credits,
            credits_max=credits,
            hours_min=credits * facts.hours_per_credit_min,
            hours_max=credits * facts.hours_per_credit_max,
            note=ECTS_APPROXIMATION,
        )

    def hours_to_ects(self, hours: float) -> EctsWorkload:
        """Approximate ECTS credits for hours of learning.

        Args:
            hours: Hours of learning (all activities: contact, self-study, assessment), 0 or more.

        Returns:
            A range of credits (hours / 30 to hours / 25), marked as an approximation.

        Raises:
            InvalidInput: ``hours`` is negative.
        """
        if hours < 0:
            raise InvalidInput(f"Hours of learning cannot be negative ({hours}); give 0 or more.")
        facts = self._data.ects
        return EctsWorkload(
            credits_min=round(hours / facts.hours_per_credit_max, 2),
            credits_max=round(hours / facts.hours_per_credit_min, 2),
            hours_min=hours,
            hours_max=hours,
            note=ECTS_APPROXIMATION,
        )

    # --- national frameworks -------------------------------------------------------------------

    def frameworks(self) -> list[CountryFrameworks]:
        """Every country in the data: all EU and EEA countries, plus CH and the UK.

        Returns:
            Countries in data order, each with its status (complete | partial | missing) and
            frameworks.
        """
        return list(self._data.countries)

    def framework(self, country: str) -> NationalFramework:
        """A national framework with its levels.

        Args:
            country: ISO code ('SE', 'se'), country name ('Sweden'), framework id ('BE-fl',
                'GB-SCQF') or a framework acronym used by one country only ('SeQF').

        Returns:
            The framework. A country with several frameworks gives its default one (ES: MECU,
            FR: the current framework); without a default the caller must name one.

        Raises:
            NotFound: Nothing matches ``country`` (the message lists the valid codes and ids).
            InvalidInput: The country has several frameworks and no default.
        """
        return self._one_framework(country)[1]

    def to_eqf(self, country: str, nqf_level: str) -> LevelReference:
        """The EQF level a national level is referenced to.

        Args:
            country: A country or framework, as for :meth:`framework`.
            nqf_level: The national level as the framework writes it ('5', '5a', 'Entry 3');
                case and a leading 'level' are ignored.

        Returns:
            The framework, the national level row (certainty, note, source) and the EQF level.

        Raises:
            NotFound: Unknown country or framework.
            InvalidInput: The framework has no such level, or the country needs a framework id.
        """
        _country, framework = self._one_framework(country)
        level = self._level(framework, nqf_level)
        return LevelReference(
            framework=_summary(framework), level=level, eqf=self.eqf_level(level.eqf_level)
        )

    def compare(
        self, country: str, nqf_level: str, targets: Sequence[str] | None = None
    ) -> LevelComparison:
        """Compare a national level with other frameworks' levels through EQF.

        Args:
            country: The origin country or framework, as for :meth:`framework`.
            nqf_level: The origin national level.
            targets: Countries or framework ids to compare with; every other framework when
                None. A country stands for all its frameworks.

        Returns:
            The origin, the EQF level, each target framework's levels at that EQF level (empty
            when it has none), the method, caveats and sources.

        Raises:
            NotFound: An unknown origin or target.
            InvalidInput: The origin has no such level or needs a framework id.
        """
        origin = self.to_eqf(country, nqf_level)
        origin_country = self._country(origin.framework.country_code)
        eqf = origin.eqf
        if targets is None:
            candidates = [
                (c, f)
                for c in self._data.countries
                for f in c.frameworks
                if f.framework_id != origin.framework.framework_id
            ]
        else:
            candidates = []
            for target in targets:
                target_country, frameworks = self._resolve(target)
                if not frameworks:
                    raise NotFound(
                        f"SkillPass has no framework data for {target_country.country} yet; "
                        "leave it out or add its rows (docs/qualification-levels.md).",
                        details={"country": target_country.country_code},
                    )
                candidates.extend((target_country, f) for f in frameworks)
            seen: set[str] = {origin.framework.framework_id}
            unique = []
            for pair in candidates:
                if pair[1].framework_id not in seen:
                    seen.add(pair[1].framework_id)
                    unique.append(pair)
            candidates = unique

        counterparts = tuple(
            FrameworkCounterpart(
                framework=_summary(f),
                status=c.status,
                levels=tuple(level for level in f.levels if level.eqf_level == eqf.level),
            )
            for c, f in candidates
        )
        return LevelComparison(
            origin=origin,
            eqf=eqf,
            counterparts=counterparts,
            method=COMPARISON_METHOD.format(level=eqf.level),
            caveats=self._caveats(
                origin, origin_country, counterparts, explicit=targets is not None
            ),
            sources=_unique([*eqf.sources, *(s.strip() for s in origin.level.source.split(" ; "))]),
        )

    @staticmethod
    def _caveats(
        origin: LevelReference,
        origin_country: CountryFrameworks,
        counterparts: Sequence[FrameworkCounterpart],
        *,
        explicit: bool,
    ) -> tuple[str, ...]:
        n = origin.eqf.level
        caveats = [
            f"Comparison through EQF {n} is not recognition: it says the levels are comparable, "
            "not that one qualification replaces another."
        ]
        ofw, olevel = origin.framework, origin.level
        if olevel.uncertain:
            caveats.append(
                f"{ofw.acronym} {olevel.nqf_level} -> EQF {n} is {olevel.certainty}: {olevel.note}"
            )
        if origin_country.status != "complete":
            caveats.append(
                f"Data for {origin_country.country} is {origin_country.status}: "
                f"{origin_country.status_note}"
            )
        if ofw.historic:
            caveats.append(f"{ofw.acronym} ({ofw.country}) is historic. {ofw.scope or ''}".strip())
        for part in counterparts:
            fw = part.framework
            label = f"{fw.acronym} ({fw.country})"
            if not part.levels:
                caveats.append(f"{label} has no level referenced to EQF {n}.")
                continue
            if len(part.levels) > 1:
                names = ", ".join(level.nqf_level for level in part.levels)
                caveats.append(
                    f"{label}: levels {names} are all referenced to EQF {n}; the EQF level is "
                    "broader than each of them."
                )
            caveats.extend(
                f"{label} {level.nqf_level} -> EQF {n} is {level.certainty}."
                for level in part.levels
                if level.uncertain
            )
            if fw.historic:
                caveats.append(f"{label} is historic. {fw.scope or ''}".strip())
            if explicit and part.status != "complete":
                caveats.append(f"Data for {fw.country} is {part.status}.")
        return _unique(caveats)
