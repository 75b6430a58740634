"""The organiser's results page, the text answers list and who may see them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from consult.extensions import db
from consult.surveys.models import SurveyOption
from tests.surveys.results_fixtures import *  # noqa: F403
from tests.surveys.results_fixtures import add_response, build_survey

PAYLOAD = '<script>alert("x")</script>'


def url(survey, suffix="/results"):
    return f"/manage/events/{survey.event.slug}/surveys/{survey.id}{suffix}"


@pytest.fixture
def filled(app, reg_event, stype, now):
    """A named survey with six answers from government and two from research."""
    survey = build_survey(reg_event, now=now)
    gov, research = stype(reg_event, "government").id, stype(reg_event, "research").id
    for i in range(8):
        add_response(
            survey,
            {
                "single_choice": ("other", f"Idea {i} {PAYLOAD}") if i == 0 else i % 4,
                "likert": 1 + i % 5,
                "rating": i + 2,
                "number": i * 3,
                "short_text": f"Answer number {i}",
                "long_text": "Repair and reuse" if i % 2 else "Deposit schemes",
                "multiple_choice": [0, i % 4],
                "ranking": [i % 4, (i + 1) % 4, (i + 2) % 4, (i + 3) % 4],
                "likert_matrix": [3, 4, None],
            },
            type_id=gov if i < 6 else research,
            now=now,
        )
    db.session.commit()
    return survey


def test_results_page_shows_charts_and_tables(client, login, organiser, filled):
    login(organiser)
    response = client.get(url(filled))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "8 responses submitted." in html
    assert html.count("<svg") >= 9
    assert "Government &amp; public agencies" in html
    assert "NPS" in html and "Mean rank" in html
    assert "style=" not in html  # the CSP blocks inline styles
    end = 0
    for _i in range(html.count("<svg")):
        begin = html.index("<svg", end)
        end = html.index("</svg>", begin) + len("</svg>")
        ET.fromstring(html[begin:end])  # every chart is well-formed XML
    assert "Read and search the 7 answers" not in html
    assert "Read and search the 8 answers" in html  # short and long text


def test_option_labels_are_escaped_in_charts_and_tables(
    client, login, organiser, filled
):
    option = db.session.scalars(db.select(SurveyOption)).first()
    option.label = PAYLOAD
    db.session.commit()
    login(organiser)
    html = client.get(url(filled)).get_data(as_text=True)
    assert PAYLOAD not in html
    assert "&lt;script&gt;" in html


def test_text_answers_search_and_pagination(client, login, organiser, filled):
    question = next(q for q in filled.questions if q.kind == "short_text")
    login(organiser)
    base = url(filled, f"/results/questions/{question.id}/answers")
    html = client.get(base + "?q=number%203").get_data(as_text=True)
    assert "Answer number 3" in html and "Answer number 4" not in html
    assert "1 answer" in html
    html = client.get(base + "?q=%25").get_data(as_text=True)  # LIKE wildcards are text
    assert "No answers match this search." in html
    other = next(q for q in filled.questions if q.kind == "single_choice")
    html = client.get(url(filled, f"/results/questions/{other.id}/answers")).get_data(
        as_text=True
    )
    assert "Idea 0" in html and PAYLOAD not in html
    number = next(q for q in filled.questions if q.kind == "number")
    assert (
        client.get(url(filled, f"/results/questions/{number.id}/answers")).status_code
        == 404
    )


def test_text_answers_paginate(client, login, organiser, reg_event, stype, now):
    survey = build_survey(reg_event, now=now, kinds=("short_text",))
    for i in range(30):
        add_response(survey, {"short_text": f"Text {i:02d}"}, now=now)
    db.session.commit()
    question = survey.questions[0]
    login(organiser)
    base = url(survey, f"/results/questions/{question.id}/answers")
    first = client.get(base).get_data(as_text=True)
    second = client.get(base + "?page=2").get_data(as_text=True)
    assert first.count("<blockquote") == 25 and second.count("<blockquote") == 5
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert 'rel="prev"' in second


def test_empty_results_page(client, login, organiser, reg_event, now):
    survey = build_survey(reg_event, now=now)
    db.session.commit()
    login(organiser)
    html = client.get(url(survey)).get_data(as_text=True)
    assert "No responses yet." in html
    assert "results.csv" not in html


@pytest.mark.parametrize("suffix", ["/results", "/results.csv", "/results.xlsx"])
def test_access_control(
    client, login, organiser, other_organiser, admin, filled, suffix
):
    target = url(filled, suffix)
    anonymous = client.get(target)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login(other_organiser)
    assert client.get(target).status_code == 403
    login(admin)
    assert client.get(target).status_code == 200
    login(organiser)
    assert client.get(target).status_code == 200


def test_a_survey_of_another_event_is_not_found(
    client, login, organiser, make_reg_event, filled
):
    other = make_reg_event(title="Another event")
    login(organiser)
    wrong = f"/manage/events/{other.slug}/surveys/{filled.id}/results"
    assert client.get(wrong).status_code == 404
