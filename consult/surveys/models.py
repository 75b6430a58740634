"""Surveys tables."""
