"""Synthetic demo data (organisations, users), always labelled synthetic."""
