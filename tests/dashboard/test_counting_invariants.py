"""Who counts (consult.registration.counting): every output against figures
computed here, independently, from the rows.

A consultation is built through the services (registrations, challenges,
priorities, inputs, supports, a named and an anonymous survey, check-ins), then
real life happens: a cancellation, an erasure and a re-registration with the
same email, a change of stakeholder type, an archived challenge, a new
one-person group, a pending registration. The dashboard, the report, the
survey results, the exports, the public page and the overview must then agree
with figures computed here from plain SQL rows and the rule as written in
the module docstring of consult.registration.counting. Runs on SQLite and
PostgreSQL (the ``database_url`` fixture's two backends).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from markupsafe import escape
from sqlalchemy import text

from consult.challenges.services import (
    Author,
    ChallengeData,
    InputData,
    WindowData,
    add_challenge,
    publish_input,
    save_priorities,
    set_archived,
    submit_input,
    support_input,
    update_window,
)
from consult.challenges.services.export import inputs_sheet, priorities_sheet
from consult.dashboard.figures import public_charts
from consult.dashboard.services.dashboard import dashboard_data
from consult.dashboard.services.overview import organiser_overview
from consult.dashboard.services.publication import public_summary, publish_results
from consult.dashboard.services.report import report_data
from consult.extensions import db
from consult.registration import counting
from consult.registration.models import Registration, StakeholderType
from consult.registration.services import cancel_registration, erase, register
from consult.registration.services.organiser import (
    change_stakeholder_type,
    set_checked_in,
)
from consult.registration.services.validation import RegistrationData
from consult.surveys.export import responses_sheet
from consult.surveys.results import load_survey, survey_results
from consult.surveys.services import (
    OptionEdit,
    QuestionData,
    SurveyData,
    add_question,
    create_survey,
    submit_response,
    submitted_count,
)
from consult.timeutil import to_local
from tests.registration.confirming import confirm_cancel

# name, type, country, points on challenges A, B, C, D (D is archived later)
PEOPLE = (
    ("Gov 0", "government", "MY", (4, 3, 2, 1)),
    ("Gov 1", "government", "MY", (1, 2, 3, 4)),  # cancels
    ("Gov 2", "government", "NL", (0, 0, 0, 10)),  # erased, registers again
    ("Gov 3", "government", "MY", (10, 0, 0, 0)),
    ("Priv 4", "private", "MY", (2, 2, 2, 4)),
    ("Priv 5", "private", "ID", (5, 5, 0, 0)),  # moves to civil society
    ("Priv 6", "private", "MY", (0, 5, 5, 0)),
    ("Res 7", "research", "NL", (3, 3, 3, 1)),
    ("Res 8", "research", "DE", (1, 1, 1, 7)),
    ("Civ 9", "civil_society", "MY", (6, 0, 4, 0)),
)


def _wall(moment, event):
    return to_local(moment, event.timezone).replace(tzinfo=None)


def _person(event, now, name, key, country, email=None):
    data = RegistrationData(
        full_name=name,
        email=email or f"{name.lower().replace(' ', '')}@example.org",
        type_key=key,
        country=country,
        city="Petaling Jaya" if country == "MY" else "Elsewhere",
        organisation=f"{name} Org",
        consent_privacy=True,
        consent_listing=True,
    )
    return register(event, data, now=now).registration


def _survey(event, organiser, now, *, anonymous: bool):
    survey = create_survey(
        event,
        organiser,
        SurveyData(
            title="Anonymous check" if anonymous else "Before the webinar",
            kind="pre_event",
            audience="confirmed",
            anonymous=anonymous,
            opens=_wall(now - timedelta(days=1), event),
            closes=_wall(now + timedelta(days=10), event),
        ),
        now=now,
    )
    options = [OptionEdit(label=label) for label in ("Food", "Plastics", "Digital")]
    add_question(
        survey,
        organiser,
        QuestionData(kind="single_choice", text="Your focus?", options=options),
        now=now,
    )
    add_question(
        survey, organiser, QuestionData(kind="rating", text="Useful?"), now=now
    )
    return survey


def _answer(survey, person, n, *, now):
    focus, rating = survey.questions
    raw = {
        f"q{focus.id}": [str(focus.options[n % 3].id)],
        f"q{rating.id}": [str(n % 11)],
    }
    submit_response(survey, person, raw, now=now)


@pytest.fixture
def consultation(reg_event, organiser, now):
    """The event after the real-life changes; returns the objects the test reads."""
    event = reg_event
    challenges = [
        add_challenge(event, organiser, ChallengeData(title), now=now)
        for title in ("Food", "Plastics", "Construction", "Digital")
    ]
    update_window(
        event,
        organiser,
        WindowData(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9)),
        now=now,
    )
    named = _survey(event, organiser, now, anonymous=False)
    anonymous = _survey(event, organiser, now, anonymous=True)
    people = []
    for i, (name, key, country, points) in enumerate(PEOPLE):
        person = _person(event, now, name, key, country)
        people.append(person)
        save_priorities(
            person, {c.id: p for c, p in zip(challenges, points, strict=True)}, now=now
        )
        _answer(named, person, i, now=now)
        if i < 7:
            _answer(anonymous, person, i, now=now)
    # A pending registration: counts in no figure but its own column.
    event.requires_approval = True
    pending = _person(event, now, "Pending 10", "private", "TH")
    event.requires_approval = False
    # Inputs on A, on D (archived below) and a general one; all published.
    inputs = []
    for author, challenge in ((0, challenges[0]), (4, challenges[3]), (7, None)):
        item = submit_input(
            event,
            Author(registration=people[author]),
            InputData(
                kind="problem_insight",
                title=f"Input by {PEOPLE[author][0]}",
                body="Households mix food waste with the rest.",
                challenge_id=challenge.id if challenge else None,
            ),
            now=now,
        )
        publish_input(item, organiser, now=now)
        inputs.append(item)
    for supporter in (people[1], people[2], people[3], people[9], pending):
        support_input(inputs[0], supporter, now=now)
    for i in (0, 1, 4):
        set_checked_in(event, people[i].id, organiser, True, now=now)
    db.session.commit()

    later = now + timedelta(hours=1)
    cancel_registration(people[1], now=later)
    gone_email = people[2].email
    erase(people[2], now=later)
    again = _person(event, later, "Gov 2 again", "research", "NL", email=gone_email)
    ballot = dict.fromkeys((c.id for c in challenges), 0)
    ballot[challenges[0].id] = ballot[challenges[3].id] = 5
    save_priorities(again, ballot, now=later)
    _answer(named, again, 2, now=later)
    # The organiser's correction of a registrant's group.
    change_stakeholder_type(
        event, people[5].id, organiser, _type(event, "civil_society").id, now=later
    )
    set_archived(challenges[3], organiser, True, now=later)
    lonely = _person(event, later, "Informal 11", "informal", "MY")
    # Three challenges are left to prioritise.
    ballot = dict.fromkeys((c.id for c in challenges[:3]), 0)
    ballot[challenges[2].id] = 10
    save_priorities(lonely, ballot, now=later)
    _answer(named, lonely, 11, now=later)
    publish_results(event, organiser, note="", now=later)
    db.session.commit()
    return {
        "event": event,
        "challenges": challenges,
        "named": named,
        "anonymous": anonymous,
        "inputs": inputs,
        "again": again,
        "erased": people[2],
        "now": later,
    }


def _type(event, key) -> StakeholderType:
    return db.session.scalar(
        db.select(StakeholderType).where(
            StakeholderType.event_id == event.id, StakeholderType.key == key
        )
    )


def _rows(sql: str, **params) -> list:
    return list(db.session.execute(text(sql), params))


class Truth:
    """The figures, computed from the rows with the rule written out here."""

    def __init__(self, event):
        regs = _rows(
            "SELECT id, status, erased_at, stakeholder_type_id, country, city,"
            " organisation, attended, checked_in_at, email"
            " FROM registrations WHERE event_id = :e",
            e=event.id,
        )
        self.registrations = regs
        self.person = {r.id: r for r in regs}
        counted = [r for r in regs if r.status == "confirmed" and r.erased_at is None]
        self.counted_ids = {r.id for r in counted}
        self.participants = len(counted)
        self.by_type = Counter(r.stakeholder_type_id for r in counted)
        self.countries = Counter(r.country for r in counted)
        self.attended_by_type = Counter(
            r.stakeholder_type_id
            for r in counted
            if r.attended or r.checked_in_at is not None
        )
        self.pending = sum(1 for r in regs if r.status == "pending")
        archived = {
            row.id
            for row in _rows(
                "SELECT id FROM challenges WHERE event_id = :e"
                " AND archived_at IS NOT NULL",
                e=event.id,
            )
        }
        ballots = [
            row
            for row in _rows(
                "SELECT registration_id, challenge_id, points FROM challenge_priorities"
                " WHERE event_id = :e",
                e=event.id,
            )
            if row.registration_id in self.counted_ids
            and row.challenge_id not in archived
        ]
        self.ballots = len({row.registration_id for row in ballots})
        self.points = Counter()
        self.points_by_type = defaultdict(Counter)
        self.ballots_by_type = defaultdict(set)
        for row in ballots:
            kind = self.person[row.registration_id].stakeholder_type_id
            self.points[row.challenge_id] += row.points
            self.points_by_type[kind][row.challenge_id] += row.points
            self.ballots_by_type[kind].add(row.registration_id)
        self.archived_points = sum(
            row.points
            for row in _rows(
                "SELECT registration_id, challenge_id, points FROM challenge_priorities"
                " WHERE event_id = :e",
                e=event.id,
            )
            if row.registration_id in self.counted_ids and row.challenge_id in archived
        )
        inputs = _rows(
            "SELECT id, challenge_id, state FROM inputs WHERE event_id = :e",
            e=event.id,
        )
        counted_inputs = [
            row
            for row in inputs
            if row.state != "merged" and row.challenge_id not in archived
        ]
        self.inputs = len(counted_inputs)
        self.general_inputs = sum(
            1 for row in counted_inputs if row.challenge_id is None
        )
        self.input_states = dict(Counter(row.state for row in counted_inputs))
        self.published_inputs = self.input_states.get("published", 0)
        supporting = {
            r.id
            for r in regs
            if r.status in ("confirmed", "waitlisted", "pending")
            and r.erased_at is None
        }
        self.supports = Counter(
            row.input_id
            for row in _rows("SELECT input_id, registration_id FROM input_supports")
            if row.registration_id in supporting
        )
        self.surveys = {
            row.id: self._survey(row)
            for row in _rows(
                "SELECT id, audience FROM surveys WHERE event_id = :e", e=event.id
            )
        }

    def _audience(self, survey) -> set[int]:
        if survey.audience == "public":
            return set()
        people = {i for i in self.counted_ids}
        if survey.audience == "attendees":
            people = {
                i
                for i in people
                if self.person[i].attended or self.person[i].checked_in_at is not None
            }
        if survey.audience == "types":
            chosen = {
                row.stakeholder_type_id
                for row in _rows(
                    "SELECT stakeholder_type_id FROM survey_audience_types"
                    " WHERE survey_id = :s",
                    s=survey.id,
                )
            }
            people = {i for i in people if self.person[i].stakeholder_type_id in chosen}
        return people

    def _survey(self, survey) -> dict:
        audience = self._audience(survey)
        responses = _rows(
            "SELECT id, registration_id, stakeholder_type_id FROM survey_responses"
            " WHERE survey_id = :s AND status = 'submitted'",
            s=survey.id,
        )
        groups = Counter()
        ids = set()
        for row in responses:
            if row.registration_id is None:  # anonymous: the type given then
                groups[row.stakeholder_type_id] += 1
                ids.add(row.id)
            elif row.registration_id in audience:  # in the audience today
                groups[self.person[row.registration_id].stakeholder_type_id] += 1
                ids.add(row.id)
        answered = {
            row.registration_id
            for row in _rows(
                "SELECT registration_id FROM survey_participations"
                " WHERE survey_id = :s",
                s=survey.id,
            )
        }
        return {
            "responses": len(ids),
            "ids": ids,
            "groups": dict(groups),
            "audience": len(audience),
            "responded": len(audience & answered),
        }


def assert_outputs_agree(event, organiser, now) -> tuple:
    """Every output of the event against ``Truth``; returns (truth, dashboard,
    report) for the caller's own checks."""
    truth = Truth(event)
    dashboard = dashboard_data(event, now=now)
    report = report_data(event, now=now)
    for data in (dashboard, report):
        assert data.balance.confirmed == truth.participants
        assert {
            row.stakeholder_type.id: row.confirmed for row in data.balance.types
        } == {t: truth.by_type.get(t, 0) for t in _type_ids(event)}
        assert dict(data.countries) == dict(truth.countries)
        assert {t: a.confirmed for t, a in data.attendance.items()} == dict(
            truth.by_type
        )
        assert {t: a.attended for t, a in data.attendance.items() if a.attended} == (
            dict(truth.attended_by_type)
        )
        assert data.priorities.ballots == truth.ballots
        active = [c.id for c in data.priorities.challenges]
        assert {c: data.priorities.overall.get(c, 0) for c in active} == {
            c: truth.points.get(c, 0) for c in active
        }
        by_type = {row.type_id: row for row in data.priorities.by_type}
        for kind, voters in truth.ballots_by_type.items():
            assert by_type[kind].ballots == len(voters)
            assert {c: n for c, n in by_type[kind].scores.items() if n} == {
                c: n for c, n in truth.points_by_type[kind].items() if n
            }
    assert dashboard.balance.pending == truth.pending
    assert dashboard.inputs_total == truth.inputs
    assert dashboard.input_states == truth.input_states
    general = sum(
        row.count for row in dashboard.input_counts if row.challenge_id is None
    )
    assert general == truth.general_inputs

    # Surveys: results, the dashboard's summaries, the export.
    for survey_id, expected in truth.surveys.items():
        survey = load_survey(survey_id, event.id)
        results = survey_results(survey)
        assert results.responses == expected["responses"]
        assert {k: n for k, n in results.responses_by_group.items() if n} == (
            expected["groups"]
        )
        if survey.audience != "public":
            assert results.overall_rate.audience == expected["audience"]
            assert results.overall_rate.responded == expected["responded"]
        if not survey.anonymous and survey.audience != "public":
            # Named: the responses and the rate count the same people.
            assert expected["responses"] == expected["responded"]
        summary = next(s for s in dashboard.surveys if s.survey.id == survey.id)
        assert summary.results.responses == expected["responses"]
        assert submitted_count(survey) == expected["responses"]  # survey pages
        if not results.hidden:
            sheet = responses_sheet(survey)
            assert len(sheet.rows) == expected["responses"]
            if not survey.anonymous:
                assert {row[0] for row in sheet.rows} == expected["ids"]

    # Supports: the report's inputs and the inputs export.
    supports = {item.id: n for section in report.sections
                for item, n in section.selected + section.supported + section.practices}  # fmt: skip
    assert supports == {i: truth.supports.get(i, 0) for i in supports}
    sheet = inputs_sheet(event)
    column = sheet.header.index("Supports")
    assert {row[0]: row[column] for row in sheet.rows} == {
        row[0]: truth.supports.get(row[0], 0) for row in sheet.rows
    }

    # Priorities export adds up to the report (points).
    if report.priority_method == "points":
        sheet = priorities_sheet(event)
        points = Counter()
        titles = {c.title: c.id for c in dashboard.priorities.challenges}
        for row in sheet.rows:
            points[titles[row[4]]] += row[5]
        assert {c: n for c, n in points.items() if n} == {
            c: n for c, n in truth.points.items() if n
        }
        assert len({row[0] for row in sheet.rows}) == truth.ballots
        assert sum(a.points for a in report.priorities.archived) == (
            truth.archived_points
        )

    # The report states the rule.
    assert report.rule == counting.rule_sentences()

    # The public page.
    public = public_summary(event)
    if public is not None:
        assert public.participants == truth.participants
        assert public.ballots == truth.ballots
        assert public.inputs == truth.published_inputs
        assert sum(share.count for share in public.countries) == truth.participants
        chart = public_charts(public).get("priorities")
        if chart is not None:  # shares of all points, as shown: 100 in all
            assert sum(Decimal(row[-1]) for row in chart.rows) == 100

    # The organiser's overview.
    row = next(
        r for r in organiser_overview(organiser).events if r.event.id == event.id
    )
    assert row.confirmed == truth.participants
    assert row.ballots == truth.ballots
    assert row.pending == truth.pending
    assert row.attended == sum(truth.attended_by_type.values())
    assert row.inputs == truth.inputs
    assert row.survey_responses == sum(s["responses"] for s in truth.surveys.values())
    return truth, dashboard, report


