"""Hand-made occupation profiles for generator and deduplication tests (no ESCO needed)."""

from __future__ import annotations

from skillpass.intelligence.synthetic import (
    EMERGING_END,
    EMERGING_START,
    OccupationProfile,
    PlantedSkill,
    ProfileSkill,
)

SKILL = "http://data.europa.eu/esco/skill/"
OCC = "http://data.europa.eu/esco/occupation/"


def _skills(prefix: str, labels: list[str], knowledge: bool = False) -> tuple[ProfileSkill, ...]:
    return tuple(
        ProfileSkill(f"{SKILL}{prefix}-{n}", label, knowledge) for n, label in enumerate(labels)
    )


DEV_VERBS = ["write", "test", "review", "deploy", "document", "debug", "design", "refactor"]
CARE_VERBS = ["monitor", "support", "assess", "document", "organise", "clean", "report", "calm"]
WORK_VERBS = ["weld", "inspect", "cut", "grind", "repair", "measure", "clamp", "paint"]
FOOD_VERBS = ["prepare", "season", "plan", "store", "present", "taste", "price", "order"]
DESK_VERBS = ["audit", "prepare", "check", "file", "reconcile", "forecast", "sign", "explain"]
PROFILES = [
    OccupationProfile(
        f"{OCC}{key}",
        label,
        isco,
        _skills(key, [f"{verb} {thing}" for verb in verbs for thing in things]),
        _skills(key + "-opt", [f"{thing} tools" for thing in things], knowledge=True),
    )
    for key, label, isco, verbs, things in [
        ("dev", "software developer", "2512", DEV_VERBS, ["code", "APIs", "queries", "builds"]),
        ("nurse", "nurse", "2221", CARE_VERBS, ["patients", "wards", "medication", "records"]),
        ("weld", "welder", "7212", WORK_VERBS, ["steel", "joints", "pipes", "frames"]),
        ("cook", "cook", "5120", FOOD_VERBS, ["meals", "sauces", "soups", "menus"]),
        ("acct", "accountant", "2411", DESK_VERBS, ["ledgers", "reports", "taxes", "budgets"]),
    ]
]
RISING = PlantedSkill(
    ProfileSkill(f"{SKILL}battery", "battery chemistry", True),
    "batteries",
    EMERGING_START,
    EMERGING_END * 2,
    frozenset({"C"}),
)
STEADY = PlantedSkill(
    ProfileSkill(f"{SKILL}cyber", "cyber security", True), "stable", 0.05, 0.05, frozenset()
)
