"""A fixture world of two full consultations with different owners.

Both events come from the demo seed (which exercises every area's services),
so registrations, inputs, experts, proposals, reviewers, city representatives,
surveys, library entries and emails exist in each. A few things the demo
leaves out are added through the areas' services: a reminder plan, a
co-organiser, a public-link survey and a draft event.

`Side` holds the ids and tokens of one event; the access matrix builds URLs
for event A's objects and asks them as outsiders (anonymous, participant B,
the organiser of event B) or with event B's objects under event A's slug.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from consult.actions.models import (
    Action,
    ActionChallenge,
    ActionInput,
    ActionPlan,
    ActionUpdate,
    Milestone,
    PlanVersion,
)
from consult.actions.services.tokens import owner_token
from consult.api.models import SCOPES
from consult.api.services.tokens import create_token
from consult.auth.models import User
from consult.auth.passwords import hash_password
from consult.auth.services import make_reset_token
from consult.calendar.feeds import feed_token, revoke_feed
from consult.challenges.models import Challenge, Expert, Input
from consult.challenges.services.experts import expert_token
from consult.cities.services import city_for_host
from consult.contributions.models import (
    CityChallenge,
    CityRepresentative,
    Proposal,
    Reviewer,
)
from consult.contributions.services.city import representative_token
from consult.contributions.services.common import proposal_token
from consult.contributions.services.files import Upload, check_upload, store
from consult.covenant.models import CovenantAction, CovenantCommitment
from consult.dashboard.services.export_jobs import request_export
from consult.demo import DEMO_SLUG, seed_demo
from consult.directory.services.meetings import send_request
from consult.directory.services.profiles import ProfileData, save_profile
from consult.directory.services.safety import report
from consult.events.models import AgendaSession, Event, EventOrganiser
from consult.events.services import EventData, create_event
from consult.events.services.organisers import add_co_organiser
from consult.extensions import db
from consult.facilitators.services import invite_facilitator, register_person
from consult.library.models import LibraryEntry
from consult.live.models import (
    LiveCohost,
    LivePoll,
    LivePollOption,
    LiveQuestion,
)
from consult.notifications.models import OutboundEmail, ReminderPlanItem
from consult.notifications.reminders.plans import ensure_default_plan
from consult.notifications.unsubscribe import unsubscribe_token
from consult.registration.models import (
    Registration,
    RegistrationQuestion,
    StakeholderType,
)
from consult.registration.services.thanks import thanks_token
from consult.registration.services.tokens import manage_token
from consult.registration.services.validation import RegistrationData
from consult.signing import short_row_token
from consult.surveys.models import Survey, SurveyQuestion
from consult.surveys.services import (
    QuestionData,
    SurveyData,
    add_question,
    create_survey,
)
from consult.surveys.services.tokens import survey_token
from tests.clock import wall

PASSWORD = "correct horse battery"


@dataclass
class Side:
    """Ids and tokens of one event's objects (A: the target, B: the outsider's)."""

    slug: str
    owner_id: int
    city_slug: str = ""  # the event's host city (action plan routes)
    programme_slug: str = ""  # the event's programme (the demo's)
    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    a: Side
    b: Side
    draft_slug: str
    admin_id: int
    reviewer_id: int  # a reviewer account of event A only
    facilitator_id: int  # a facilitator of event A (ids "facilitated": its person)


def _first(stmt):
    # Ordered by id: without ORDER BY, PostgreSQL returns rows in whatever
    # physical order the table has (it changes once tests delete rows).
    entity = stmt.column_descriptions[0]["entity"]
    value = db.session.scalar(stmt.order_by(entity.id).limit(1))
    assert value is not None, f"the fixture world lacks {stmt}"
    return value


def _user(email: str, role: str, now: datetime) -> User:
    user = User(
        email=email,
        name=email.split("@")[0].title(),
        role=role,
        password_hash=hash_password(PASSWORD),
        created_at=now,
        password_changed_at=now,
    )
    db.session.add(user)
    db.session.flush()
    return user


def _facilitator(event: Event, owner: User, tag: str, now: datetime):
    """A facilitator of the event with a password, and a person it registered."""
    email = f"facilitator{tag}-{event.slug[:12]}@example.org"
    user = invite_facilitator(event, owner, email, f"Facilitator {tag}", now=now)
    user = user.link.user
    user.password_hash = hash_password(PASSWORD)
    # The type and answers of a demo registrant: its required questions answered.
    model = _first(select(Registration).where(Registration.event_id == event.id))
    person = RegistrationData(
        full_name=f"Person of facilitator {tag}",
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        type_key=model.stakeholder_type.key,
        answers={str(k): v for k, v in (model.answers or {}).items()},
        consent_privacy=True,
    )
    registration = register_person(event, user, person, "phone", now=now)
    return user, registration.registration


def _public_survey(event: Event, owner: User, now: datetime) -> Survey:
    survey = create_survey(
        event,
        owner,
        SurveyData(
            title="Open feedback",
            audience="public",
            kind="standalone",
            opens=wall(-23, 9),
        ),
        now=now,
    )
    add_question(
        survey, owner, QuestionData(kind="long_text", text="Anything else?"), now=now
    )
    return survey


def _attach_slides(proposal: Proposal, now: datetime) -> None:
    content = b"%PDF-1.4\n% slides of the security suite\n"
    upload = Upload("slides.pdf", content)
    proposal.slides_file_id = store(upload, check_upload(upload), now=now).id
    proposal.slides_original = "slides.pdf"
    proposal.slides_type = "pdf"
    proposal.slides_size = len(content)


def _commitment(action: Action, now) -> CovenantCommitment:
    """A Covenant commitment of the action's city served by it, the demo's
    first when the city has them."""
    city_id = action.plan.city_id
    commitment = db.session.scalar(
        select(CovenantCommitment)
        .where(CovenantCommitment.city_id == city_id)
        .order_by(CovenantCommitment.id)
    )
    if commitment is None:
        commitment = CovenantCommitment(
            city_id=city_id,
            pillar="mitigation",
            title="Cut emissions by a third",
            target="A third fewer emissions by 2035 than in 2019",
            base_year=2019,
            target_year=2035,
            status="adopted",
            status_on=now.date(),
            description="Adopted by the council.",
        )
        db.session.add(commitment)
        db.session.flush()
        db.session.add(CovenantAction(commitment_id=commitment.id, action_id=action.id))
        db.session.flush()
    return commitment


def _plan(event: Event, owner: User, challenge_id: int, input_id: int, now) -> Action:
    """The host city's plan with one published action (a milestone, an update
    and an owner), the demo's when it has one."""
    plan = db.session.scalar(
        select(ActionPlan).where(ActionPlan.city_id == event.host_city_id)
    )
    if plan is None:
        plan = ActionPlan(
            city_id=event.host_city_id, title=f"{event.host_city} action plan"
        )
        db.session.add(plan)
        db.session.flush()
    action = db.session.scalar(
        select(Action)
        .where(Action.plan_id == plan.id, Action.published_at.is_not(None))
        .order_by(Action.id)
        .limit(1)
    )
    if action is None:
        action = Action(
            plan_id=plan.id,
            title="Food waste pilot",
            kind="pilot",
            status="in_progress",
            progress=20,
            owner_name="Owner of the pilot",
            owner_email=f"owner-{event.slug[:12]}@example.org",
            published_at=now,
            created_at=now,
            updated_at=now,
        )
        db.session.add(action)
        db.session.flush()
        db.session.add(ActionChallenge(action_id=action.id, challenge_id=challenge_id))
        db.session.add(ActionInput(action_id=action.id, input_id=input_id))
        db.session.add(
            Milestone(
                action_id=action.id,
                title="Collection points chosen",
                due_on=now.date() + timedelta(days=30),
            )
        )
        db.session.add(
            ActionUpdate(
                action_id=action.id,
                posted_on=now.date(),
                body="Started.",
                progress=20,
                author_name="Owner of the pilot",
            )
        )
        db.session.flush()
    if not plan.versions:
        # An adopted version, for the public version page.
        db.session.add(
            PlanVersion(
                plan_id=plan.id,
                number=1,
                note="Adopted by the city council.",
                snapshot={
                    "title": plan.title,
                    "actions": [
                        {
                            "title": action.title,
                            "kind": action.kind,
                            "status": action.status,
                            "progress": action.progress,
                            "challenges": ["Food and organic waste"],
                            "milestones": [
                                {
                                    "title": "Collection points chosen",
                                    "due_on": (
                                        now.date() + timedelta(days=30)
                                    ).isoformat(),
                                }
                            ],
                        }
                    ],
                },
                published_at=now,
            )
        )
        db.session.flush()
    if not action.owner_email:
        action.owner_email = f"owner-{event.slug[:12]}@example.org"
    return action


