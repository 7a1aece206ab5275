"""Precision review of the capability areas (a reviewer's tool, not part of the package).

Usage, on a database where ESCO is imported (SKILLPASS_DATABASE_URL):

    python scripts/capability_review.py sample AREA [--size 30] [--round 1]
        Print a reproducible random sample of AREA's members as CSV rows to judge
        (seed "skillpass-review-AREA", or "skillpass-review-AREA-roundN" for N > 1, drawn
        from members not judged before). Add the rows to docs/capability-review/AREA.csv and
        fill in `judgement` (in/out) and `note`.
    python scripts/capability_review.py precision
        Precision per area and round from docs/capability-review/*.csv.
    python scripts/capability_review.py baseline
        The naive keyword baseline of docs/capability-framework.md: substring matches over
        preferred, alternative and hidden labels, and how many of each area's members it finds.
"""

from __future__ import annotations

import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from skillpass.app import build
from skillpass.storage.tables import capability_members, concept_labels, concepts

REVIEW = Path(__file__).resolve().parents[1] / "docs" / "capability-review"
FIELDS = ["round", "uri", "type", "label", "rule", "tier", "judgement", "note"]
#: The naive keywords of the research notes (lower-case substrings).
NAIVE = {
    "semiconductors": [
        "semiconductor",
        "microelectronic",
        "chip",
        "wafer",
        "integrated circuit",
        "silicon",
    ],
    "ai_data": [
        "artificial intelligence",
        "machine learning",
        "neural",
        "data",
        "algorithm",
        "analytics",
    ],
    "batteries": [
        "battery",
        "batteries",
        "lithium",
        "cell",
        "electrolyte",
        "anode",
        "cathode",
        "energy storage",
    ],
    "quantum": ["quantum", "qubit", "entangle", "cryptograph", "cryogen", "superconduct"],
    "cybersecurity": [
        "cyber",
        "security",
        "secure",
        "hack",
        "encryption",
        "forensic",
        "threat",
        "malware",
        "privacy",
    ],
    "advanced_manufacturing": [
        "robot",
        "automat",
        "3d print",
        "additive",
        "cnc",
        "mechatronic",
        "industry 4.0",
        "manufactur",
    ],
    "clean_energy": [
        "energy",
        "solar",
        "wind",
        "renewable",
        "green",
        "hydrogen",
        "climate",
        "sustainab",
    ],
    "life_sciences": [
        "bio",
        "pharma",
        "genetic",
        "cell",
        "laboratory",
        "molecular",
        "vaccine",
        "clinical",
    ],
    "space_aeronautics": [
        "space",
        "satellite",
        "aero",
        "aircraft",
        "aviation",
        "orbit",
        "rocket",
        "drone",
        "flight",
    ],
    "photonics": ["photonic", "laser", "optic", "light"],
    "raw_materials": ["mineral", "mining", "metallurg", "recycl", "circular", "raw material"],
}


def _members(conn: object, area_id: str) -> list[tuple[str, str, str, str, str]]:
    query = (
        select(
            capability_members.c.concept_uri,
            capability_members.c.concept_type,
            concepts.c.preferred_label,
            capability_members.c.rule,
            capability_members.c.reason,
        )
        .join(concepts, concepts.c.uri == capability_members.c.concept_uri)
        .where(capability_members.c.area_id == area_id)
        .order_by(capability_members.c.concept_uri)
    )
    return [tuple(row) for row in conn.execute(query)]  # type: ignore[attr-defined]


def sample(area_id: str, size: int, round_no: int) -> None:
    judged: set[str] = set()
    path = REVIEW / f"{area_id}.csv"
    if path.exists():
        with path.open(newline="", encoding="utf-8") as handle:
            judged = {row["uri"] for row in csv.DictReader(handle)}
    app = build(migrate=False)
    with app.engine.connect() as conn:
        rows = [r for r in _members(conn, area_id) if r[0] not in judged or round_no == 1]
    app.close()
    seed = f"skillpass-review-{area_id}" + (f"-round{round_no}" if round_no > 1 else "")
    writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS)
    writer.writeheader()
    for uri, kind, label, rule, reason in random.Random(seed).sample(rows, min(size, len(rows))):
        tier = "enabling" if reason.startswith("[enabling]") else "core"
        writer.writerow(
            {
                "round": round_no,
                "uri": uri,
                "type": kind,
                "label": label.strip(),
                "rule": rule,
                "tier": tier,
                "judgement": "",
                "note": "",
            }
        )


def precision() -> None:
    for path in sorted(REVIEW.glob("*.csv")):
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                counts[row["round"]][0] += row["judgement"] == "in"
                counts[row["round"]][1] += 1
        for round_no, (good, total) in sorted(counts.items()):
            print(f"{path.stem:24s} round {round_no}: {good}/{total} = {good / total:.0%}")


def baseline() -> None:
    app = build(migrate=False)
    with app.engine.connect() as conn:
        types = dict(
            conn.execute(
                select(concepts.c.uri, concepts.c.type).where(
                    concepts.c.type.in_(("skill", "occupation"))
                )
            ).all()
        )
        labels: dict[str, list[str]] = defaultdict(list)
        for uri, text in conn.execute(
            select(concept_labels.c.concept_uri, concept_labels.c.text).where(
                concept_labels.c.lang == "en",
                concept_labels.c.kind.in_(("preferred", "alt", "hidden")),
            )
        ):
            if uri in types:
                labels[uri].append(text.lower())
        print("area,naive_label_hits,members,members_found_by_naive,share_found")
        for area_id, words in NAIVE.items():
            hits = {u for u, texts in labels.items() if any(w in t for t in texts for w in words)}
            members = {r[0] for r in _members(conn, area_id)}
            found = len(members & hits)
            share = found / len(members) if members else 0.0
            print(f"{area_id},{len(hits)},{len(members)},{found},{share:.0%}")
    app.close()


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "sample" and len(sys.argv) > 2:
        args = sys.argv[3:]
        size = int(args[args.index("--size") + 1]) if "--size" in args else 30
        round_no = int(args[args.index("--round") + 1]) if "--round" in args else 1
        sample(sys.argv[2], size, round_no)
    elif command == "precision":
        precision()
    elif command == "baseline":
        baseline()
    else:
        print(__doc__)
        sys.exit(2)
