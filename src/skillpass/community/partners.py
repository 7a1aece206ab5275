"""Partner finding: rank complementary organisations, with the reasons, and contact requests.

:func:`score_partner` is pure. It adds up points for what the two profiles have that fits, and
writes one sentence per reason:

==============================================  ======  ==========================================
what fits                                       points  reason, in words
==============================================  ======  ==========================================
each capability area they offer that you need     3     "They offer what you need: …"
each ESCO skill they offer that you need          2     (same sentence)
each service they offer that you need             1     (same sentence)
each area / skill / service you offer they need   half  "You offer what they need: …"
an employer with a VET provider or university     1.5   "Industry–education cooperation: …"
the same region (NUTS 2 or finer)                 2     "Same region: …"  (same country: 0.5)
the same sector (NACE division; section: half)    1.5   "Same value chain: …"
each course of theirs in your region for a need   1     "Courses in your region: …" (at most 3)
==============================================  ======  ==========================================

Only organisations with something complementary (an offer meeting a need either way, or an
industry–education pair with a course for a need) are suggested: being in the same region alone
is not a reason to meet. The courses come from the catalogue
(:meth:`skillpass.pathways.catalogue.CatalogueService.search`): an employer's needs matched with
a provider's courses in the same region, in the spirit of industry–education networks such as
Teknikcollege.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from skillpass.community.models import (
    EDUCATION_ROLES,
    CommunityRole,
    MatchedCourse,
    Offering,
    PartnerSuggestion,
    Profile,
)

__all__ = ["ROLE_WORDS", "nuts_relation", "score_partner"]

ROLE_WORDS: Mapping[CommunityRole, str] = {
    CommunityRole.EMPLOYER: "employer",
    CommunityRole.VET_PROVIDER: "VET provider",
    CommunityRole.UNIVERSITY: "university",
    CommunityRole.SOCIAL_PARTNER: "social partner",
    CommunityRole.CHAMBER: "chamber",
    CommunityRole.PUBLIC_BODY: "public body",
}


def nuts_relation(a: str, b: str) -> str | None:
    """``region`` when two NUTS codes share a region (NUTS 1 or finer, the shorter code's
    length, at least three characters), ``country`` when only the country matches, else None."""
    n = min(len(a), len(b), 4)
    if n >= 3 and a[:n] == b[:n]:
        return "region"
    if a[:2] == b[:2]:
        return "country"
    return None


def _nace_relation(a: str, b: str) -> str | None:
    if a.split(".")[0] == b.split(".")[0]:
        return "division"
    if a[:1] == b[:1]:
        return "section"
    return None


def _overlap(
    offers: Offering,
    needs: Offering,
    area_labels: Mapping[str, str],
    skill_labels: Mapping[str, str],
) -> tuple[float, list[str]]:
    points = 0.0
    words: list[str] = []
    for area in needs.capability_areas:
        if area in offers.capability_areas:
            points += 3
            words.append(f"capability area {area_labels.get(area, area)}")
    for skill in needs.skills:
        if skill in offers.skills:
            points += 2
            words.append(f"skill '{skill_labels.get(skill, skill.rsplit('/', 1)[-1])}'")
    wanted = {s.lower(): s for s in needs.services}
    for service in offers.services:
        if service.lower() in wanted:
            points += 1
            words.append(service)
    return points, words


def score_partner(
    me: Profile,
    other: Profile,
    *,
    area_labels: Mapping[str, str],
    skill_labels: Mapping[str, str],
    courses: Callable[[Profile, Profile], list[MatchedCourse]] | None = None,
) -> PartnerSuggestion | None:
    """How well ``other`` complements ``me``, with every reason; None when nothing does.

    Args:
        me: The organisation looking for partners.
        other: A candidate.
        area_labels: Capability-area labels by id.
        skill_labels: ESCO skill labels by URI.
        courses: Finds ``other``'s courses in ``me``'s region that meet ``me``'s needs
            (only asked for industry–education pairs).

    Returns:
        The suggestion, or None.
    """
    score = 0.0
    reasons: list[str] = []
    complementary = False
    gets, got_words = _overlap(other.offers, me.needs, area_labels, skill_labels)
    if gets:
        score += gets
        complementary = True
        reasons.append("They offer what you need: " + ", ".join(got_words) + ".")
    gives, gave_words = _overlap(me.offers, other.needs, area_labels, skill_labels)
    if gives:
        score += gives / 2
        complementary = True
        reasons.append("You offer what they need: " + ", ".join(gave_words) + ".")
    pair = (me.role is CommunityRole.EMPLOYER and other.role in EDUCATION_ROLES) or (
        other.role is CommunityRole.EMPLOYER and me.role in EDUCATION_ROLES
    )
    matched: list[MatchedCourse] = []
    if pair:
        score += 1.5
        reasons.append(
            f"Industry–education cooperation: you are {_a(ROLE_WORDS[me.role])}, they are "
            f"{_a(ROLE_WORDS[other.role])}."
        )
        if courses is not None and me.role is CommunityRole.EMPLOYER:
            matched = courses(me, other)[:3]
            if matched:
                score += len(matched)
                complementary = True
                reasons.append(
                    "Courses in your region that meet your needs: "
                    + "; ".join(
                        f"'{c.title}' ({c.region or c.country}: {', '.join(c.covers)})"
                        for c in matched
                    )
                    + "."
                )
    if not complementary:
        return None
    place = _place(me, other)
    if place is not None:
        points, words = place
        score += points
        reasons.append(words)
    sector = _sector(me, other)
    if sector is not None:
        points, words = sector
        score += points
        reasons.append(words)
    return PartnerSuggestion(profile=other, score=round(score, 2), reasons=reasons, courses=matched)


def _a(word: str) -> str:
    return ("an " if word[0].lower() in "aeio" else "a ") + word


def _place(me: Profile, other: Profile) -> tuple[float, str] | None:
    best: tuple[str, str, str] | None = None
    for mine in me.places:
        for theirs in other.places:
            relation = nuts_relation(mine, theirs)
            if relation == "region":
                return 2.0, f"Same region: you are both in {min(mine, theirs, key=len)}."
            if relation == "country" and best is None:
                best = (relation, mine, theirs)
    if best is None and me.country == other.country:
        best = ("country", me.country, other.country)
    if best is not None:
        return 0.5, f"Same country: {best[1][:2]}."
    return None


def _sector(me: Profile, other: Profile) -> tuple[float, str] | None:
    section: str | None = None
    for mine in me.sectors:
        for theirs in other.sectors:
            relation = _nace_relation(mine, theirs)
            if relation == "division":
                return 1.5, f"Same value chain: you both work in sector {mine.split('.')[0]}."
            if relation == "section" and section is None:
                section = mine[:1]
    if section is not None:
        return 0.75, f"Related value chain: you both work in NACE section {section}."
    return None
