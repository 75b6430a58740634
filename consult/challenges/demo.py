"""Demo content for the challenges area, added by consult.demo.seed_demo()."""

from __future__ import annotations


def seed_challenges(event, organiser, *, now) -> int:
    """Add this area's demo content to the fresh demo event; flushes; returns a count."""
    return 0
