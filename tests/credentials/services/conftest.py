"""Fixtures for the credentials services: an issuer and the example definition on a fresh app."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillpass.app import SkillPass
from skillpass.credentials.records import AchievementRecord, Issuer

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "micro-credential.yaml"
ELM_SHAPES = ROOT.parent / "shared" / "data" / "credentials" / "elm"


@pytest.fixture
def issuer(skillpass: SkillPass) -> Issuer:
    """A university in Sweden with a fresh Ed25519 key."""
    return skillpass.issuers.create(
        name="Northvale University of Technology",
        country="SE",
        kind="university",
        region="SE110",
        registration_ids={"eidas": "SE:5560000001"},
        contact_email="credentials@northvale.example",
        url="https://northvale.example",
    )


@pytest.fixture
def achievement(skillpass: SkillPass, issuer: Issuer) -> AchievementRecord:
    """The example micro-credential definition, stored for ``issuer``."""
    return skillpass.achievements.create_from_file(issuer.id, EXAMPLE)