def _directory(reg1: Registration, reg2: Registration, now: datetime) -> dict:
    """Both participants listed; A2 asked A1 for a meeting, A1 reported A2."""
    reg1.consent_listing = True
    profile = ProfileData(
        listed=True, looking_for="Partners", offering="Compost", topics="biogas"
    )
    save_profile(reg2, profile, now=now)
    request = send_request(reg2, reg1.id, "Hello", [wall(5, 10)], "UTC", now=now)
    flagged = report(reg1, reg2.id, "Off topic", now=now)
    return {
        "directory_person": reg2.id,
        "meeting_request": request.id,
        "directory_report": flagged.id,
    }


def _webhook(event: Event, owner: User, now: datetime) -> dict:
    """A subscription of the event with one (test) delivery."""
    from consult.webhooks.models import WebhookDelivery
    from consult.webhooks.services.subscriptions import (
        SubscriptionData,
        create_subscription,
        send_ping,
    )

    row = create_subscription(
        event, owner,
        SubscriptionData("http://127.0.0.1:9/hook", ("registration.created",)),
        now=now,
    )  # fmt: skip
    send_ping(row, owner, now=now)
    delivery = _first(
        select(WebhookDelivery.id).where(WebhookDelivery.subscription_id == row.id)
    )
    return {"webhook": row.id, "webhook_delivery": delivery}