def test_every_output_agrees_with_the_rows(consultation, organiser):
    event = consultation["event"]
    named = consultation["named"]
    truth, dashboard, report = assert_outputs_agree(
        event, organiser, consultation["now"]
    )
    # The scenario as a reader would count it: 10 registered, one cancelled,
    # one erased and back as a new registration, one new in a group of one.
    assert truth.participants == 10
    assert truth.ballots == 10
    assert truth.surveys[named.id]["responses"] == 10
    assert len(dashboard.priorities.challenges) == 3
    assert dashboard.inputs_total == 2 and truth.general_inputs == 1
    for survey in (named, consultation["anonymous"]):
        expected = truth.surveys[survey.id]
        for question in survey_results(load_survey(survey.id, event.id)).questions:
            assert question.n == expected["responses"]
            assert {g.group.key: g.n for g in question.groups if g.n} == (
                expected["groups"]
            )
    sheet = responses_sheet(named)
    assert "Erased participant" not in {row[2] for row in sheet.rows}
    first = consultation["inputs"][0]
    supports = {item.id: n for section in report.sections
                for item, n in section.selected + section.supported + section.practices}  # fmt: skip
    assert supports[first.id] == 3  # Gov 3, Civ 9 and the pending registrant
    # The archived challenge's input is in neither the report nor "general".
    assert consultation["inputs"][1].id not in supports
    assert [a.points for a in report.priorities.archived] == [18]


