"""Demo content for the contributions area, added by consult.demo.seed_demo()."""

from __future__ import annotations


def seed_contributions(event, organiser, *, now) -> int:
    """Add this area's demo content to the fresh demo event; flushes; returns a count."""
    return 0