def _platform(event: Event, owner: User, reg1: Registration, now: datetime) -> None:
    """The event linked to a Zoom meeting (as the job leaves it: ready, its
    report fetched) with one registrant on it and one whose add failed."""
    from consult.platforms.adapters.base import Participant
    from consult.platforms.models import PlatformLink, PlatformRegistrant
    from consult.platforms.services.reports import participants_csv

    joined = Participant(
        reg1.full_name, reg1.email or "", event.start_at, event.end_at, 3600
    )
    db.session.add(
        PlatformLink(
            event_id=event.id, platform="zoom", kind="meeting",
            meeting_id="81234567890", shared_url="https://zoom.example.test/j/1",
            personal_links=True, state="ready", linked_by_id=owner.id,
            created_at=now, updated_at=now, report_state="ready",
            report_fetched_at=now, report_csv=participants_csv([joined]),
        )
    )  # fmt: skip
    db.session.add(
        PlatformRegistrant(
            event_id=event.id, registration_id=reg1.id, state="failed",
            attempts=1, last_error="Zoom answered 400 (code 300): Invalid email.",
        )
    )  # fmt: skip
    db.session.flush()


def _live(event: Event, reg1: Registration, cohost: User, now: datetime) -> dict:
    """A1 asked an approved question; a poll is open with two options; the
    co-organiser is also a co-host of the live room."""
    db.session.add(LiveCohost(event_id=event.id, user_id=cohost.id, created_at=now))
    question = LiveQuestion(
        event_id=event.id,
        registration_id=reg1.id,
        text="Who pays for collection?",
        state="approved",
        created_at=now,
    )
    poll = LivePoll(event_id=event.id, kind="single", prompt="First?", state="open")
    poll.options = [LivePollOption(label="Food", position=0)]
    poll.options.append(LivePollOption(label="Plastic", position=1))
    db.session.add_all([question, poll])
    db.session.flush()
    return {"live_question": question.id, "live_poll": poll.id}