def _type_ids(event) -> list[int]:
    return list(
        db.session.scalars(
            db.select(StakeholderType.id).where(StakeholderType.event_id == event.id)
        )
    )


def test_a_person_counts_once_in_their_current_group(consultation):
    event = consultation["event"]
    named = consultation["named"]
    truth = Truth(event)
    erased, again = consultation["erased"], consultation["again"]
    # The erased registration and the new one share nothing but the person.
    assert erased.email is None and again.email == "gov2@example.org"
    assert erased.id not in truth.counted_ids and again.id in truth.counted_ids
    # Erasure deleted what the erased registration answered by name.
    for table in ("survey_responses", "challenge_priorities", "input_supports"):
        assert not _rows(
            f"SELECT 1 FROM {table} WHERE registration_id = :r",  # noqa: S608
            r=erased.id,
        )
    results = survey_results(load_survey(named.id, event.id))
    research = _type(event, "research").id
    civil = _type(event, "civil_society").id
    government = _type(event, "government").id
    # Government: Gov 0 and Gov 3 (Gov 1 cancelled, Gov 2 erased); research:
    # Res 7, Res 8 and Gov 2 again; civil society: Civ 9 and Priv 5, moved.
    assert results.responses_by_group[government] == 2
    assert results.responses_by_group[research] == 3
    assert results.responses_by_group[civil] == 2
    rates = {rate.group.key: (rate.responded, rate.audience) for rate in results.rates}
    assert rates[government] == (2, 2) and rates[civil] == (2, 2)


