"""The report's "How people took part" table: participants per stakeholder
type and channel (issue 20), counted like the report's other figures and
with its small groups folded.

``dash_event`` has 12 confirmed registrants who registered themselves:
government 5, private 4, research 2, civil society 1, nobody informal.
"""

from __future__ import annotations

from consult.dashboard.services.report import report_data
from consult.extensions import db
from consult.facilitators.services import invite_facilitator, register_person
from consult.registration.services.validation import RegistrationData
from tests.dashboard.conftest import types_of

OTHER = "Other groups (combined)"


def _by_facilitator(event, organiser, now, people):
    user = invite_facilitator(
        event, organiser, "field@example.org", "Field Worker", now=now
    ).link.user
    for n, (type_key, channel) in enumerate(people):
        data = RegistrationData(
            full_name=f"Person {n}",
            country="MY",
            timezone="Asia/Kuala_Lumpur",
            type_key=type_key,
            consent_privacy=True,
        )
        register_person(event, user, data, channel, now=now)
    db.session.commit()


def test_the_report_counts_participants_per_type_and_channel(
    dash_event, organiser, now, login, client
):
    labels = {key: t.label for key, t in types_of(dash_event).items()}
    people = [("informal", "phone")] * 4 + [("informal", "in_person")]
    people += [("research", "paper")]
    _by_facilitator(dash_event, organiser, now, people)
    cancelled = dash_event.test_people[0]  # a government registrant
    cancelled.status = "cancelled"
    db.session.commit()

    report = report_data(dash_event, now=now)
    rows = {row.label: row for row in report.channel_rows}
    # The informal registrant who waited got a seat when the first person was
    # registered (the seats were free): online, like they registered.
    assert rows[labels["informal"]].counts == {"online": 1, "phone": 4, "in_person": 1}
    # Government (4 once one cancelled) joins the small types.
    assert rows[OTHER].combined
    assert rows[OTHER].counts == {"online": 11, "paper": 1}
    assert set(rows) == {labels["informal"], OTHER}
    assert sum(row.total for row in report.channel_rows) == report.balance.confirmed
    assert report.channel_columns == ["online", "in_person", "phone", "paper"]

    login(organiser)
    page = client.get(f"/manage/events/{dash_event.slug}/report").get_data(True)
    table = page.split('id="report-channels"')[1].split("</table>")[0]
    for heading in ("Online", "In person", "By phone", "On paper"):
        assert heading in table
    assert labels["government"] not in table


def test_the_report_splits_no_channel_below_the_threshold(
    make_reg_event, organiser, now
):
    event = make_reg_event(title="Small meeting")
    _by_facilitator(event, organiser, now, [("informal", "phone")] * 3)
    report = report_data(event, now=now)
    assert report.balance.confirmed == 3
    assert report.channel_rows == []
