"""Pathways: the learning-opportunity catalogue, the funding directory with eligibility rules, and
the pathway planner (an optimal stack of opportunities to close a skills gap)."""