def test_the_anonymous_survey_keeps_answers_it_cannot_trace(consultation):
    # Seven answered anonymously; Gov 1 cancelled and Gov 2 was erased since,
    # but nothing links their answers to them: the rule says they stay.
    event = consultation["event"]
    anonymous = consultation["anonymous"]
    results = survey_results(load_survey(anonymous.id, event.id))
    assert results.responses == 7
    assert (results.overall_rate.responded, results.overall_rate.audience) == (5, 10)


def test_report_and_dashboard_pages_follow_a_cancellation(
    consultation, organiser, login, client
):
    event = consultation["event"]
    named = consultation["named"]
    leaving = db.session.scalar(
        db.select(Registration).where(
            Registration.event_id == event.id, Registration.full_name == "Gov 0"
        )
    )
    login(organiser)
    report_url = f"/manage/events/{event.slug}/report"
    page = client.get(report_url).get_data(as_text=True)
    assert "10 confirmed registrants" in page
    assert "10 registrants prioritised the challenges." in page
    assert f"{named.title}</h3>\n    <p>10 responses" in page
    for sentence in counting.rule_sentences():
        assert str(escape(sentence)) in page
    # Digital was archived after people gave it points: the report says so.
    assert "so some ballots count fewer than 10 points: Digital (18 points" in page

    response = confirm_cancel(
        client, f"/manage/events/{event.slug}/registrations/{leaving.id}/cancel"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, leaving.id).status == "cancelled"

    page = client.get(report_url).get_data(as_text=True)
    assert "9 confirmed registrants" in page
    assert "9 registrants prioritised the challenges." in page
    assert f"{named.title}</h3>\n    <p>9 responses" in page
    # Gov 0 gave Digital 1 point: it no longer counts.
    assert "Digital (17 points" in page
    dashboard = client.get(f"/manage/events/{event.slug}/dashboard")
    text_ = dashboard.get_data(as_text=True)
    assert "9 responses · response rate 100% (9 of 9)" in text_


