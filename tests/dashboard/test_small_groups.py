"""Small groups in the report and on the dashboard (issue 27, item 2).

``dash_event`` has 12 confirmed registrants, each with a ballot: government 5,
private sector 4, research 2, civil society 1 (a one-person group), nobody
informal; 8 NL/MY in countries (4 NL, 8 MY); 8 named survey responses
(government 5, private 3). With the default threshold of 5 the report shows
government on its own and the three others only together (4 + 2 + 1 = 7).
"""

from __future__ import annotations

import re
from datetime import timedelta

from markupsafe import escape

from consult.dashboard.services.dashboard import dashboard_data
from consult.dashboard.services.report import report_data
from consult.extensions import db
from tests.dashboard.conftest import types_of

OTHER = "Other groups (combined)"


def _labels(event) -> dict[str, str]:
    return {key: t.label for key, t in types_of(event).items()}


def _chart_text(chart) -> str:
    return " ".join([chart.title, *chart.head, *(" ".join(r) for r in chart.rows)])


def _attended(event, keys):
    for person in event.test_people:
        if person.stakeholder_type.key in keys:
            person.attended = True
    db.session.commit()


def test_report_shows_no_figure_of_a_small_group_alone(dash_event, now):
    labels = _labels(dash_event)
    small = [labels["private"], labels["research"], labels["civil_society"]]
    _attended(dash_event, {"government", "civil_society"})
    report = report_data(dash_event, now=dash_event.start_at + timedelta(days=1))

    rows = {row.label: row for row in report.groups.rows}
    assert rows[labels["government"]].confirmed == 5
    assert rows[OTHER].confirmed == 7 and rows[OTHER].combined
    assert not set(small) & set(rows)
    assert all(row.confirmed == 0 or row.confirmed >= 5 for row in rows.values())
    assert sorted(report.groups.folded) == sorted(small)
    assert sum(row.share for row in report.groups.rows) == 100

    # Countries: NL (4) alone would be small, and MY alone gives it back.
    assert [(r.label, r.n) for r in report.country_rows] == [
        ("Other countries (combined)", 12)
    ]

    # Attendance: "1 of 1" for civil society is not shown, only the combined 1 of 7.
    attendance = {row.label: row for row in report.attendance_rows}
    assert (attendance[OTHER].attended, attendance[OTHER].confirmed) == (1, 7)
    assert not set(small) & set(attendance)
    chart = _chart_text(report.charts["attendance"])
    assert "1 of 7" in chart and "1 of 1" not in chart
    assert f"{labels['government']} (n = 5)" in chart

    # Priorities per type: the small types' points in one row, n beside it.
    shown = {row.label: row for row in report.group_priorities.by_type}
    assert shown[OTHER].ballots == 7
    folded_scores = {}
    for row in report.priorities.by_type:
        if row.label in small:
            for cid, points in row.scores.items():
                folded_scores[cid] = folded_scores.get(cid, 0) + points
    assert shown[OTHER].scores == folded_scores
    assert not set(small) & set(shown)
    by_type = _chart_text(report.charts["priorities_by_type"])
    assert f"{OTHER} (n = 7)" in by_type and "(n = 5)" in by_type
    for label in small:
        assert label not in by_type
    # The spread compares groups shown on their own: only one here, so none.
    assert set(report.group_priorities.spread.values()) == {0.0}

    # The named survey: private (3) is hidden, and government with it.
    survey = report.surveys[0]
    question = survey.results.questions[0]
    assert question.visible_groups == []
    assert set(question.hidden_labels) == {labels["government"], labels["private"]}
    assert question.overall.n == 8  # the whole question is shown


def test_the_threshold_setting_changes_what_the_report_folds(
    app, dash_event, now, monkeypatch
):
    labels = _labels(dash_event)
    monkeypatch.setitem(app.config, "SMALL_GROUP_MIN", 3)
    report = report_data(dash_event, now=now)
    rows = {row.label: row.confirmed for row in report.groups.rows}
    assert rows[labels["private"]] == 4
    assert rows[OTHER] == 3  # research 2 + civil society 1
    assert [(r.label, r.n) for r in report.country_rows] == [
        ("Malaysia", 8),
        ("Netherlands", 4),
    ]
    question = report.surveys[0].results.questions[0]
    assert {g.group.label for g in question.visible_groups} == {
        labels["government"],
        labels["private"],
    }
    assert report.min_group == 3


def test_report_page_folds_small_groups_and_says_n(
    dash_event, organiser, login, client
):
    labels = {key: str(escape(label)) for key, label in _labels(dash_event).items()}
    login(organiser)
    html = client.get(f"/manage/events/{dash_event.slug}/report").get_data(as_text=True)
    participation = html[html.index('id="r-participation"') :]
    participation = participation[: participation.index("</section>")]
    assert OTHER in participation
    assert f"{labels['government']} (n = 5)" in participation
    priorities = html[html.index('id="r-priorities"') :]
    priorities = priorities[: priorities.index("</section>")]
    assert f"{OTHER} (n = 7)" in priorities
    surveys = html[html.index('id="r-surveys"') :]
    surveys = surveys[: surveys.index("</section>", surveys.index("</section>") + 1)]
    # A small group may be named only where the report says it is folded or
    # not ranked on its own, never beside a figure.
    figures = re.sub(r"Not ranked on their own.*?</p>", "", priorities, flags=re.S)
    for label in (labels["civil_society"], labels["research"]):
        assert label not in participation.split("Types with fewer than")[0]
        assert label not in figures
        assert label not in surveys
    assert "no figure of this report belongs to fewer than 5 people" in html


