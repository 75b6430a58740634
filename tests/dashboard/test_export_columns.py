"""One column definition per table (issue 17): the registrations page and the
dashboard give an organiser the same registrants file, the inputs page and the
dashboard the same inputs file, with no query per row."""

from __future__ import annotations

import csv
import io
import secrets

from openpyxl import load_workbook

from consult.challenges.models import Expert, Input
from consult.extensions import db
from consult.registration.models import RegistrationQuestion


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _sheet_as_csv(workbook, title: str) -> list[list[str]]:
    """The sheet's cells as the CSV export writes them (same neutralisation)."""
    from consult.exports import neutralise

    rows = list(workbook[title].iter_rows(values_only=True))
    header = [str(cell) for cell in rows[0]]
    return [header] + [
        [_cell_text(cell, neutralise) for cell in row] for row in rows[1:]
    ]


def _cell_text(cell, neutralise) -> str:
    # The workbook stores text already neutralised: keep it as it is.
    return cell if isinstance(cell, str) else neutralise(cell)


def _strip_utc(rows: list[list[str]]) -> list[list[str]]:
    """CSV times end in " UTC"; a workbook's are UTC without saying so."""
    return [[c.removesuffix(" UTC") for c in row] for row in rows]


def _enrich(event, make_registration, now):
    """What the shared fixture lacks: an answered question, an assisted
    registrant without email, a general input and an invited expert's input."""
    question = RegistrationQuestion(
        event_id=event.id, label="Sector", kind="text", position=1
    )
    db.session.add(question)
    db.session.flush()
    person = event.test_people[0]
    person.answers = {str(question.id): "=Waste & recycling"}
    person.needs_interpretation = "Bahasa Malaysia"
    person.other_needs = "Step-free access"
    assisted = make_registration(event, assisted=True, full_name="Walk-in")
    assisted.email = None
    assisted.assisted_by_id = event.owner_id
    expert = Expert(
        event_id=event.id,
        email="eva@example.se",
        name="Eva Lindqvist",
        organisation="City of Malmö",
        status="approved",
        nonce=secrets.token_urlsafe(24),
        invited_at=now,
    )
    db.session.add(expert)
    db.session.flush()
    db.session.add_all(
        [
            Input(
                event_id=event.id,
                expert_id=expert.id,
                is_expert=True,
                kind="expert_question",
                state="submitted",
                title="Who pays?",
                body="@cost",
                tags=["money", "scale"],
                created_at=now,
                updated_at=now,
            ),
            Input(
                event_id=event.id,
                registration_id=person.id,
                kind="problem_insight",
                state="hidden",
                title="General",
                body="Off topic",
                hidden_reason="Duplicate",
                created_at=now,
                updated_at=now,
            ),
        ]
    )
    db.session.commit()


def test_registrants_are_the_same_from_the_registrations_page_and_the_dashboard(
    dash_event, organiser, login, client, make_registration, now
):
    _enrich(dash_event, make_registration, now)
    dash_event.test_people[0].language = "zh_Hans"
    db.session.commit()
    login(organiser)
    base = f"/manage/events/{dash_event.slug}"
    page = _csv(client.get(f"{base}/registrations.csv"))
    dashboard = _csv(client.get(f"{base}/export/registrants.csv"))
    assert page == dashboard
    header = page[0]
    assert len(header) == 30 + 1  # the columns and the event's one question
    assert header[:3] == ["ID", "Name", "Email"]
    for column in ("Reason", "Interpretation", "Captions", "Other needs"):
        assert column in header
    assert header[-2:] == ["Privacy notice version", "Sector"]
    assert "Registered at (UTC)" in header
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in page[1:]}
    first = rows[dash_event.test_people[0].full_name]
    assert first["Sector"] == "'=Waste & recycling"
    assert first["Interpretation"] == "Bahasa Malaysia"
    assert rows["Walk-in"]["Email"] == "" and rows["Walk-in"]["Assisted"] == "yes"
    # Who registered the person for them, and how they came (issue 20).
    assert header[header.index("Assisted") + 1 :][:2] == ["Registered by", "Channel"]
    assert (first["Registered by"], first["Channel"]) == ("", "online")
    assert rows["Walk-in"]["Channel"] == "assisted"
    assert rows["Walk-in"]["Registered by"] == organiser.name
    # The language messages go in, as a code: the site's for who chose none.
    assert header[header.index("Time zone") + 1] == "Language"
    assert first["Language"] == "zh_Hans"
    assert rows["Walk-in"]["Language"] == "en"

    workbook = load_workbook(io.BytesIO(client.get(f"{base}/export.xlsx").data))
    assert _sheet_as_csv(workbook, "Registrants") == _strip_utc(page)


def test_inputs_are_the_same_from_the_inputs_page_and_the_dashboard(
    dash_event, organiser, login, client, make_registration, now
):
    _enrich(dash_event, make_registration, now)
    login(organiser)
    base = f"/manage/events/{dash_event.slug}"
    page = _csv(client.get(f"{base}/challenges/inputs.csv"))
    dashboard = _csv(client.get(f"{base}/export/inputs.csv"))
    assert page == dashboard
    header = page[0]
    assert len(header) == 29
    assert header[4:6] == ["Title", "Body"] and "Text" not in header
    rows = {row[4]: dict(zip(header, row, strict=True)) for row in page[1:]}
    assert len(rows) == len(dash_event.test_inputs) + 2
    expert = rows["Who pays?"]
    assert (expert["Author"], expert["Author's organisation"]) == (
        "Eva Lindqvist",
        "City of Malmö",
    )
    assert expert["Author's stakeholder type"] == "Invited expert"
    assert expert["Expert"] == "yes" and expert["Tags"] == "money, scale"
    assert expert["Body"] == "'@cost" and expert["Kind"] == "Question for the experts"
    general = rows["General"]
    assert general["Challenge"] == "General" and general["Hidden reason"] == "Duplicate"
    assert general["Author"] == dash_event.test_people[0].full_name

    workbook = load_workbook(io.BytesIO(client.get(f"{base}/export.xlsx").data))
    assert _sheet_as_csv(workbook, "Inputs") == _strip_utc(page)


def test_the_page_exports_run_no_query_per_row(
    dash_event, organiser, login, client, make_registration, now, count_statements
):
    login(organiser)
    base = f"/manage/events/{dash_event.slug}"
    urls = (f"{base}/registrations.csv", f"{base}/challenges/inputs.csv")

    def counts():
        result = []
        for url in urls:
            db.session.expire_all()
            with count_statements() as statements:
                assert client.get(url).status_code == 200
            # SELECTs only: whether a BEGIN is sent depends on the session.
            result.append(sum(s.lstrip().startswith("SELECT") for s in statements))
        return result

    before = counts()
    _enrich(dash_event, make_registration, now)  # new authors, an expert
    for i in range(5):
        person = make_registration(dash_event, full_name=f"Author {i}")
        db.session.add(
            Input(
                event_id=dash_event.id,
                registration_id=person.id,
                kind="solution_idea",
                title=f"Idea {i}",
                body="More",
                created_at=now,
                updated_at=now,
            )
        )
    db.session.commit()
    assert counts() == before