def test_the_demo_agrees_before_and_after_real_life(app, now):
    from consult.challenges.models import Challenge, Priority
    from consult.demo import seed_demo

    result = seed_demo(now=now)
    db.session.commit()
    event, organiser = result.event, result.organiser
    assert_outputs_agree(event, organiser, now)

    voters = list(
        db.session.scalars(
            db.select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status == "confirmed",
                Registration.id.in_(db.select(Priority.registration_id)),
            )
            .order_by(Registration.id)
        )
    )
    later = now + timedelta(hours=1)
    cancel_registration(voters[0], now=later)
    erase(voters[1], now=later)
    # A change of group, as the organiser makes it on the registrants' list.
    moved = voters[2]
    change_stakeholder_type(
        event,
        moved.id,
        organiser,
        next(t for t in _type_ids(event) if t != moved.stakeholder_type_id),
        now=later,
        override_cap=True,
    )
    challenge = db.session.scalar(
        db.select(Challenge)
        .where(Challenge.event_id == event.id)
        .order_by(Challenge.position.desc())
    )
    set_archived(challenge, organiser, True, now=later)
    publish_results(event, organiser, note="", now=later)
    db.session.commit()
    truth, _dashboard, report = assert_outputs_agree(event, organiser, later)
    assert voters[0].id not in truth.counted_ids
    assert voters[1].id not in truth.counted_ids
    assert report.priorities.archived  # the demo's ballots gave it points
