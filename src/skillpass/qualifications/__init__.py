"""Qualification levels: EQF, national frameworks referenced to EQF, ECTS."""
