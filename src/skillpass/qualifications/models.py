"""Domain models for qualification levels: EQF, national frameworks referenced to EQF, ECTS.

All models are frozen values built from the data files in ``qualifications/data`` (see
``docs/qualification-levels.md``). They carry their sources: a level comparison that cannot say
where a referencing comes from is not worth showing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

__all__ = [
    "Certainty",
    "CountryFrameworks",
    "CoverageStatus",
    "EctsCycle",
    "EctsFacts",
    "EctsWorkload",
    "EqfLevel",
    "FrameworkCounterpart",
    "FrameworkSummary",
    "LevelComparison",
    "LevelReference",
    "Membership",
    "NationalFramework",
    "NqfLevel",
]

Certainty = Literal["confirmed", "stated", "inferred", "unconfirmed"]
"""How sure a referencing row is.

``confirmed``: the NQF/EQF pair was seen in the source. ``stated``: the source says the framework's
levels correspond to the EQF levels of the same number, without a per-level table being read.
``inferred``: deduced (e.g. from an 8-level design or through QF-EHEA cycles). ``unconfirmed``:
not seen in any source read; treat with care.
"""

CoverageStatus = Literal["complete", "partial", "missing"]
"""How far SkillPass's data covers a country (``complete``, ``partial`` or ``missing``)."""

Membership = Literal["EU", "EEA", "other"]
"""EU member state, EEA-EFTA state (IS, LI, NO), or another country listed for reference."""

_VALUE = ConfigDict(frozen=True)


class EqfLevel(BaseModel):
    """One of the eight EQF reference levels, with paraphrased descriptors."""

    model_config = _VALUE

    level: int = Field(ge=1, le=8, description="EQF level, 1 (lowest) to 8 (highest).")
    knowledge: str = Field(description="Knowledge descriptor (short paraphrase of Annex II).")
    skills: str = Field(description="Skills descriptor (short paraphrase of Annex II).")
    responsibility_autonomy: str = Field(
        description="Responsibility and autonomy descriptor (short paraphrase of Annex II)."
    )
    qf_ehea_cycle: str | None = Field(
        default=None,
        description="The QF-EHEA cycle compatible with this level (levels 5-8 only).",
    )
    typical_ects: str | None = Field(
        default=None, description="Typical ECTS credits of that QF-EHEA cycle, as published."
    )
    sources: tuple[str, ...] = Field(description="Where the descriptors come from.")


class NqfLevel(BaseModel):
    """One level of a national framework and the EQF level it is referenced to."""

    model_config = _VALUE

    nqf_level: str = Field(description="The national level as the framework writes it: '5', '5a'.")
    eqf_level: int = Field(ge=1, le=8, description="The EQF level it is referenced to.")
    certainty: Certainty = Field(
        description="confirmed | stated | inferred | unconfirmed (see the documentation)."
    )
    note: str = Field(description="Context and caveats from the compiler of the row.")
    source: str = Field(description="Where the referencing comes from (URLs separated by ' ; ').")
    correction: str | None = Field(
        default=None, description="What SkillPass changed in the reference row, and why."
    )

    @computed_field(description="True when the row is inferred or unconfirmed.")  # type: ignore[prop-decorator]
    @property
    def uncertain(self) -> bool:
        """Whether the referencing was inferred or not confirmed in a source."""
        return self.certainty in ("inferred", "unconfirmed")


class FrameworkSummary(BaseModel):
    """A national framework without its levels (used inside references and comparisons)."""

    model_config = _VALUE

    framework_id: str = Field(
        description="Framework id: the country code ('SE') or, where a country has several "
        "frameworks, country code and acronym ('BE-fl', 'GB-SCQF')."
    )
    country_code: str = Field(description="ISO 3166-1 alpha-2 country code ('GR', 'GB').")
    country: str = Field(description="Country name in English.")
    name: str = Field(description="Framework name (national language / English).")
    acronym: str = Field(description="Short name of the framework ('SeQF', 'DQR').")
    scope: str | None = Field(default=None, description="What part of the system it covers.")
    historic: bool = Field(
        default=False, description="True for frameworks kept only to read older qualifications."
    )


