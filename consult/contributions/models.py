"""Contributions tables."""
