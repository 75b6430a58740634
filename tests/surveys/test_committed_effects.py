"""Survey pages commit what they change (surveys, questions, answers, outbox).

Reads go through `committed()` (tests/effects.py): the test client shares the
test's session, so only a rollback first shows what a route really committed.
"""

from __future__ import annotations

from sqlalchemy import func, select

from consult.notifications.models import OutboundEmail
from consult.notifications.services import deliver_outbox
from consult.surveys.models import Survey, SurveyQuestion, SurveyResponse
from consult.timeutil import now_utc
from tests.clock import field, wall
from tests.effects import committed, committed_row
from tests.registration.confirming import confirm_cancel
from tests.surveys.conftest import full_answers
from tests.surveys.test_public import _form as public_form
from tests.surveys.test_public import _url as public_url

SETTINGS = {
    "title": "Expectations",
    "introduction": "Hello",
    "kind": "pre_event",
    "audience": "confirmed",
    "opens": field(wall(-1, 9)),
    "closes": field(wall(20, 18)),
    "reminder_after_days": "3",
}


def _responses(**where):
    query = select(func.count(SurveyResponse.id)).filter_by(**where)
    return committed().scalar(query)


def test_building_a_survey_is_committed(client, login, organiser, reg_event):
    login(organiser)
    base = f"/manage/events/{reg_event.slug}/surveys"
    assert client.post(f"{base}/new", data=SETTINGS).status_code == 302
    survey = committed().scalar(select(Survey))
    assert survey.title == "Expectations"

    edited = client.post(f"{base}/{survey.id}", data={**SETTINGS, "title": "Hopes"})
    assert edited.status_code == 302
    assert committed_row(Survey, survey.id).title == "Hopes"

    for text in ("First question", "Second question"):
        added = client.post(
            f"{base}/{survey.id}/questions/new",
            data={"kind": "short_text", "text": text, "required": "y"},
        )
        assert added.status_code == 302
    first, second = committed_row(Survey, survey.id).questions
    assert (first.text, second.text) == ("First question", "Second question")

    edited = client.post(
        f"{base}/{survey.id}/questions/{first.id}",
        data={"kind": "short_text", "text": "Opening question"},
    )
    assert edited.status_code == 302
    assert committed_row(SurveyQuestion, first.id).text == "Opening question"

    client.post(f"{base}/{survey.id}/questions/{second.id}/move/up")
    texts = [q.text for q in committed_row(Survey, survey.id).questions]
    assert texts == ["Second question", "Opening question"]

    # A first view (GET or a POST without the plan) deletes nothing.
    question_url = f"{base}/{survey.id}/questions/{second.id}/delete"
    assert client.post(question_url).status_code == 200
    assert committed_row(SurveyQuestion, second.id) is not None
    confirm_cancel(client, question_url)
    assert committed_row(SurveyQuestion, second.id) is None

    page = client.get(f"{base}/{survey.id}/delete").text
    assert "This deletes the survey and its 1 question for good." in page
    assert committed_row(Survey, survey.id) is not None
    assert confirm_cancel(client, f"{base}/{survey.id}/delete").status_code == 302
    assert committed_row(Survey, survey.id) is None


def test_preview_stores_nothing(client, login, organiser, survey):
    login(organiser)
    url = f"/manage/events/{survey.event.slug}/surveys/{survey.id}/preview"
    page = client.post(url, data=full_answers(survey))
    assert "would be accepted" in page.text
    assert _responses() == 0


def test_invitations_and_reminders_are_committed(
    client, login, organiser, survey, make_registration, now
):
    person = make_registration(survey.event)
    login(organiser)
    base = f"/manage/events/{survey.event.slug}/surveys/{survey.id}"

    def mails(template):
        return (
            committed()
            .scalars(
                select(OutboundEmail).where(
                    OutboundEmail.template == template,
                    OutboundEmail.recipient == person.email,
                )
            )
            .all()
        )

    assert client.post(f"{base}/invite").status_code == 302
    assert len(mails("survey_invitation")) == 1
    # The invitation leaves (on the running clock the page queued it on).
    deliver_outbox(now=now_utc())
    assert client.post(f"{base}/remind").status_code == 302
    assert len(mails("survey_reminder")) == 1


def test_answers_are_committed(client, survey, make_registration, link, make_survey):
    person = make_registration(survey.event)
    sent = client.post(
        link(survey, person), data={"action": "submit", **full_answers(survey)}
    )
    assert sent.status_code == 302
    assert _responses(registration_id=person.id) == 1

    public = make_survey(
        survey.event, kinds=("rating", "short_text"), audience="public"
    )
    assert client.post(public_url(public), data=public_form(public)).status_code == 302
    assert _responses(survey_id=public.id) == 1
