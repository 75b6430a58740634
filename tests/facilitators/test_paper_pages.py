"""Paper sheets through the pages: a facilitator (invited through the
organiser's form) prints sheets, enters them with the entry page, imports a
CSV file; the organiser does the same from the management side; a
facilitator of another event reaches none of it.

Reads go through `committed()` (tests/effects.py): only what a route committed.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import func, select

from consult.auth.models import User
from consult.challenges.models import Priority
from consult.challenges.services import event_challenges
from consult.dashboard.services.pdf import pdf_available
from consult.extensions import db
from consult.facilitators.paper.imports import template_header
from consult.facilitators.paper.models import PaperImport, PaperSheet
from consult.facilitators.paper.sheets import sheet_code
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.surveys.services.builder import SurveyData, create_survey
from consult.surveys.services.questions import add_question
from tests.auth.helpers import NEW_PASSWORD
from tests.auth.test_reset_pages import reset_path_from
from tests.effects import committed


def _become_facilitator(client, login, organiser, event) -> User:
    """The organiser invites through the form; the facilitator sets a password."""
    login(organiser)
    invited = client.post(
        f"/manage/events/{event.slug}/facilitators",
        data={"name": "Field Worker", "email": "field@example.org", "language": "en"},
    )
    assert invited.status_code == 302
    mail = committed().scalar(
        select(OutboundEmail).where(OutboundEmail.recipient == "field@example.org")
    )
    client.post("/auth/logout")
    path = reset_path_from(mail)
    client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    return committed().scalar(select(User).where(User.email == "field@example.org"))


def _print(client, base, kind, copies=1, language="en"):
    response = client.post(
        f"{base}/print", data={"sheet": kind, "language": language, "copies": copies}
    )
    if pdf_available() is None:
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF")
    else:
        assert response.status_code == 503
    return response


def _sheets(kind) -> list[PaperSheet]:
    return (
        committed()
        .scalars(
            select(PaperSheet)
            .where(PaperSheet.kind == kind)
            .order_by(PaperSheet.number)
        )
        .all()
    )


def _count(model) -> int:
    return committed().scalar(select(func.count(model.id)))


SHEET = {
    "step": "sheet",
    "full_name": "Nurul Huda",
    "phone": "012 999 1111",
    "type_key": "informal",
    "country": "MY",
    "consent_privacy": "y",
}


def test_a_facilitator_prints_and_enters_sheets(client, login, organiser, ch_event):
    event = ch_event
    user = _become_facilitator(client, login, organiser, event)
    base = f"/facilitate/{event.slug}/paper"
    assert "Print sheets" in client.get(f"{base}/").get_data(True)
    bad = client.post(
        f"{base}/print", data={"sheet": "R", "language": "en", "copies": 0}
    )
    assert bad.status_code == 422 and _count(PaperSheet) == 0
    printed = _print(client, base, "R", copies=2)
    if pdf_available() is not None:
        return  # no codes without a printed PDF
    first, second = _sheets("R")
    assert (first.printed_by_id, first.language) == (user.id, "en")
    pdf = PdfReader(io.BytesIO(printed.data))
    assert len(pdf.pages) == 2  # one page per copy, each with its own code
    for page, sheet in zip(pdf.pages, (first, second), strict=True):
        words = page.extract_text()
        assert sheet_code(sheet) in words and "Full name" in words
    assert sheet_code(first) in client.get(f"{base}/").get_data(True)

    # The code step: a slip is caught, a good code opens the sheet.
    code = sheet_code(first)
    slip = code[:-1] + ("A" if code[-1] != "A" else "B")
    refused = client.post(f"{base}/enter", data={"step": "code", "code": slip})
    assert refused.status_code == 422
    assert "typing mistake" in refused.get_data(True)
    opened = client.post(f"{base}/enter", data={"step": "code", "code": code})
    assert opened.status_code == 200 and 'name="full_name"' in opened.get_data(True)
    # Its consent box links to the notice the person was read.
    assert f"/events/{event.slug}/privacy?version=1" in opened.get_data(True)

    # Saving: an error is shown next to the field and saves nothing.
    missing = client.post(
        f"{base}/enter", data={**SHEET, "code": code, "consent_privacy": ""}
    )
    assert missing.status_code == 422
    assert "Nurul Huda" in missing.get_data(True)
    assert _count(Registration) == 0 and _sheets("R")[0].entered_at is None
    saved = client.post(f"{base}/enter", data={**SHEET, "code": code})
    assert saved.status_code == 302
    person = committed().scalar(select(Registration))
    assert (person.full_name, person.channel, person.facilitated_by_id) == (
        "Nurul Huda",
        "paper",
        user.id,
    )
    assert (person.status, person.language) == ("confirmed", "en")
    assert _sheets("R")[0].entered_by_id == user.id
    again = client.post(f"{base}/enter", data={**SHEET, "code": code})
    assert again.status_code == 422 and _count(Registration) == 1

    # The priorities sheet names the person by their form's code.
    _print(client, base, "P")
    (ballot,) = _sheets("P")
    ids = [c.id for c in event_challenges(event)]
    data = {"step": "sheet", "code": sheet_code(ballot), "person": code}
    over = client.post(f"{base}/enter", data={**data, f"c-{ids[0]}": "11"})
    assert over.status_code == 422 and _count(Priority) == 0
    done = client.post(
        f"{base}/enter", data={**data, f"c-{ids[0]}": "8", f"c-{ids[2]}": "2"}
    )
    assert done.status_code == 302
    rows = committed().scalars(select(Priority).order_by(Priority.challenge_id))
    assert [(r.points, r.channel, r.facilitated_by_id) for r in rows] == [
        (8, "paper", user.id),
        (0, "paper", user.id),
        (2, "paper", user.id),
    ]
    page = client.get(f"{base}/enter").get_data(True)
    listed = page.split("entered-sheets")[1]
    assert sheet_code(ballot) in listed and code in listed and "Nurul Huda" in listed


def _csv(event, *rows) -> bytes:
    return ("\n".join([",".join(template_header(event)), *rows]) + "\n").encode()


def test_a_csv_import_with_bad_rows_creates_nothing(client, login, organiser, ch_event):
    event = ch_event
    _become_facilitator(client, login, organiser, event)
    base = f"/facilitate/{event.slug}/paper"
    template = client.get(f"{base}/template.csv?lang=en")
    assert template.status_code == 200
    header = template.get_data(True).splitlines()[0]
    assert "Full name [full_name]" in header and "[stakeholder_type]" in header
    content = (
        template.get_data(True).encode()
        + b",Aminah,012 345 6701,,informal,MY,yes,no,no,no,7,3,0\n"
        + b",Badrul,012 345 6702,,informal,XX,yes,no,no,no,,,\n"
        + b",Chong,012 345 6703,,informal,MY,yes,no,no,no,5,5,5\n"
    )
    preview = client.post(
        f"{base}/import",
        data={"file": (io.BytesIO(content), "sheets.csv"), "lang": "en"},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    refused = preview.get_data(True).split("import-refused")[1]
    assert "<td>3</td>" in refused and "country" in refused
    assert "<td>4</td>" in refused and "Distribute exactly 10 points" in refused
    assert "Import these people" not in preview.get_data(True)
    assert _count(Registration) == 0
    token = committed().scalar(select(PaperSheet.id))  # no sheet involved
    assert token is None
    stored = committed().scalar(select(PaperImport))
    forced = client.post(
        f"{base}/import/confirm", data={"token": stored.token, "lang": "en"}
    )
    assert forced.status_code == 302
    assert _count(Registration) == 0 and _count(Priority) == 0
    assert committed().scalar(select(PaperImport)).confirmed_at is None

    # A good file: preview, confirm, and a second confirm adds nothing.
    good = _csv(event, ",Aminah,012 345 6701,,informal,MY,yes,no,no,no,7,3,0")
    preview = client.post(
        f"{base}/import",
        data={"file": (io.BytesIO(good), "good.csv"), "lang": "en"},
        content_type="multipart/form-data",
    )
    assert "Import these people" in preview.get_data(True)
    token = committed().scalar(
        select(PaperImport.token).where(PaperImport.filename == "good.csv")
    )
    assert (
        client.post(
            f"{base}/import/confirm", data={"token": token, "lang": "en"}
        ).status_code
        == 302
    )
    assert _count(Registration) == 1 and _count(Priority) == 3
    client.post(f"{base}/import/confirm", data={"token": token, "lang": "en"})
    assert _count(Registration) == 1
    assert "imported already" in client.get(f"{base}/import").get_data(True)


def test_organisers_enter_sheets_and_other_facilitators_cannot(
    client, login, organiser, ch_event, make_facilitator, make_reg_event
):
    event = ch_event
    login(organiser)
    base = f"/manage/events/{event.slug}/paper"
    assert client.get(f"{base}/").status_code == 200
    _print(client, base, "R")
    if pdf_available() is not None:
        return
    (sheet,) = _sheets("R")
    code = sheet_code(sheet)
    assert client.post(f"{base}/enter", data={**SHEET, "code": code}).status_code == 302
    person = committed().scalar(select(Registration))
    assert (person.channel, person.facilitated_by_id) == ("paper", organiser.id)
    good = _csv(event, ",Aminah,012 345 6701,,informal,MY,yes,no,no,no,,,")
    preview = client.post(
        f"{base}/import",
        data={"file": (io.BytesIO(good), "good.csv"), "lang": "en"},
        content_type="multipart/form-data",
    )
    assert "Import these people" in preview.get_data(True)
    token = committed().scalar(select(PaperImport.token))
    client.post(f"{base}/import/confirm", data={"token": token, "lang": "en"})
    imported = committed().scalar(
        select(Registration).where(Registration.full_name == "Aminah")
    )
    assert (imported.channel, imported.facilitated_by_id) == ("paper", organiser.id)
    client.post("/auth/logout")
    other = make_reg_event(slug="another-event")
    stranger = make_facilitator(other, email="stranger@example.org")
    login(stranger)
    assert client.get(f"/facilitate/{event.slug}/paper/").status_code == 403
    assert client.get(f"{base}/").status_code in (403, 404)
    refused = client.post(
        f"/facilitate/{event.slug}/paper/enter", data={**SHEET, "code": code}
    )
    assert refused.status_code == 403


def test_a_survey_prints_with_every_kind_of_question(
    client, login, organiser, ch_event, now
):
    from tests.surveys.conftest import ALL_KINDS, question_data, wall

    event = ch_event
    survey = create_survey(
        event,
        organiser,
        SurveyData(
            title="After the webinar",
            introduction="",
            kind="post_event",
            audience="confirmed",
            opens=wall(now, event),
            closes=wall(now + timedelta(days=10), event),
        ),
        now=now,
    )
    for kind in ALL_KINDS:
        add_question(survey, organiser, question_data(kind), now=now)
    db.session.commit()
    login(organiser)
    base = f"/manage/events/{event.slug}/paper"
    assert "After the webinar" in client.get(f"{base}/").get_data(True)
    printed = _print(client, base, f"S{survey.id}")
    if pdf_available() is not None:
        return
    (sheet,) = _sheets("S")
    words = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(printed.data)).pages
    )
    assert sheet_code(sheet) in words and "After the webinar" in words
    for question in survey.questions:
        assert question.text[:20] in " ".join(words.split())
    # A rating is the screen's 0-10 on paper too (it printed 1-5).
    assert re.search(r"\b0\s*1\s*2\s*3\s*4\s*5\s*6\s*7\s*8\s*9\s*10\b", words)
    # The organiser opens the sheet: a form of its questions, the person's
    # reference first (entering: tests/facilitators/test_paper_surveys.py).
    opened = client.post(
        f"{base}/enter", data={"step": "code", "code": sheet_code(sheet)}
    )
    assert opened.status_code == 200
    page = opened.get_data(True)
    assert 'name="person"' in page
    assert all(f'id="question-{q.id}"' in page for q in survey.questions)
