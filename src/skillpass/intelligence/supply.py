"""Aggregated skills supply on this platform: the supply side of the shortage signal.

Two counts per ESCO skill and country, nothing else (no learner, credential or item ids leave
this module):

* ``credentials`` — micro-credentials issued here and not revoked whose definition's learning
  outcomes carry the skill; country: the issuing organisation's.
* ``holders`` — learners whose passport holds the skill in a verified credential, an employer
  attestation or a validated prior-learning record (self-declared experience is not counted);
  country: the item's issuer country (``unknown`` when not known).

Capability areas are counted from the same rows through ``capability_members``. Counts below
``min_count`` (default 5) are reported as 0 and marked, so a small count cannot point at a
person. Limits are in docs/indicators.md ("Shortage signal").
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from skillpass.storage.tables import (
    achievements,
    capability_members,
    issued_credentials,
    organisations,
    passport_items,
)

__all__ = ["SupplyCounts", "SupplyRepository", "SupplyRow"]

_UNKNOWN = "unknown"


@dataclass(frozen=True)
class SupplyRow:
    """Counts for one country and item (skill URI or capability area id)."""

    country: str
    item: str
    credentials: int
    holders: int
    suppressed: bool = False

    @property
    def supply(self) -> int:
        """Credentials plus holders: the supply measure of the shortage signal."""
        return self.credentials + self.holders


@dataclass(frozen=True)
class SupplyCounts:
    """Aggregated supply per country and item, small counts already coarsened."""

    rows: tuple[SupplyRow, ...] = field(default_factory=tuple)

    def as_frame(self) -> Any:
        """A pandas frame: country, item, credentials, holders, supply, suppressed."""
        import pandas as pd

        return pd.DataFrame(
            {
                "country": [r.country for r in self.rows],
                "item": [r.item for r in self.rows],
                "credentials": [r.credentials for r in self.rows],
                "holders": [r.holders for r in self.rows],
                "supply": [r.supply for r in self.rows],
                "suppressed": [r.suppressed for r in self.rows],
            }
        )


def _skill_uris(document: str, key: str) -> set[str]:
    """ESCO skill URIs from a stored JSON document (definition or passport skills list)."""
    try:
        data = json.loads(document or "null")
    except ValueError:
        return set()
    if key == "definition":
        outcomes = data.get("learning_outcomes", []) if isinstance(data, dict) else []
        return {
            s["uri"]
            for o in outcomes
            if isinstance(o, dict)
            for s in o.get("esco_skills", [])
            if isinstance(s, dict) and isinstance(s.get("uri"), str)
        }
    items = data if isinstance(data, list) else []
    return {s["uri"] for s in items if isinstance(s, dict) and isinstance(s.get("uri"), str)}


class SupplyRepository:
    """Reads the storage tables and returns only aggregated counts.

    Args:
        engine: The SQLAlchemy engine of the platform database.
        min_count: Counts from 1 to ``min_count - 1`` are reported as 0 and marked suppressed.
    """

    def __init__(self, engine: Engine, *, min_count: int = 5) -> None:
        self._engine = engine
        self._min_count = min_count

    def counts(self, *, by_area: bool = False) -> SupplyCounts:
        """Supply per country and skill, or per country and capability area.

        Args:
            by_area: Count capability areas (a credential or holder counts once per area).

        Returns:
            The aggregated counts, sorted by country and item.
        """
        credentials: dict[tuple[str, str], int] = defaultdict(int)
        holders: dict[tuple[str, str], set[int]] = defaultdict(set)
        with self._engine.connect() as conn:
            area_of: dict[str, set[str]] = defaultdict(set)
            if by_area:
                for uri, area in conn.execute(
                    select(capability_members.c.concept_uri, capability_members.c.area_id)
                ):
                    area_of[uri].add(area)
            issued = (
                select(achievements.c.definition, organisations.c.country)
                .select_from(
                    issued_credentials.join(
                        achievements, issued_credentials.c.achievement_id == achievements.c.id
                    ).join(organisations, achievements.c.organisation_id == organisations.c.id)
                )
                .where(issued_credentials.c.revoked_at.is_(None))
            )
            for definition, country in conn.execute(issued):
                for item in self._items(_skill_uris(definition, "definition"), by_area, area_of):
                    credentials[country or _UNKNOWN, item] += 1
            held = select(
                passport_items.c.owner_id, passport_items.c.issuer_country, passport_items.c.skills
            ).where(
                (passport_items.c.verified.is_(True))
                | passport_items.c.source.in_(("attested", "rpl"))
            )
            for owner, country, skills in conn.execute(held):
                for item in self._items(_skill_uris(skills, "skills"), by_area, area_of):
                    holders[country or _UNKNOWN, item].add(owner)
        rows = []
        for key in sorted(set(credentials) | set(holders)):
            c, h = credentials.get(key, 0), len(holders.get(key, ()))
            small = 0 < c < self._min_count or 0 < h < self._min_count
            rows.append(
                SupplyRow(
                    country=key[0],
                    item=key[1],
                    credentials=c if c >= self._min_count else 0,
                    holders=h if h >= self._min_count else 0,
                    suppressed=small,
                )
            )
        return SupplyCounts(tuple(rows))

    @staticmethod
    def _items(uris: set[str], by_area: bool, area_of: dict[str, set[str]]) -> set[str]:
        if not by_area:
            return uris
        return {area for uri in uris for area in area_of.get(uri, ())}
