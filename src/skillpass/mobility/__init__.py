"""STEM talent mobility: consented moves and platform events in, differentially private
aggregate tables and indicators out (see ``docs/mobility.md``)."""

from __future__ import annotations

from skillpass.mobility.service import MobilityService

__all__ = ["MobilityService"]
