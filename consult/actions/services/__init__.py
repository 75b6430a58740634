"""The rules of action plans: editing, progress, reminders, public pages."""