class NationalFramework(FrameworkSummary):
    """A national qualifications framework with its levels referenced to EQF."""

    levels: tuple[NqfLevel, ...] = Field(description="The levels, lowest first.")


class CountryFrameworks(BaseModel):
    """A country, how complete SkillPass's data for it is, and its frameworks."""

    model_config = _VALUE

    country_code: str = Field(description="ISO 3166-1 alpha-2 country code.")
    country: str = Field(description="Country name in English.")
    membership: Membership = Field(description="EU, EEA (EEA-EFTA) or other.")
    status: CoverageStatus = Field(description="complete | partial | missing.")
    status_note: str = Field(description="Why the status is what it is; what is missing.")
    default_framework: str | None = Field(
        default=None,
        description="The framework used when only the country code is given, if any.",
    )
    frameworks: tuple[NationalFramework, ...] = Field(description="The country's frameworks.")


class LevelReference(BaseModel):
    """A national level and the EQF level it is referenced to."""

    model_config = _VALUE

    framework: FrameworkSummary = Field(description="The national framework.")
    level: NqfLevel = Field(description="The national level and its referencing row.")
    eqf: EqfLevel = Field(description="The EQF level it is referenced to.")


class FrameworkCounterpart(BaseModel):
    """The levels of one framework referenced to a given EQF level (possibly none)."""

    model_config = _VALUE

    framework: FrameworkSummary = Field(description="The national framework.")
    status: CoverageStatus = Field(description="SkillPass's data status for its country.")
    levels: tuple[NqfLevel, ...] = Field(
        description="Its levels referenced to the EQF level; empty when it has none."
    )


class LevelComparison(BaseModel):
    """A national level compared with other countries' levels through EQF."""

    model_config = _VALUE

    origin: LevelReference = Field(description="The level compared from.")
    eqf: EqfLevel = Field(description="The EQF level used as the translation device.")
    counterparts: tuple[FrameworkCounterpart, ...] = Field(
        description="Other frameworks' levels referenced to the same EQF level."
    )
    method: str = Field(description="How the comparison was made, and what it does not mean.")
    caveats: tuple[str, ...] = Field(description="Uncertain rows, gaps and historic frameworks.")
    sources: tuple[str, ...] = Field(description="Sources of the EQF level and the origin row.")


class EctsCycle(BaseModel):
    """The credit range of one QF-EHEA cycle."""

    model_config = _VALUE

    qf_ehea_cycle: str = Field(description="short cycle | first cycle | second cycle | third.")
    eqf_level: int = Field(ge=5, le=8, description="The EQF level the cycle is compatible with.")
    ects_min: int | None = Field(default=None, description="Fewest ECTS credits (None: not set).")
    ects_max: int | None = Field(default=None, description="Most ECTS credits (None: not set).")
    typical: str = Field(description="The range as the sources word it.")


class EctsFacts(BaseModel):
    """ECTS workload conventions and the credit ranges of the QF-EHEA cycles."""

    model_config = _VALUE

    hours_per_credit_min: int = Field(description="Fewest hours of learning per credit (25).")
    hours_per_credit_max: int = Field(description="Most hours of learning per credit (30).")
    credits_per_academic_year: int = Field(description="Credits of a full-time year (60).")
    hours_per_academic_year: str = Field(description="Hours of a full-time academic year.")
    note: str = Field(description="What the numbers mean and do not mean.")
    cycles: tuple[EctsCycle, ...] = Field(description="QF-EHEA cycles and their credits.")
    sources: tuple[str, ...] = Field(description="Where the facts come from.")


class EctsWorkload(BaseModel):
    """An approximate conversion between ECTS credits and hours of learning."""

    model_config = _VALUE

    credits_min: float = Field(description="Lower bound of the credits.")
    credits_max: float = Field(description="Upper bound of the credits.")
    hours_min: float = Field(description="Lower bound of the hours of learning.")
    hours_max: float = Field(description="Upper bound of the hours of learning.")
    approximate: Literal[True] = Field(
        default=True, description="Always true: ECTS credits do not convert exactly to hours."
    )
    note: str = Field(description="Why this is an approximation.")
