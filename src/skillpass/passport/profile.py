"""The skills profile: the explainable union of the skills across a passport.

Pure: it takes the items and a way to look up the capability areas of a skill, and touches no
storage. Every skill keeps every piece of evidence behind it (the item, its kind and strength),
strongest first; the skill's strength is that of its strongest evidence (verified credential >
employer-attested > assessed RPL > self-declared, :class:`~skillpass.passport.models.Strength`).

Totals (ECTS, hours, EQF levels) count only items whose last verification passed: an unverified
or self-declared item shows in the profile but does not add credits, so a total is never more
than the credentials prove.

Grouping follows the STEM capability framework (:mod:`skillpass.taxonomy.capabilities`): a
skill's ``disciplines`` are the STEM sub-disciplines (ISCED-F fields: engineering, ICT,
mathematics and statistics, natural sciences) it belongs to, its ``areas`` the strategic
capability areas (batteries, semiconductors, …). ``SkillsProfile.areas`` lists both kinds,
disciplines first, each with how many of its skills are evidenced at each strength.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from skillpass.passport.models import (
    PassportItem,
    ProfileArea,
    ProfileSkill,
    SkillEvidence,
    SkillsProfile,
    Strength,
)

__all__ = ["AreaInfo", "build_profile"]


@dataclass(frozen=True)
class AreaInfo:
    """A capability area as the profile needs it."""

    id: str
    label: str
    is_discipline: bool  # a STEM sub-discipline (else a strategic area)


def build_profile(
    owner_id: str,
    items: Sequence[PassportItem],
    areas_for: Callable[[str], Iterable[str]],
    areas: Sequence[AreaInfo],
) -> SkillsProfile:
    """Build the profile of a passport.

    Args:
        owner_id: The learner's user public id.
        items: Every item of the passport.
        areas_for: Skill URI → ids of the capability areas it belongs to.
        areas: Every capability area, in framework order (disciplines first).

    Returns:
        Skills strongest first (then by label), areas in framework order, totals over
        verified items.
    """
    evidence: dict[str, list[SkillEvidence]] = defaultdict(list)
    labels: dict[str, str] = {}
    for item in items:
        strength = item.strength
        seen: set[str] = set()
        for skill in item.skills:
            if skill.uri in seen:
                continue
            seen.add(skill.uri)
            evidence[skill.uri].append(
                SkillEvidence(
                    item_id=item.id, item_title=item.title, kind=item.kind, strength=strength
                )
            )
            stronger = strength.rank > _best(evidence[skill.uri][:-1])
            if skill.label and (skill.uri not in labels or stronger):
                labels[skill.uri] = skill.label
    by_id = {area.id: area for area in areas}
    skills: list[ProfileSkill] = []
    for uri, found in evidence.items():
        found.sort(key=lambda e: (-e.strength.rank, e.item_title.lower(), e.item_id))
        member_of = [a for a in dict.fromkeys(areas_for(uri)) if a in by_id]
        skills.append(
            ProfileSkill(
                uri=uri,
                label=labels.get(uri) or uri.rsplit("/", 1)[-1],
                strength=found[0].strength,
                evidence=found,
                areas=[a for a in member_of if not by_id[a].is_discipline],
                disciplines=[a for a in member_of if by_id[a].is_discipline],
            )
        )
    skills.sort(key=lambda s: (-s.strength.rank, s.label.lower(), s.uri))
    grouped: list[ProfileArea] = []
    for area in sorted(areas, key=lambda a: not a.is_discipline):
        members = [
            s for s in skills if area.id in (s.disciplines if area.is_discipline else s.areas)
        ]
        if not members:
            continue
        counts = dict.fromkeys(Strength, 0)
        for member in members:
            counts[member.strength] += 1
        grouped.append(
            ProfileArea(
                area_id=area.id,
                label=area.label,
                skills=[s.uri for s in members],
                strongest={k: v for k, v in counts.items() if v},
            )
        )
    verified = [item for item in items if item.verified is True]
    eqf_levels: dict[int, int] = defaultdict(int)
    for item in verified:
        if item.eqf is not None:
            eqf_levels[item.eqf] += 1
    return SkillsProfile(
        owner_id=owner_id,
        skills=skills,
        areas=grouped,
        ects_total=round(sum(item.ects or 0.0 for item in verified), 2),
        hours_total=round(sum(item.hours or 0.0 for item in verified), 2),
        eqf_levels=dict(sorted(eqf_levels.items())),
        highest_eqf=max(eqf_levels) if eqf_levels else None,
        items=len(items),
        unverified_items=sum(1 for item in items if item.verified is not True),
    )


def _best(found: Sequence[SkillEvidence]) -> int:
    return max((e.strength.rank for e in found), default=0)
