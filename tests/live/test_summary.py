"""The live session in the results: live_summary, the dashboard, the report
and the workbook's two sheets; groups only, never an asker's name."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from consult.dashboard.services.export_files import report_pdf_page
from consult.dashboard.services.exports import workbook_sheets
from consult.extensions import db
from consult.live.services.polls import (
    AnswerData,
    PollData,
    answer_poll,
    change_poll,
    create_poll,
)
from consult.live.services.questions import ask, merge, moderate, upvote
from consult.live.services.summary import live_summary

ASKER = "Zainab Secret-Asker"
FORMULA_Q = '=HYPERLINK("http://x") who pays for collection?'


@pytest.fixture
def session(live_event, people, organiser, during):
    """A finished live session: four questions (one anonymous, one merged,
    one pending), a closed single-choice poll and an open one."""
    (asker,) = people(live_event, 1, "civil_society", full_name=ASKER)
    government = people(live_event, 6, "government")
    private = people(live_event, 5, "private")
    research = people(live_event, 2, "research")
    top = ask(asker, "Who pays for separate collection?", anonymous=True, now=during)
    second = ask(government[0], FORMULA_Q, anonymous=False, now=during)
    dup = ask(private[0], "Who funds collection of waste?", anonymous=False, now=during)
    ask(research[0], "Still pending?", anonymous=False, now=during)
    for q in (top, second, dup):
        moderate(organiser, live_event, q.id, "approve", now=during)
    for person in government + private + research:
        upvote(person, top.id, now=during)
    for person in government[:3]:
        upvote(person, second.id, now=during)
    merge(organiser, live_event, dup.id, second.id, now=during)
    moderate(organiser, live_event, top.id, "answer", now=during)
    poll = create_poll(
        organiser, live_event, PollData("single", "First step?", ["Repair", "Reuse"]),
        now=during,
    )  # fmt: skip
    change_poll(organiser, live_event, poll.id, "launch", now=during)
    repair, reuse = (o.id for o in poll.options)
    for person in government:
        answer_poll(person, poll.id, AnswerData(option_ids=[repair]), now=during)
    for person in private + research + [asker]:
        answer_poll(person, poll.id, AnswerData(option_ids=[reuse]), now=during)
    change_poll(organiser, live_event, poll.id, "close", now=during)
    still_open = create_poll(
        organiser, live_event, PollData("rating", "How useful?"), now=during
    )
    change_poll(organiser, live_event, still_open.id, "launch", now=during)
    db.session.commit()
    return live_event


def test_live_summary_orders_groups_and_names_nobody(session):
    summary = live_summary(session)
    # Most voted first; the pending and the merged ones stay out of the top.
    top = summary.top_questions
    assert [q.votes for q in top] == [13, 4]
    assert top[0].state == "answered" and top[0].text.startswith("Who pays")
    assert top[0].asked_by == "Civil society & NGOs"
    # Government (6) and private (5) alone; research (2) is folded, and with
    # it the smallest shown group, so no group's votes can be worked out.
    by_group = dict(top[0].by_group)
    assert by_group == {"Government & public agencies": 6, "Other groups": 7}
    # The merged question's asker voted for the question it joined.
    assert top[1].votes == 4
    states = sorted(q.state for q in summary.questions)
    assert states == ["answered", "approved", "merged", "pending"]
    # Only the closed poll, overall and by group.
    assert [p["poll"].prompt for p in summary.polls] == ["First step?"]
    results = summary.polls[0]["results"]
    assert [r["count"] for r in results["overall"]["rows"]] == [6, 8]
    assert {g["label"] for g in results["groups"]} == {
        "Government & public agencies",
        "Other groups",
    }
    assert ASKER not in repr(summary)


def test_no_live_session_no_section(live_event, organiser, login, client):
    assert live_summary(live_event).empty
    login(organiser)
    page = client.get(f"/manage/events/{live_event.slug}/dashboard")
    assert page.status_code == 200
    assert b'id="live-session"' not in page.data
    assert not any(s.title.startswith("Live") for s in workbook_sheets(live_event))


def test_the_dashboard_shows_the_live_session(session, organiser, login, client):
    login(organiser)
    page = client.get(f"/manage/events/{session.slug}/dashboard")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="live-session"' in html
    assert "Who pays for separate collection?" in html
    assert "Civil society &amp; NGOs" in html
    assert "First step?" in html and "How useful?" not in html
    assert "Still pending?" not in html
    assert ASKER not in html


def test_the_report_shows_the_live_session(session, organiser, login, client):
    login(organiser)
    page = client.get(f"/manage/events/{session.slug}/report")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="#live-session"' in html and 'id="live-session"' in html
    assert "Who pays for separate collection?" in html
    assert "First step?" in html
    assert ASKER not in html


def test_the_workbook_has_the_live_sheets(session, organiser, login, client):
    login(organiser)
    response = client.get(f"/manage/events/{session.slug}/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert {"Live questions", "Live polls"} <= set(book.sheetnames)
    questions = list(book["Live questions"].values)
    assert questions[0][:3] == ("Question", "State", "Votes")
    assert len(questions) == 1 + 4
    assert questions[1][2] == 13 and questions[1][3] == "Civil society & NGOs"
    # A question that looks like a formula is stored as text.
    assert "'" + FORMULA_Q in [row[0] for row in questions]
    polls = list(book["Live polls"].values)
    assert len(polls) == 1 + 2  # the closed poll's two options
    assert [row[3] for row in polls[1:]] == [6, 8]
    assert "Government & public agencies: 6" in polls[1][6]
    live = [book["Live questions"], book["Live polls"]]
    cells = {str(c) for ws in live for row in ws.values for c in row}
    assert not any(ASKER in cell for cell in cells)


SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'


def test_live_texts_are_escaped_on_the_dashboard_and_report(
    live_event, people, organiser, during, login, client
):
    (asker,) = people(live_event, 1)
    question = ask(asker, "Why " + SCRIPT, anonymous=False, now=during)
    moderate(organiser, live_event, question.id, "approve", now=during)
    poll = create_poll(
        organiser, live_event, PollData("single", "Pick " + IMG, [SCRIPT, IMG]),
        now=during,
    )  # fmt: skip
    change_poll(organiser, live_event, poll.id, "launch", now=during)
    answer_poll(asker, poll.id, AnswerData(option_ids=[poll.options[0].id]), now=during)
    change_poll(organiser, live_event, poll.id, "close", now=during)
    db.session.commit()
    login(organiser)
    for page in ("dashboard", "report"):
        html = client.get(f"/manage/events/{live_event.slug}/{page}").get_data(
            as_text=True
        )
        section = html.split('id="live-session"')[1]
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section
        assert SCRIPT not in section and "<img src=x" not in section


def test_the_printed_report_has_the_live_session(session, now):
    page = report_pdf_page(session, "en", now=now, progress=lambda p, s: None)
    section = page.html.split('id="live-session"')[1]
    assert "Who pays for separate collection?" in section
    assert "First step?" in section
    assert ASKER not in page.html


def test_the_report_in_malay_names_the_section_in_malay(
    session, organiser, login, client
):
    login(organiser)
    html = client.get(f"/manage/events/{session.slug}/report?lang=ms").get_data(
        as_text=True
    )
    assert "Sesi langsung" in html and "Soalan teratas mengikut undian" in html
