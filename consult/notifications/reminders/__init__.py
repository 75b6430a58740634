"""Reminder and follow-up plans per event, and the engine that sends them."""

from consult.notifications.reminders import cloning as _cloning  # noqa: F401 (clone part)
from consult.notifications.reminders.engine import (
    ReminderReport,
    enqueue_due_reminders,
)
from consult.notifications.reminders.overview import plan_overview, scheduler_is_stale
from consult.notifications.reminders.plans import (
    DEFAULT_PLAN,
    PlanItemData,
    add_plan_item,
    due_at,
    ensure_default_plan,
    plan_item_of,
    plan_items,
    set_plan_item_enabled,
    update_plan_item,
)

__all__ = [
    "DEFAULT_PLAN",
    "PlanItemData",
    "ReminderReport",
    "add_plan_item",
    "due_at",
    "enqueue_due_reminders",
    "ensure_default_plan",
    "plan_item_of",
    "plan_items",
    "plan_overview",
    "scheduler_is_stale",
    "set_plan_item_enabled",
    "update_plan_item",
]
