"""Covenant of Mayors services: editing a city's commitments (editing.py)
and what the public city page shows of them (public.py)."""