def _side(event: Event, owner: User, now: datetime) -> Side:
    eid = event.id
    side = Side(slug=event.slug, owner_id=owner.id)
    ids, tokens = side.ids, side.tokens
    ensure_default_plan(event, now=now)
    co = _user(f"co-{event.slug[:12]}@example.org", "organiser", now)
    add_co_organiser(event, owner, co.email, now=now)
    public = _public_survey(event, owner, now)
    facilitator, facilitated = _facilitator(event, owner, "1", now)
    _other, facilitated2 = _facilitator(event, owner, "2", now)
    db.session.flush()

    # Participants: A1 wrote an input, A2 is another confirmed registrant.
    authored = _first(
        select(Input).where(Input.event_id == eid, Input.registration_id.is_not(None))
    )
    reg1 = db.session.get(Registration, authored.registration_id)
    reg2 = _first(
        select(Registration).where(
            Registration.event_id == eid,
            Registration.status == "confirmed",
            Registration.id != reg1.id,
        )
    )
    for reg in (reg1, reg2):
        if not reg.feed_nonce:
            revoke_feed(reg, now=now)  # gives the registration a feed nonce
    expert_input = _first(
        select(Input).where(Input.event_id == eid, Input.expert_id.is_not(None))
    )
    expert1 = db.session.get(Expert, expert_input.expert_id)
    expert2 = _first(
        select(Expert).where(Expert.event_id == eid, Expert.id != expert1.id)
    )
    survey = _first(
        select(Survey).where(Survey.event_id == eid, Survey.audience == "confirmed")
    )
    other_survey = _first(
        select(Survey).where(Survey.event_id == eid, Survey.id != survey.id)
    )
    proposal = _first(select(Proposal).where(Proposal.event_id == eid))
    proposal2 = _first(
        select(Proposal).where(Proposal.event_id == eid, Proposal.id != proposal.id)
    )
    _attach_slides(proposal, now)
    rep = _first(select(CityRepresentative).where(CityRepresentative.event_id == eid))
    resource = _first(
        select(LibraryEntry).where(
            LibraryEntry.event_id == eid, LibraryEntry.source == "resource"
        )
    )
    # A file prepared for the event (the job's row; the scheduler has not run).
    export_job = request_export(event, owner, kind="workbook", params="", now=now)
    challenge_id = _first(select(Challenge.id).where(Challenge.event_id == eid))
    action = _plan(event, owner, challenge_id, authored.id, now)
    side.city_slug = event.city.slug
    programme = event.programme
    side.programme_slug = programme.slug
    commitment = _commitment(action, now)
    ids.update(_directory(reg1, reg2, now))
    ids.update(_webhook(event, owner, now))
    _platform(event, owner, reg1, now)
    ids.update(_live(event, reg1, co, now))
    ids.update(
        event=eid,
        export_job=export_job.id,
        registration=reg1.id,
        registration2=reg2.id,
        input=authored.id,
        expert_input=expert_input.id,
        expert=expert1.id,
        challenge=challenge_id,
        city=event.host_city_id,
        action_plan=action.plan_id,
        action=action.id,
        milestone=action.milestones[0].id,
        action_update=action.updates[0].id,
        commitment=commitment.id,
        session=_first(select(AgendaSession.id).where(AgendaSession.event_id == eid)),
        reg_question=_first(
            select(RegistrationQuestion.id).where(RegistrationQuestion.event_id == eid)
        ),
        stakeholder_type=_first(
            select(StakeholderType.id).where(StakeholderType.event_id == eid)
        ),
        survey=survey.id,
        other_survey=other_survey.id,
        public_survey=public.id,
        survey_question=_first(  # one with a list of text answers
            select(SurveyQuestion.id).where(
                SurveyQuestion.survey_id == survey.id,
                SurveyQuestion.kind.in_(("short_text", "long_text", "single_choice")),
            )
        ),
        proposal=proposal.id,
        proposal2=proposal2.id,
        rep=rep.id,
        city_item=_first(
            select(CityChallenge.id).where(CityChallenge.representative_id == rep.id)
        ),
        reviewer=_first(select(Reviewer.id).where(Reviewer.event_id == eid)),
        email=_first(select(OutboundEmail.id).where(OutboundEmail.event_id == eid)),
        plan_item=_first(
            select(ReminderPlanItem.id).where(ReminderPlanItem.event_id == eid)
        ),
        co_organiser=co.id,
        programme_organiser=programme.organisers[0].user_id,
        city_pair=programme.pairs[0].id,
        facilitator=facilitator.id,
        facilitated=facilitated.id,
        facilitated2=facilitated2.id,
        resource=resource.id,
        library_entry=_first(
            select(LibraryEntry.id).where(
                LibraryEntry.event_id == eid, LibraryEntry.source == "input"
            )
        ),
    )
    tokens.update(
        manage=manage_token(reg1),
        manage2=manage_token(reg2),
        feed=feed_token(reg1),
        survey=survey_token(survey, reg1),
        expert=expert_token(expert1),
        expert2=expert_token(expert2),
        proposal=proposal_token(proposal),
        proposal2=proposal_token(proposal2),
        city=representative_token(rep),
        public_survey=public.public_token,
        reset=make_reset_token(owner, now=now),
        unsubscribe=unsubscribe_token(reg1),
        short_manage=short_row_token("registration-manage", reg1.id, reg1.manage_nonce),
        thanks=thanks_token(reg1.id, reg1.manage_nonce),
        action_owner=owner_token(action),
    )
    # The owner's API token with every scope (tests/security/test_api_matrix.py).
    api_token = create_token(owner, "integration", list(SCOPES), None, now=now)
    ids["api_token"] = api_token.token.id
    tokens["api"] = api_token.secret
    return side


