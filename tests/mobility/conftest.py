"""Fixtures for mobility tests: synthetic data concentrated on a few countries and areas."""

from __future__ import annotations

from skillpass.app import SkillPass
from skillpass.mobility.categories import Period
from skillpass.mobility.synthetic import SyntheticConfig

#: A small, concentrated synthetic population: few countries and areas, so many cells are large.
CONCENTRATED = SyntheticConfig(
    people=6000,
    start=Period(2026, 1, 1),
    quarters=4,
    move_rate=0.12,
    arrival_rate=0.3,
    countries=("DE", "FR", "PL", "ES"),
    areas=("ict", "engineering"),
    seed=7,
)


def generate(app: SkillPass, config: SyntheticConfig = CONCENTRATED) -> None:
    """Store the synthetic events of ``config``."""
    app.mobility.generate_synthetic(config)