def test_dashboard_shows_small_groups_marked_with_their_n(
    dash_event, organiser, login, client, now
):
    labels = _labels(dash_event)
    data = dashboard_data(dash_event, now=now)
    by_type = _chart_text(data.charts["priorities_by_type"])
    assert f"{labels['civil_society']} (n = 1, small group)" in by_type
    assert f"{labels['government']} (n = 5)" in by_type
    balance = _chart_text(data.charts["balance"])
    assert f"{labels['research']} (n = 2, small group)" in balance
    login(organiser)
    html = client.get(f"/manage/events/{dash_event.slug}/dashboard").get_data(
        as_text=True
    )
    assert "n = 1, small group" in html and "n = 4, small group" in html
    assert "n = 5, small group" not in html


def test_a_report_of_fewer_people_than_the_threshold_splits_nothing(
    reg_event, make_registration, organiser, login, client, now
):
    from consult.challenges.models import Priority
    from tests.dashboard.conftest import add_challenges

    challenges = add_challenges(reg_event)
    person = make_registration(reg_event, type_key="civil_society", country="NL")
    for i, challenge in enumerate(challenges):
        db.session.add(
            Priority(
                event_id=reg_event.id,
                registration_id=person.id,
                challenge_id=challenge.id,
                points=(6, 3, 1)[i % 3],
                updated_at=now,
            )
        )
    db.session.commit()
    report = report_data(reg_event, now=reg_event.start_at + timedelta(hours=3))
    # Every other type would show 0: a combined row would be the one person.
    assert report.groups.rows == [] and report.groups.confirmed == 1
    assert report.country_rows == [] and report.attendance_rows == []
    assert report.priorities.ballots == 1
    assert report.group_priorities.by_type == []
    login(organiser)
    html = client.get(f"/manage/events/{reg_event.slug}/report").get_data(as_text=True)
    participation = html[html.index('id="r-participation"') :]
    participation = participation[: participation.index("</section>")]
    assert "Fewer than 5 confirmed registrants: not shown by stakeholder type" in html
    assert "not shown by country" in participation
    assert "Civil society" not in participation and "Netherlands" not in participation
    priorities = html[html.index('id="r-priorities"') :]
    priorities = priorities[: priorities.index("</section>")]
    assert "Fewer than 5 ballots" in priorities
    assert "Civil society" not in priorities


def test_one_group_large_enough_gets_no_view_weighted_equally(
    dash_event, organiser, login, client
):
    # Government alone has 5 ballots and 5 survey answers: averaging "each
    # group" would be government's own shares under a label promising balance.
    login(organiser)
    for url in ("report", "dashboard"):
        html = client.get(f"/manage/events/{dash_event.slug}/{url}").get_data(
            as_text=True
        )
        weighted = html[html.index('id="findings-weighted"') :]
        weighted = weighted[: weighted.index("</div>")]
        assert (
            "Fewer than two stakeholder groups have 5 ballots or more: "
            "there is no weighted view." in weighted
        )
        assert "averaged over the stakeholder groups" not in weighted
    html = client.get(f"/manage/events/{dash_event.slug}/dashboard").get_data(
        as_text=True
    )
    survey = html[html.index("findings-choice") :]
    assert (
        "Fewer than two stakeholder groups have 5 respondents or more: "
        "no weighted shares." in survey
    )
    assert "each group weighted equally:" not in survey
    assert "Weighted: each of these groups counts the same" not in survey


def test_a_type_folded_only_to_protect_a_smaller_one_is_not_called_small(
    app, dash_event, organiser, login, client, monkeypatch
):
    # Threshold 2: civil society (1) is small; research (2) is not, but is
    # folded with it, else 12 minus the types shown would give civil society.
    monkeypatch.setitem(app.config, "SMALL_GROUP_MIN", 2)
    labels = {key: str(escape(label)) for key, label in _labels(dash_event).items()}
    login(organiser)
    html = client.get(f"/manage/events/{dash_event.slug}/report").get_data(as_text=True)
    note = html[html.index("Types with fewer than 2 confirmed") :]
    note = note[: note.index("</p>")]
    assert "registrants are not shown on their own, in this and every other " in note
    small = note[: note.index("are counted together")]
    assert labels["civil_society"] in small and labels["research"] not in small
    assert (
        "Counted with them, although not smaller, so that the smaller types cannot "
        f"be worked out from the totals: {labels['research']}." in note
    )


def test_report_attendance_rates_are_decimal_half_up_like_the_dashboard(app):
    from consult.dashboard.figures import attendance_rows_chart
    from consult.dashboard.services.groups import AttendanceRow

    # 1 of 8 is 12.5%: half up 13, where round() on the float gives 12 (and
    # the dashboard's chart of the same people says 13).
    chart = attendance_rows_chart(
        [AttendanceRow("Government", 8, 1), AttendanceRow(OTHER, 40, 7)]
    )
    assert chart.rows[0][-1] == "1 of 8 · 13%"
    assert chart.rows[1][-1] == "7 of 40 · 18%"  # 17.5
