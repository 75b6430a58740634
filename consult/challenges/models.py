"""Challenges tables."""
