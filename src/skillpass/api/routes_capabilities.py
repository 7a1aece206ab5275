"""/api/v1/capabilities: the differentiated STEM capability framework (read-only)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from skillpass.api.deps import AppDep
from skillpass.taxonomy.capabilities import CapabilityArea, CapabilityAreaDetail

__all__ = ["router"]

router = APIRouter(tags=["capabilities"])

_AREA_EXAMPLE = {
    "id": "semiconductors",
    "label": "Semiconductors & microelectronics",
    "kind": "strategic_area",
    "description": "Design, fabrication, packaging and test of integrated circuits ...",
    "skills": 45,
    "occupations": 14,
    "core": 42,
    "enabling": 17,
    "version": "1.0.0",
    "taxonomy_version": "1.2.0",
}


@router.get(
    "/capabilities",
    response_model=list[CapabilityArea],
    summary="List capability areas",
    description="Every area of the differentiated STEM capability framework - the STEM "
    "sub-disciplines (ISCED-F fields) and the strategic areas (semiconductors, AI & data, "
    "batteries, quantum, cybersecurity, ...) - with the number of ESCO skills and occupations "
    "resolved into each. Counts are zero until ESCO is imported.",
    responses={200: {"content": {"application/json": {"example": [_AREA_EXAMPLE]}}}},
)
def list_capabilities(app: AppDep) -> list[CapabilityArea]:
    """Every capability area with member counts."""
    return app.capabilities.list_areas()


@router.get(
    "/capabilities/{area_id}",
    response_model=CapabilityAreaDetail,
    summary="One capability area with its members",
    description="The area, the rationale and sources of its definition, the ESCO gaps it "
    "records, and its member skills and occupations. Each member carries the rule that put it "
    "there (seed, group, isco, collection, pattern), its tier (core or enabling) and a reason. "
    "Unknown ids answer 404 with the list of valid ids.",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "area": _AREA_EXAMPLE,
                        "rationale": "The EU Chips Act ...",
                        "sources": ["EU Chips Act, Regulation (EU) 2023/1781"],
                        "references": [
                            {
                                "name": "EU Chips Act, Regulation (EU) 2023/1781",
                                "url": "https://eur-lex.europa.eu/eli/reg/2023/1781/oj",
                            }
                        ],
                        "esco_gaps": ["No hardware description languages (VHDL, Verilog) ..."],
                        "members": [
                            {
                                "uri": "http://data.europa.eu/esco/occupation/7b4744a8-...",
                                "label": "microelectronics designer",
                                "type": "occupation",
                                "rule": "seed",
                                "tier": "core",
                                "reason": "seed: listed in semiconductors.yaml",
                            }
                        ],
                    }
                }
            }
        }
    },
)
def get_capability(
    app: AppDep,
    area_id: Annotated[str, Path(description="Area id, e.g. `quantum`.", examples=["quantum"])],
    type: Annotated[
        Literal["skill", "occupation"] | None,
        Query(description="Only members of this type; both when omitted."),
    ] = None,
) -> CapabilityAreaDetail:
    """One capability area with members, rules and reasons."""
    return app.capabilities.get_area(area_id, concept_type=type)
