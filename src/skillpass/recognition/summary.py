"""The plain-language summary of a recognition report, and the suggested decision.

The summary is one paragraph a recognition officer can read, check against the tables of the
report and sign off: what was compared with what, how much of the target is credited and how
(exactly or through related skills), what is missing, the level and credits, how trustworthy the
evidence is, and the suggested decision with its rule.

Suggested decision (:func:`suggest_decision`), with ``CREDITED`` = 0.5 (related credit or better,
see :mod:`~skillpass.recognition.relatedness`):

* **full** — every essential skill is credited and the EQF level is met (or unknown on either
  side, which the summary says);
* **partial** — at least half of the essential skills are credited (or, when the level is
  not met, all of them);
* **none** — otherwise.

Evidence whose verification failed is shown but never counted. A target without essential
skills is judged on its optional skills.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from skillpass.recognition.models import (
    CreditComparison,
    DecisionKind,
    EvidenceStatus,
    LevelComparison,
    MatchHow,
    SkillCoverage,
)
from skillpass.recognition.relatedness import CREDITED

__all__ = ["PARTIAL_SHARE", "credited", "suggest_decision", "write_summary"]

#: Share of essential skills that must be credited for a partial recognition.
PARTIAL_SHARE = 0.5
_HOW_WORDS = {
    MatchHow.EXACT: "exactly",
    MatchHow.NARROWER: "through a narrower skill",
    MatchHow.BROADER: "through a broader skill",
    MatchHow.RELATED: "through a related skill",
    MatchHow.SIBLING: "through a skill of the same group",  # never alone: below CREDITED
    MatchHow.SEMANTIC: "by similarity only",
}


def credited(coverage: Sequence[SkillCoverage]) -> list[SkillCoverage]:
    """The required skills whose credit reaches ``CREDITED``."""
    return [c for c in coverage if c.credit >= CREDITED]


def _judged(
    essential: Sequence[SkillCoverage], optional: Sequence[SkillCoverage]
) -> Sequence[SkillCoverage]:
    return essential if essential else optional


def suggest_decision(
    essential: Sequence[SkillCoverage],
    optional: Sequence[SkillCoverage],
    level: LevelComparison,
) -> DecisionKind:
    """The suggested decision (rule in the module docstring)."""
    judged = _judged(essential, optional)
    if not judged:
        return DecisionKind.NONE
    share = len(credited(judged)) / len(judged)
    if share >= 1.0 and level.meets is not False:
        return DecisionKind.FULL
    if share >= PARTIAL_SHARE:
        return DecisionKind.PARTIAL
    return DecisionKind.NONE


def _best_how(coverage: SkillCoverage) -> MatchHow | None:
    counted = [e for e in coverage.evidence if e.verified is not False]
    if not counted or coverage.credit < CREDITED:
        return None
    return max(counted, key=lambda e: e.credit).how


def _names(coverage: Sequence[SkillCoverage], limit: int = 6) -> str:
    names = [f"'{c.skill.label}'" for c in coverage[:limit]]
    more = len(coverage) - limit
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def write_summary(
    *,
    target_label: str,
    target_kind: str,
    essential: Sequence[SkillCoverage],
    optional: Sequence[SkillCoverage],
    level: LevelComparison,
    credits: CreditComparison,
    evidence: Sequence[EvidenceStatus],
    suggested: DecisionKind,
) -> str:
    """The plain-language paragraph of a report."""
    parts: list[str] = []
    verified = sum(1 for e in evidence if e.verified is True)
    failed = sum(1 for e in evidence if e.verified is False)
    declared = sum(1 for e in evidence if e.verified is None)
    pieces = f"{len(evidence)} piece{'s' if len(evidence) != 1 else ''} of evidence"
    trust = [f"{verified} verified"]
    if failed:
        trust.append(
            f"{failed} failed verification and {'is' if failed == 1 else 'are'} not counted"
        )
    if declared:
        trust.append(f"{declared} self-declared")
    parts.append(
        f"This report compares {pieces} ({', '.join(trust)}) with the {target_kind} "
        f"'{target_label}'."
    )
    judged = _judged(essential, optional)
    word = "essential" if essential else "optional"
    if not judged:
        parts.append("The target lists no skills, so there is nothing to credit.")
    else:
        done = credited(judged)
        ways = Counter(h for h in (_best_how(c) for c in done) if h is not None)
        how = ", ".join(
            f"{n} {_HOW_WORDS[h]}" for h, n in sorted(ways.items(), key=lambda x: -x[1])
        )
        parts.append(
            f"{len(done)} of {len(judged)} {word} skills are credited"
            + (f" ({how})" if how else "")
            + "."
        )
        missing = [c for c in judged if c.credit < CREDITED]
        if missing:
            hinted = [c for c in missing if c.credit > 0]
            parts.append(
                f"Not credited: {_names(missing)}"
                + (
                    f"; {len(hinted)} of them only have a weaker hint the officer may weigh"
                    if hinted
                    else ""
                )
                + "."
            )
        if essential and optional:
            parts.append(
                f"{len(credited(optional))} of {len(optional)} optional skills are credited."
            )
        self_only = [
            c
            for c in done
            if all(e.verified is None for e in c.evidence if e.verified is not False)
        ]
        if self_only:
            parts.append(
                f"{len(self_only)} credited skill{'s rest' if len(self_only) != 1 else ' rests'} "
                "on self-declared evidence only."
            )
    if level.meets is True:
        parts.append(
            f"The evidence reaches EQF level {level.evidence_eqf}, meeting the target's "
            f"level {level.target_eqf}."
        )
    elif level.meets is False:
        parts.append(
            f"The evidence reaches EQF level {level.evidence_eqf}, below the target's level "
            f"{level.target_eqf}."
        )
    elif level.target_eqf is None:
        parts.append("The target states no EQF level, so levels were not compared.")
    else:
        parts.append(
            f"The target is at EQF level {level.target_eqf}, but no verified evidence states a "
            "level; the officer must judge the level."
        )
    if credits.target_ects is not None:
        verdict = "meeting" if credits.meets else "short of"
        parts.append(
            f"Verified evidence carries {credits.evidence_ects:g} ECTS credits, {verdict} the "
            f"target's {credits.target_ects:g}."
        )
    elif credits.evidence_ects:
        parts.append(f"Verified evidence carries {credits.evidence_ects:g} ECTS credits.")
    rule = {
        DecisionKind.FULL: "every essential skill is credited and the level is not below target",
        DecisionKind.PARTIAL: "at least half of the essential skills are credited",
        DecisionKind.NONE: "fewer than half of the essential skills are credited",
    }[suggested]
    wording = {
        DecisionKind.FULL: "full recognition",
        DecisionKind.PARTIAL: "partial recognition",
        DecisionKind.NONE: "no recognition",
    }[suggested]
    parts.append(f"Suggested decision: {wording} ({rule}); the recognition officer decides.")
    return " ".join(parts)
