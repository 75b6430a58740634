"""Reviewers per event, blind ratings and averages."""

import pytest
from sqlalchemy import select

from consult.auth.models import User
from consult.contributions.services import (
    add_reviewer,
    averages,
    can_review,
    rate,
    rating_view,
    remove_reviewer,
)
from consult.errors import PermissionDenied, ValidationFailed
from consult.extensions import db


def test_reviewers_do_not_see_others_ratings_until_they_rate(
    cb_event, make_proposal, make_reviewer, now
):
    proposal = make_proposal(cb_event)
    ana = make_reviewer(cb_event, "ana@example.eu")
    ben = make_reviewer(cb_event, "ben@example.eu")
    rate(proposal, ana, 5, "Strong case", now=now)
    db.session.commit()

    blind = rating_view(proposal, ben)
    assert not blind.visible
    assert blind.others == [] and blind.average is None
    assert blind.count == 1

    rate(proposal, ben, 2, "", now=now)
    db.session.commit()
    seen = rating_view(proposal, ben)
    assert seen.visible
    assert [r.score for r in seen.others] == [5]
    assert seen.average == pytest.approx(3.5)


def test_organisers_always_see_ratings_and_averages(
    cb_event, make_proposal, make_reviewer, organiser, now
):
    proposal = make_proposal(cb_event)
    other = make_proposal(cb_event, proposer_email="b@example.org")
    ana = make_reviewer(cb_event, "ana@example.eu")
    rate(proposal, ana, 4, now=now)
    rate(proposal, organiser, 3, now=now)
    db.session.commit()
    view = rating_view(proposal, organiser)
    assert view.visible and view.average == pytest.approx(3.5)
    assert averages(cb_event) == {proposal.id: (pytest.approx(3.5), 2)}
    assert other.id not in averages(cb_event)


def test_rating_again_changes_the_one_rating(
    cb_event, make_proposal, make_reviewer, now
):
    proposal = make_proposal(cb_event)
    ana = make_reviewer(cb_event)
    rate(proposal, ana, 2, now=now)
    rate(proposal, ana, 4, "Second look", now=now)
    db.session.commit()
    assert [(r.score, r.comment) for r in proposal.ratings] == [(4, "Second look")]


@pytest.mark.parametrize("score", [0, 6])
def test_scores_run_from_one_to_five(
    cb_event, make_proposal, make_reviewer, now, score
):
    proposal = make_proposal(cb_event)
    with pytest.raises(ValidationFailed):
        rate(proposal, make_reviewer(cb_event), score, now=now)


def test_a_reviewer_of_another_event_cannot_rate_or_see(
    cb_event, make_cb_event, other_organiser, make_proposal, make_reviewer, now
):
    other = make_cb_event(other_organiser, title="Other consultation")
    outsider = make_reviewer(other, "outsider@example.eu")
    proposal = make_proposal(cb_event)
    assert not can_review(outsider, cb_event)
    with pytest.raises(PermissionDenied):
        rate(proposal, outsider, 5, now=now)
    with pytest.raises(PermissionDenied):
        rating_view(proposal, outsider)
    with pytest.raises(PermissionDenied):
        rate(proposal, other_organiser, 5, now=now)


def test_adding_an_unknown_address_creates_an_account_and_invites_it(
    cb_event, organiser, now, outbox
):
    reviewer = add_reviewer(
        cb_event, organiser, "New.Person@Example.eu", "New", now=now
    )
    db.session.commit()
    user = db.session.scalar(select(User).where(User.email == "new.person@example.eu"))
    assert reviewer.user_id == user.id
    assert user.role == "expert" and user.password_hash is None
    (mail,) = outbox()
    assert mail.template == "contribution_reviewer"
    assert "/reset-password/" in mail.body_text or "password" in mail.body_text
    assert f"/manage/events/{cb_event.slug}/contributions" in mail.body_text
    assert can_review(user, cb_event)


def test_an_existing_account_is_added_once(cb_event, organiser, make_user, now):
    user = make_user("known@example.eu", role="organiser")
    add_reviewer(cb_event, organiser, "known@example.eu", now=now)
    db.session.commit()
    with pytest.raises(ValidationFailed) as exc:
        add_reviewer(cb_event, organiser, "known@example.eu", now=now)
    assert exc.value.field == "email"
    assert can_review(user, cb_event)


def test_only_organisers_add_and_remove_reviewers(
    cb_event, organiser, other_organiser, make_reviewer, now
):
    with pytest.raises(PermissionDenied):
        add_reviewer(cb_event, other_organiser, "x@example.eu", now=now)
    user = make_reviewer(cb_event)
    from consult.contributions.models import Reviewer

    row = db.session.scalar(select(Reviewer).where(Reviewer.user_id == user.id))
    with pytest.raises(PermissionDenied):
        remove_reviewer(cb_event, other_organiser, row.id, now=now)
    remove_reviewer(cb_event, organiser, row.id, now=now)
    db.session.commit()
    assert not can_review(user, cb_event)
