"""Library tables."""
