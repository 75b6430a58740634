"""The platforms' rules: linking an event, keeping registrants in step, the report.

Access is checked by the organiser's routes (``managed_event_or_404``):
registration's seat hooks call into this area, so it imports no area that
leads back to registration (events' access rules among them).
"""
