"""Dashboard tables."""
