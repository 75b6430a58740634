"""Attendance from Zoom and Teams reports: parse, match to registrations, apply."""
