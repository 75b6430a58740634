"""A full clone (issue 24, 4): each part of the set-up copied on request, and
nothing a person gave (registrations, answers, inputs, proposals) ever."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.challenges.models import Challenge, ChallengeSettings, Input, Priority
from consult.clone_parts import clone_parts
from consult.contributions.models import ContributionCall, Proposal
from consult.errors import ValidationFailed
from consult.events.models import PrivacyNotice
from consult.events.services import check_clone, clone_event
from consult.events.services.privacy import current_notice, save_notice
from consult.extensions import db
from consult.notifications.models import ReminderPlanItem
from consult.notifications.reminders.plans import DEFAULT_PLAN, plan_items
from consult.registration.models import (
    DEFAULT_STAKEHOLDER_TYPES,
    Registration,
    RegistrationQuestion,
)
from consult.registration.services import stakeholder_types
from consult.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyOption,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)
from consult.timeutil import wall_clock
from tests.factories import stakeholder_type

PARTS = [
    "types",
    "questions",
    "challenges",
    "surveys",
    "reminders",
    "contributions",
    "privacy",
    "languages",
    "sender",
]
NOTICE = "We keep your details for this consultation only."


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def dressed_source(event, organiser, now, make_registration):
    """An event with every part of its set-up changed from the defaults, and
    a registrant who gave an input, priorities and survey answers."""
    private = stakeholder_type(event, "private")
    private.label, private.cap, private.target_share = "Companies", 12, 30
    private.translations = {"ms": {"label": "Syarikat"}}
    db.session.add(
        RegistrationQuestion(
            event_id=event.id,
            label="Sector?",
            kind="choice",
            choices=["Packaging", "Retail"],
            type_keys=["private"],
            position=0,
        )
    )
    challenge = Challenge(
        event_id=event.id,
        position=0,
        title="Plastic packaging",
        description="Single-use *sachets*.",
        category="plastics_packaging",
        city="Petaling Jaya",
        translations={"ms": {"title": "Pembungkusan plastik"}},
    )
    db.session.add(challenge)
    db.session.add(
        ChallengeSettings(
            event_id=event.id,
            opens_at=now + timedelta(days=1),
            closes_at=now + timedelta(days=19),
            priority_method="ranking",
        )
    )
    survey = Survey(
        event_id=event.id,
        title="After the webinar",
        introduction="Two minutes.",
        kind="post_event",
        audience="public",
        public_token="source-public-token",
        opens_at=event.end_at,
        closes_at=event.end_at + timedelta(days=7),
        translations={"ms": {"title": "Selepas webinar"}},
        audience_types=[],
        questions=[
            SurveyQuestion(
                position=0,
                kind="single_choice",
                text="Was it useful?",
                all_options=[
                    SurveyOption(position=0, label="Yes"),
                    SurveyOption(
                        position=1, label="No", translations={"ms": {"label": "Tidak"}}
                    ),
                ],
            )
        ],
    )
    db.session.add(survey)
    first = plan_items(event)[0]
    first.subject, first.enabled = "See you next week", False
    db.session.add(
        ContributionCall(
            event_id=event.id,
            opens_at=now,
            closes_at=now + timedelta(days=10),
            guidelines_md="Ten minutes, one slide of results.",
            kinds={"case_study": [10, 15]},
        )
    )
    event.content_languages = ["ms"]
    event.translations = {"ms": {"title": "Reka Bentuk Bandar Kitaran"}}
    event.email_sender_name = "PJ Circular Team"
    event.email_reply_to = "circular@mbpj.example.my"
    db.session.flush()
    save_notice(event, organiser, NOTICE, now=now)
    db.session.commit()

    person = make_registration(event, type_key="private")
    db.session.add_all(
        [
            Input(
                event_id=event.id,
                challenge_id=challenge.id,
                registration_id=person.id,
                kind="solution_idea",
                title="Refill stations",
            ),
            Priority(
                event_id=event.id,
                registration_id=person.id,
                challenge_id=challenge.id,
                rank=1,
            ),
            Proposal(
                event_id=event.id,
                proposer_name="Mei Lin",
                proposer_email="mei@example.my",
                nonce="n" * 20,
                title="Refill shops in PJ",
                kind="case_study",
                duration_minutes=10,
            ),
        ]
    )
    option = survey.questions[0].all_options[0]
    response = SurveyResponse(survey_id=survey.id, status="submitted", submitted_at=now)
    response.answers = [SurveyAnswer(question_id=option.question_id, option=option)]
    db.session.add(response)
    db.session.add(
        SurveyParticipation(
            survey_id=survey.id, registration_id=person.id, responded_at=now
        )
    )
    db.session.add(
        SurveyInvitation(
            survey_id=survey.id,
            registration_id=person.id,
            invited_at=now,
            via="invitation",
        )
    )
    db.session.commit()
    return event


@pytest.fixture
def source(reg_event, organiser, now, make_registration):
    return dressed_source(reg_event, organiser, now, make_registration)


def test_every_area_registers_its_part_in_copying_order(app):
    assert [part.key for part in clone_parts()] == PARTS
    assert all(str(part.label) and str(part.explanation) for part in clone_parts())


def test_a_clone_with_everything_copies_each_part_and_nothing_anyone_gave(
    source, organiser, now
):
    clone = clone_event(source, organiser, now=now, parts=PARTS)
    db.session.commit()
    shift = clone.start_at - source.start_at
    assert shift >= timedelta(weeks=1) and shift.days % 7 == 0

    types = {t.key: t for t in stakeholder_types(clone)}
    assert (types["private"].label, types["private"].cap) == ("Companies", 12)
    assert types["private"].target_share == 30
    assert types["private"].translations == {"ms": {"label": "Syarikat"}}
    [question] = db.session.scalars(
        select(RegistrationQuestion).where(RegistrationQuestion.event_id == clone.id)
    )
    assert (question.label, question.type_keys) == ("Sector?", ["private"])

    [challenge] = db.session.scalars(
        select(Challenge).where(Challenge.event_id == clone.id)
    )
    original = db.session.scalar(
        select(Challenge).where(Challenge.event_id == source.id)
    )
    assert (challenge.title, challenge.description, challenge.category) == (
        "Plastic packaging",
        "Single-use *sachets*.",
        "plastics_packaging",
    )
    assert challenge.city == "Petaling Jaya"
    assert challenge.translations == {"ms": {"title": "Pembungkusan plastik"}}
    assert challenge.lineage_id == original.id
    settings = db.session.scalar(
        select(ChallengeSettings).where(ChallengeSettings.event_id == clone.id)
    )
    assert settings.priority_method == "ranking"
    assert settings.closes_at - settings.opens_at == timedelta(days=18)

    [survey] = db.session.scalars(select(Survey).where(Survey.event_id == clone.id))
    assert (survey.title, survey.kind, survey.audience) == (
        "After the webinar",
        "post_event",
        "public",
    )
    assert survey.public_token and survey.public_token != "source-public-token"
    assert survey.translations == {"ms": {"title": "Selepas webinar"}}
    assert [o.label for o in survey.questions[0].options] == ["Yes", "No"]
    assert survey.questions[0].options[1].translations == {"ms": {"label": "Tidak"}}

    items = plan_items(clone)
    assert (items[0].subject, items[0].enabled) == ("See you next week", False)
    call = db.session.scalar(
        select(ContributionCall).where(ContributionCall.event_id == clone.id)
    )
    assert call.guidelines_md == "Ten minutes, one slide of results."
    assert call.kinds == {"case_study": [10, 15]}
    assert current_notice(clone).text_md.strip() == NOTICE
    assert clone.privacy_notice_version == "1"
    assert clone.content_languages == ["ms"]
    assert clone.translations == {"ms": {"title": "Reka Bentuk Bandar Kitaran"}}
    assert (clone.email_sender_name, clone.email_reply_to) == (
        "PJ Circular Team",
        "circular@mbpj.example.my",
    )

    # Nothing a person gave goes with it.
    assert _count(Registration, Registration.event_id == clone.id) == 0
    assert _count(Input, Input.event_id == clone.id) == 0
    assert _count(Priority, Priority.event_id == clone.id) == 0
    assert _count(Proposal, Proposal.event_id == clone.id) == 0
    assert _count(SurveyResponse, SurveyResponse.survey_id == survey.id) == 0
    assert _count(SurveyParticipation, SurveyParticipation.survey_id == survey.id) == 0
    assert _count(SurveyInvitation, SurveyInvitation.survey_id == survey.id) == 0
    assert _count(SurveyAnswer) == 1  # the source's one answer
    # The source keeps its own.
    assert _count(Challenge, Challenge.event_id == source.id) == 1
    assert _count(Survey, Survey.event_id == source.id) == 1


def test_survey_call_and_challenge_windows_move_like_the_event(source, organiser, now):
    clone = clone_event(source, organiser, now=now, parts=PARTS)
    db.session.commit()
    weeks = clone.start_at - source.start_at
    zone = source.timezone
    theirs = db.session.scalar(select(Survey).where(Survey.event_id == source.id))
    ours = db.session.scalar(select(Survey).where(Survey.event_id == clone.id))
    # Whole weeks on the event's wall clock: the same local times.
    for before, after in (
        (theirs.opens_at, ours.opens_at),
        (theirs.closes_at, ours.closes_at),
    ):
        assert wall_clock(after, zone) - wall_clock(before, zone) == weeks
    assert ours.opens_at == clone.end_at
    call_before = db.session.scalar(
        select(ContributionCall).where(ContributionCall.event_id == source.id)
    )
    call_after = db.session.scalar(
        select(ContributionCall).where(ContributionCall.event_id == clone.id)
    )
    assert (
        wall_clock(call_after.closes_at, zone) - wall_clock(call_before.closes_at, zone)
        == weeks
    )


@pytest.mark.parametrize("left_out", PARTS)
def test_each_part_left_out_copies_nothing_of_it(source, organiser, now, left_out):
    parts = [p for p in PARTS if p != left_out]
    if left_out == "types":
        parts.remove("questions")  # they name the types: refused alone (below)
    clone = clone_event(source, organiser, now=now, parts=parts)
    db.session.commit()
    of_clone = {
        "types": lambda: (
            {t.label for t in stakeholder_types(clone)}
            == {label for _, label, _, _ in DEFAULT_STAKEHOLDER_TYPES}
        ),
        "questions": lambda: (
            _count(RegistrationQuestion, RegistrationQuestion.event_id == clone.id) == 0
        ),
        "challenges": lambda: (
            _count(Challenge, Challenge.event_id == clone.id) == 0
            and _count(ChallengeSettings, ChallengeSettings.event_id == clone.id) == 0
        ),
        "surveys": lambda: _count(Survey, Survey.event_id == clone.id) == 0,
        "reminders": lambda: (
            [
                (i.kind, i.anchor, i.offset_minutes, i.audience, i.subject)
                for i in plan_items(clone)
            ]
            == [(*item, "") for item in DEFAULT_PLAN]
        ),
        "contributions": lambda: (
            _count(ContributionCall, ContributionCall.event_id == clone.id) == 0
        ),
        "privacy": lambda: (
            current_notice(clone).text_md.strip() != NOTICE
            and _count(PrivacyNotice, PrivacyNotice.event_id == clone.id) == 1
        ),
        "languages": lambda: clone.content_languages == [] and clone.translations == {},
        "sender": lambda: (clone.email_sender_name, clone.email_reply_to) == ("", ""),
    }
    assert of_clone[left_out]()
    # The others are still copied.
    for kept in parts:
        assert not of_clone[kept](), kept


def test_nothing_but_the_details_when_no_part_is_chosen(source, organiser, now):
    clone = clone_event(source, organiser, now=now, parts=[])
    db.session.commit()
    assert [s.title for s in clone.sessions] == [s.title for s in source.sessions]
    assert _count(Challenge, Challenge.event_id == clone.id) == 0
    assert _count(Survey, Survey.event_id == clone.id) == 0
    assert len(stakeholder_types(clone)) == len(DEFAULT_STAKEHOLDER_TYPES)
    assert len(plan_items(clone)) == len(DEFAULT_PLAN)
    assert _count(ReminderPlanItem, ReminderPlanItem.event_id == clone.id) == len(
        DEFAULT_PLAN
    )


def test_questions_for_some_types_need_the_types(source, organiser, now):
    with pytest.raises(ValidationFailed) as refused:
        check_clone(source, ["questions"])
    [(field, message)] = refused.value.problems
    assert field == "questions" and "copy the stakeholder types" in message
    with pytest.raises(ValidationFailed):
        clone_event(source, organiser, now=now, parts=["questions", "challenges"])
    check_clone(source, ["questions", "types"])  # together: fine


def test_questions_for_everyone_go_without_the_types(reg_event, organiser, now):
    db.session.add(
        RegistrationQuestion(
            event_id=reg_event.id, label="Diet?", kind="text", type_keys=[], position=0
        )
    )
    db.session.commit()
    clone = clone_event(reg_event, organiser, now=now, parts=["questions"])
    db.session.commit()
    assert [q.label for q in db.session.scalars(
        select(RegistrationQuestion).where(RegistrationQuestion.event_id == clone.id)
    )] == ["Diet?"]  # fmt: skip


def test_a_survey_for_some_types_goes_to_the_clones_types(reg_event, organiser, now):
    chosen = [stakeholder_type(reg_event, "research")]
    db.session.add(
        Survey(
            event_id=reg_event.id,
            title="For researchers",
            audience="types",
            audience_types=chosen,
        )
    )
    db.session.commit()
    with pytest.raises(ValidationFailed):
        check_clone(reg_event, ["surveys"])
    clone = clone_event(reg_event, organiser, now=now, parts=["types", "surveys"])
    db.session.commit()
    survey = db.session.scalar(select(Survey).where(Survey.event_id == clone.id))
    assert [(t.event_id, t.key) for t in survey.audience_types] == [
        (clone.id, "research")
    ]


def test_an_unknown_part_is_refused(reg_event):
    with pytest.raises(ValidationFailed):
        check_clone(reg_event, ["registrations"])
