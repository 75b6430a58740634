"""Anonymous surveys: groups under five hidden everywhere a group could be identified."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.surveys.results import hidden_groups, survey_results
from consult.surveys.results.texts import text_answers
from tests.surveys.results_fixtures import *  # noqa: F403
from tests.surveys.results_fixtures import add_response, build_survey


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({"a": 10, "b": 6, "c": 0}, set()),
        ({"a": 10, "b": 6, "c": 3}, {"b", "c"}),  # c alone could be derived
        ({"a": 10, "b": 6, "c": 3, "d": 2}, {"c", "d"}),  # together 5: enough
        ({"a": 10, "b": 4}, {"a", "b"}),
        ({"a": 5}, set()),
        ({"a": 4}, {"a"}),
    ],
)
def test_hidden_groups_leave_nothing_to_subtract(counts, hidden):
    assert hidden_groups(counts) == hidden


def test_hidden_groups_keep_groups_hidden_elsewhere():
    assert hidden_groups({"a": 10, "b": 6, "c": 7}, also={"c"}) == {"c"}
    assert hidden_groups({"a": 10, "b": 6, "c": 2}, also={"b"}) == {"b", "c"}
    assert hidden_groups({"a": 10, "b": 0}, also={"b"}) == set()


def make(reg_event, stype, now, sizes, *, anonymous=True):
    survey = build_survey(reg_event, anonymous=anonymous, now=now)
    for key, n in sizes.items():
        for i in range(n):
            add_response(
                survey,
                {"likert": 1 + i % 5, "short_text": f"{key} says {i}", "rating": 9},
                type_id=stype(reg_event, key).id,
                now=now,
            )
    db.session.commit()
    return survey


def test_small_groups_are_hidden_and_totals_cannot_reveal_them(
    app, reg_event, stype, now
):
    survey = make(reg_event, stype, now, {"government": 8, "private": 6, "research": 2})
    results = survey_results(survey)
    likert = next(q for q in results.questions if q.kind == "likert")
    shown = {g.group.label: g for g in likert.groups}
    assert not shown["Government & public agencies"].hidden
    assert shown["Research & academia"].hidden
    assert shown["Research & academia"].stats is None
    # research (2) alone could be worked out from the total: private goes too.
    assert shown["Private sector"].hidden
    assert likert.overall.n == 16
    assert set(likert.hidden_labels) == {"Research & academia", "Private sector"}
    assert results.hidden_group_keys == {
        stype(reg_event, "research").id,
        stype(reg_event, "private").id,
    }


def test_named_surveys_hide_nothing(app, reg_event, stype, now):
    survey = make(
        reg_event, stype, now, {"government": 8, "research": 1}, anonymous=False
    )
    likert = next(q for q in survey_results(survey).questions if q.kind == "likert")
    assert not any(g.hidden for g in likert.groups)


def test_fewer_than_five_responses_show_nothing(app, reg_event, stype, now):
    survey = make(reg_event, stype, now, {"government": 3, "research": 1})
    results = survey_results(survey)
    assert results.hidden
    assert all(q.hidden and q.overall is None for q in results.questions if q.n)


def test_a_question_answered_by_fewer_than_five_is_hidden(app, reg_event, stype, now):
    survey = make(reg_event, stype, now, {"government": 6})
    for _i in range(2):
        add_response(
            survey,
            {"number": 7},
            type_id=stype(reg_event, "government").id,
            now=now,
        )
    db.session.commit()
    results = survey_results(survey)
    number = next(q for q in results.questions if q.kind == "number")
    assert number.n == 2 and number.hidden and number.overall is None


def test_text_list_names_only_shown_groups_and_sorts_by_text(
    app, reg_event, stype, now
):
    survey = make(reg_event, stype, now, {"government": 6, "private": 5, "research": 2})
    question = next(q for q in survey.questions if q.kind == "short_text")
    page = text_answers(question, per_page=50)
    labels = {item.text.split()[0]: item.group_label for item in page.items}
    assert labels["government"] == "Government & public agencies"
    assert labels["research"] == "Other groups"
    assert labels["private"] == "Other groups"  # research alone would be derivable
    assert all(
        item.respondent is None and item.submitted_at is None for item in page.items
    )
    assert [i.text for i in page.items] == sorted(i.text for i in page.items)
    # A hidden group cannot be singled out by filtering.
    only = text_answers(question, group=stype(reg_event, "research").id)
    assert only.group is None and only.total == 13


def test_text_list_of_named_survey_shows_people(
    app, reg_event, stype, now, make_registration
):
    survey = build_survey(reg_event, now=now)
    person = make_registration(reg_event, type_key="research", full_name="Siti Aminah")
    add_response(
        survey,
        {"short_text": "Bring repair cafés"},
        type_id=person.stakeholder_type_id,
        registration=person,
        now=now,
    )
    db.session.commit()
    question = next(q for q in survey.questions if q.kind == "short_text")
    page = text_answers(question)
    assert page.items[0].respondent == "Siti Aminah"
    assert page.items[0].submitted_at == now


def test_anonymous_results_page_explains_the_hiding(
    client, login, organiser, reg_event, stype, now
):
    survey = make(reg_event, stype, now, {"government": 3})
    login(organiser)
    path = f"/manage/events/{reg_event.slug}/surveys/{survey.id}/results"
    html = client.get(path).get_data(as_text=True)
    assert "Fewer than 5 people have answered this anonymous survey" in html
    assert "<svg" not in html
    question = next(q for q in survey.questions if q.kind == "short_text")
    assert text_answers(question).hidden
    texts = client.get(f"{path}/questions/{question.id}/answers").get_data(as_text=True)
    assert "government says" not in texts
    assert "results.csv" not in html
    response = client.get(path.replace("/results", "/results.csv"))
    assert response.status_code == 302  # refused, with a message on the results page
    html = client.get(path).get_data(as_text=True)
    assert "can be exported once at least 5 people have answered" in html


def test_results_page_names_the_hidden_groups(
    client, login, organiser, reg_event, stype, now
):
    survey = make(reg_event, stype, now, {"government": 8, "private": 6, "research": 2})
    login(organiser)
    html = client.get(
        f"/manage/events/{reg_event.slug}/surveys/{survey.id}/results"
    ).get_data(as_text=True)
    assert "Not shown separately, to protect anonymity" in html
    assert "Research &amp; academia, Private sector" in html or (
        "Private sector, Research &amp; academia" in html
    )
    likert_section = html[html.index("3. Question likert") :]
    likert_section = likert_section[: likert_section.index("</section>")]
    assert "Government &amp; public agencies" in likert_section
    assert "n = 2" not in likert_section and "n = 6" not in likert_section


def test_text_answers_of_a_question_answered_by_fewer_than_five_are_hidden(
    app, reg_event, stype, now
):
    survey = make(reg_event, stype, now, {"government": 6})
    add_response(
        survey,
        {"long_text": "Only I wrote this"},
        type_id=stype(reg_event, "government").id,
        now=now,
    )
    db.session.commit()
    question = next(q for q in survey.questions if q.kind == "long_text")
    page = text_answers(question)
    assert page.hidden and page.items == []
    named = build_survey(reg_event, now=now)
    add_response(named, {"long_text": "Signed answer"}, now=now)
    db.session.commit()
    question = next(q for q in named.questions if q.kind == "long_text")
    assert [i.text for i in text_answers(question).items] == ["Signed answer"]
