"""Who counts: the one rule behind every figure of an event.

The dashboard, the consultation report, the exports, the survey results, the
public results page and the organiser's overview all take their populations
from here, and the report's method section is written from the same
constants (``rule_sentences``), so what the report says is what the queries do.

The rule:

- **Participation** (participants, stakeholder balance, countries, cities,
  organisations) counts registrations that are *confirmed* and not erased.
  Waiting and awaiting-approval registrations appear only as such, in their own
  columns; the registrations-over-time chart is a sign-up timeline and shows
  every registration on the day it was made, whatever became of it.
- **Priorities** count the ballots of confirmed, not erased registrants (the
  only people who may save one), on the challenges that are not archived. A
  ballot's points on a challenge archived since are left out; a ranking is
  re-numbered among the challenges left.
- **Surveys** count the named responses of registrants who are in the
  survey's audience today (confirmed, not erased, and attended or of a chosen
  type where the audience says so): the same people as the response rate.
  Responses through a public link, and anonymous responses, cannot be traced
  to a registration and count as submitted, under the group given when
  answering.
- **Supports** count the supporters whose registration may still support:
  confirmed, waiting or awaiting approval, not erased.
- **Attendance** is among confirmed, not erased registrants: those checked in
  or marked as attended by an imported report.
- **Inputs** count whoever wrote them (an input is content, moderated and
  published), except merged duplicates and inputs of archived challenges.
- **Groups.** A registrant counts in their *current* stakeholder type, in
  every figure, whatever type they had when they answered or voted.
- **A person counts once.** One registration per email per event; someone
  who cancels and registers again gets their registration back. Cancelling
  takes a person out of every figure above. Erasing cancels the registration,
  removes the person's details and deletes their named survey answers,
  priorities and supports, so an erased registration counts nowhere (their
  anonymous survey answers, which nothing links to them, stay, as the survey
  promised). Registering again with the same address is a new registration,
  counted from then on.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, literal, or_

from consult.registration.models import Registration

# The statuses each kind of figure counts (never an erased registration).
PARTICIPATION_STATUSES = ("confirmed",)
PRIORITY_STATUSES = ("confirmed",)
SURVEY_STATUSES = ("confirmed",)
SUPPORT_STATUSES = ("confirmed", "waitlisted", "pending")
ATTENDANCE_STATUSES = ("confirmed",)

# Version of the rule, stated in the report: change it with the rule.
RULE_VERSION = "1"


def _counted(statuses: tuple[str, ...]):
    return and_(Registration.status.in_(statuses), Registration.erased_at.is_(None))


def participant():
    """WHERE clause: the registration counts as a participant."""
    return _counted(PARTICIPATION_STATUSES)


def voter():
    """WHERE clause: the registration's priority ballot counts."""
    return _counted(PRIORITY_STATUSES)


def respondent():
    """WHERE clause: the registration's named survey responses may count
    (the survey's audience narrows it further)."""
    return _counted(SURVEY_STATUSES)


def supporter():
    """WHERE clause: the registration's supports of inputs count."""
    return _counted(SUPPORT_STATUSES)


def attendee_base():
    """WHERE clause: the registration is in the attendance figures' base."""
    return _counted(ATTENDANCE_STATUSES)


def attended():
    """Expression: the registration attended (checked in, or by a report)."""
    return or_(Registration.attended, Registration.checked_in_at.is_not(None))


def how_registered():
    """Expression: how the person came, one of ``CAME_THROUGH``: registered
    themselves (online), by an organiser (assisted) or by a facilitator
    through its channel. The dashboard, the report and the exports use it."""
    return case(
        (Registration.channel.is_not(None), Registration.channel),
        (Registration.assisted, literal("assisted")),
        else_=literal("online"),
    )


CAME_THROUGH = ("online", "assisted", "in_person", "phone", "paper", "sms")


# How the method section names a status (lower case, inside a sentence).
STATUS_WORDS = {
    "confirmed": _l("confirmed"),
    "waitlisted": _l("on the waiting list"),
    "pending": _l("awaiting approval"),
    "rejected": _l("rejected"),
    "cancelled": _l("cancelled"),
}


def _statuses(statuses: tuple[str, ...]) -> str:
    words = [str(STATUS_WORDS[s]) for s in statuses]
    if len(words) == 1:
        return words[0]
    return _("%(first)s or %(last)s", first=", ".join(words[:-1]), last=words[-1])


def rule_sentences() -> list[str]:
    """The rule in words, for the report's method section, from the constants."""
    return [
        _(
            "Participants, countries and organisations count registrations that "
            "are %(statuses)s; registrations over time show every registration "
            "on the day it was made.",
            statuses=_statuses(PARTICIPATION_STATUSES),
        ),
        _(
            "Priorities count the ballots of registrants who are %(statuses)s, "
            "on the challenges that are not archived.",
            statuses=_statuses(PRIORITY_STATUSES),
        ),
        _(
            "Surveys count the responses of registrants who are %(statuses)s and "
            "in the survey's audience today; anonymous responses and responses "
            "through a public link cannot be traced to a registration and count "
            "as submitted, also after their author cancels, under the stakeholder "
            "type given when answering.",
            statuses=_statuses(SURVEY_STATUSES),
        ),
        _(
            "Supports of inputs count supporters who are %(statuses)s.",
            statuses=_statuses(SUPPORT_STATUSES),
        ),
        _(
            "Attendance is counted among registrants who are %(statuses)s.",
            statuses=_statuses(ATTENDANCE_STATUSES),
        ),
        _(
            "Each person counts once, in their current stakeholder type. Someone "
            "who cancelled counts nowhere; erasing a person's data also deletes "
            "their named survey answers, priorities and supports, and a person "
            "who registered again after an erasure counts with the new "
            "registration only. Inputs count whoever wrote them, except merged "
            "duplicates and inputs of archived challenges."
        ),
    ]