def build_world(*, now: datetime) -> World:
    """Seed both events, add what the demo leaves out, commit; return the ids."""
    seeded_a = seed_demo(now=now)
    seeded_a.event.slug = "event-a"
    seeded_a.organiser.email = "owner-a@example.org"
    db.session.flush()
    seeded_b = seed_demo(now=now)
    assert seeded_b.created and seeded_b.event.slug == DEMO_SLUG
    seeded_b.event.slug = "event-b"
    seeded_b.organiser.email = "owner-b@example.org"
    # Another host city: organisers of event B edit no plan of event A's city.
    seeded_b.event.host_city = "Subang Jaya"
    seeded_b.event.city = city_for_host(
        "Subang Jaya", "Malaysia", seeded_b.event.timezone, now=now
    )
    # Its programme pairs that city, not event A's (whose record B's
    # organisers must not edit).
    for pair in seeded_b.event.programme.pairs:
        pair.host_city = seeded_b.event.city
    db.session.flush()
    admin = _user("admin@example.org", "admin", now)
    a = _side(seeded_a.event, seeded_a.organiser, now)
    b = _side(seeded_b.event, seeded_b.organiser, now)
    draft = create_event(
        seeded_a.organiser,
        EventData(
            title="Unannounced draft",
            timezone="Europe/Brussels",
            start=wall(57, 10),
            end=wall(57, 12),
        ),
        now=now - timedelta(days=1),
    )
    reviewer = db.session.get(Reviewer, a.ids["reviewer"])
    db.session.commit()
    assert db.session.scalar(
        select(EventOrganiser.id).where(EventOrganiser.event_id == a.ids["event"])
    )
    return World(
        a=a,
        b=b,
        draft_slug=draft.slug,
        admin_id=admin.id,
        reviewer_id=reviewer.user_id,
        facilitator_id=a.ids["facilitator"],
    )
