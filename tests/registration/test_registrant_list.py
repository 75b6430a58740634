"""The registrant list (issue 21, item 8): sorting, all matching registrants
selected across pages, bulk check-in, and the access needs on the dashboard.

Services first, then over HTTP (rows read back as committed), then a journey
from the pages only.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.errors import NotFound
from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services import organiser_queries
from consult.registration.services.access_needs import access_needs
from consult.registration.services.decisions import decide_in_bulk
from consult.registration.services.organiser import (
    check_in_registrations,
)
from consult.registration.services.organiser_queries import (
    RegistrantFilter,
    matching_ids,
    parse_sort,
    registrants_query,
)
from consult.registration.services.privacy import erase
from tests.clock import field, wall
from tests.effects import committed, committed_row
from tests.registration.confirming import confirm_bulk


def url(event, suffix=""):
    return f"/manage/events/{event.slug}/registrations{suffix}"


def _names(event, sort=""):
    query = registrants_query(event, RegistrantFilter(sort=sort))
    return [r.full_name for r in db.session.scalars(query)]


def _rows_on_page(html: str) -> list[str]:
    """The names of the list's rows, in order."""
    html = html[html.index('<table class="striped compact registrants">') :]
    return re.findall(r'<th scope="row">\s*([^<\n]+?)\s*(?:<|\n)', html)


@pytest.fixture
def people(reg_event, make_registration, now):
    """Five registrants with names, organisations, groups, statuses and times."""
    made = [
        make_registration(reg_event, full_name="bram Peeters", organisation="",
                          type_key="research", created_at=now - timedelta(hours=1)),
        make_registration(reg_event, full_name="Aisha Rahman", organisation="MBPJ",
                          status="pending", created_at=now - timedelta(hours=3)),
        make_registration(reg_event, full_name="Chen Li", organisation="ecoCycle",
                          status="waitlisted", created_at=now - timedelta(hours=2)),
        make_registration(reg_event, full_name="Dewi Sari", organisation="Zero Waste",
                          created_at=now - timedelta(hours=3)),
        make_registration(reg_event, full_name="Aisha Rahman", organisation="KL Hub",
                          created_at=now - timedelta(hours=4)),
    ]  # fmt: skip
    return made


class TestSorting:
    def test_each_column_sorts_both_ways_in_sql_and_stably(
        self, reg_event, people, now
    ):
        bram, aisha_mbpj, chen, dewi, aisha_kl = people
        # Default: order of registration, the id breaking ties.
        assert _names(reg_event) == [
            "Aisha Rahman", "Aisha Rahman", "Dewi Sari", "Chen Li", "bram Peeters",
        ]  # fmt: skip
        # Case-insensitive; the two Aishas keep their order of registration.
        query = registrants_query(reg_event, RegistrantFilter(sort="name"))
        assert [r.id for r in db.session.scalars(query)] == [
            aisha_kl.id, aisha_mbpj.id, bram.id, chen.id, dewi.id,
        ]  # fmt: skip
        assert _names(reg_event, "-name")[:2] == ["Dewi Sari", "Chen Li"]
        # No organisation comes last, in either direction.
        assert _names(reg_event, "organisation")[-1] == "bram Peeters"
        assert _names(reg_event, "-organisation")[-1] == "bram Peeters"
        assert _names(reg_event, "organisation")[0] == "Chen Li"  # ecoCycle
        # Status in the product's order: awaiting approval, confirmed, waiting.
        assert _names(reg_event, "status")[0] == "Aisha Rahman"
        assert _names(reg_event, "status")[-1] == "Chen Li"
        assert _names(reg_event, "-registered")[0] == "bram Peeters"
        # Groups in the event's order (government before research).
        assert _names(reg_event, "type")[-1] == "bram Peeters"
        assert _names(reg_event, "-type")[0] == "bram Peeters"

    def test_checked_in_sorts_by_time_with_the_others_last(
        self, reg_event, people, organiser, now
    ):
        bram, _aisha, _chen, dewi, _kl = people
        check_in_registrations(reg_event, [dewi.id], organiser, now=now)
        check_in_registrations(
            reg_event, [bram.id], organiser, now=now + timedelta(minutes=5)
        )
        assert _names(reg_event, "checked_in")[:2] == ["Dewi Sari", "bram Peeters"]
        assert _names(reg_event, "-checked_in")[:2] == ["bram Peeters", "Dewi Sari"]

    @pytest.mark.parametrize(
        "sent", ["", "-", "--name", "name ", "nom", "created_at", "1e9", None]
    )
    def test_an_unknown_sort_is_the_default(self, sent):
        assert parse_sort(sent) in ("", "name")
        assert parse_sort(sent) == ("name" if sent == "name " else "")


class TestBulkCheckIn:
    def test_confirmed_people_are_checked_in_once_others_skipped(
        self, reg_event, people, organiser, now
    ):
        bram, aisha, chen, dewi, _kl = people
        ids = [bram.id, aisha.id, chen.id, dewi.id]
        outcome = decide_in_bulk(reg_event, ids, organiser, "check_in", now=now)
        assert {r.id for r in outcome.done} == {bram.id, dewi.id}
        assert {r.id: why for r, why in outcome.skipped} == {
            aisha.id: "only confirmed people can be checked in",
            chen.id: "only confirmed people can be checked in",
        }
        assert bram.checked_in_at == now and bram.attended
        assert aisha.checked_in_at is None and chen.checked_in_at is None

        # Again, later: nothing changes, the first check-in time stays.
        later = now + timedelta(hours=1)
        again = check_in_registrations(
            reg_event, [bram.id, dewi.id], organiser, now=later
        )
        assert again.done == []
        assert [why for _r, why in again.skipped] == ["already checked in"] * 2
        assert bram.checked_in_at == now

    def test_another_events_ids_and_other_organisers_are_refused(
        self, reg_event, make_reg_event, make_registration, people, organiser,
        other_organiser, now,
    ):  # fmt: skip
        other = make_registration(make_reg_event(slug="another-event"))
        with pytest.raises(NotFound):
            check_in_registrations(reg_event, [other.id], organiser, now=now)
        with pytest.raises(Exception) as refused:
            check_in_registrations(reg_event, [people[0].id], other_organiser, now=now)
        assert refused.type.__name__ in ("PermissionDenied", "NotFound")
        assert people[0].checked_in_at is None

    def test_all_matching_reaches_every_page(
        self, reg_event, make_registration, monkeypatch
    ):
        monkeypatch.setattr(organiser_queries, "PER_PAGE", 2)
        made = [make_registration(reg_event) for _ in range(5)]
        make_registration(reg_event, status="waitlisted")
        confirmed = RegistrantFilter(status="confirmed")
        page = organiser_queries.registrants_page(reg_event, confirmed, page=1)
        assert len(page.items) == 2 and page.total == 5
        assert matching_ids(reg_event, confirmed) == [r.id for r in made]


class TestAccessNeeds:
    def test_counts_per_language_among_confirmed_participants(
        self, app, reg_event, make_registration, now
    ):
        make_registration(
            reg_event,
            needs_interpretation="Bahasa Malaysia",
            language="ms",
            needs_captions=True,
        )
        make_registration(
            reg_event, needs_interpretation=" bahasa malaysia ", language="ms"
        )
        make_registration(
            reg_event,
            needs_interpretation="Mandarin",
            language="zh_Hans",
            other_needs="Wheelchair access",
        )
        make_registration(reg_event, needs_captions=True)  # no language: default
        make_registration(reg_event)  # no needs
        # Neither erased nor waiting people count (erasing first: the freed
        # seat would go to the waiting list).
        gone = make_registration(reg_event, needs_interpretation="Tamil")
        erase(gone, now=now)
        db.session.flush()
        make_registration(
            reg_event,
            status="waitlisted",
            needs_captions=True,
            needs_interpretation="Tamil",
        )

        needs = access_needs(reg_event, default_language="en")
        assert needs.interpretation == [("Bahasa Malaysia", 2), ("Mandarin", 1)]
        assert [
            (row.language, row.interpretation, row.captions, row.other)
            for row in needs.by_language
        ] == [("ms", 2, 1, 0), ("zh_Hans", 1, 0, 1), ("en", 0, 1, 0)]
        assert (needs.interpretation_total, needs.captions_total) == (3, 2)
        assert needs.other_total == 1

    def test_nobody_with_needs(self, reg_event, make_registration):
        make_registration(reg_event)
        needs = access_needs(reg_event, default_language="en")
        assert not needs.any and needs.interpretation == []


# --- Over HTTP ----------------------------------------------------------------


def test_the_list_sorts_keeps_filters_and_pages_and_refuses_nothing(
    client, login, organiser, reg_event, people, monkeypatch
):
    monkeypatch.setattr(organiser_queries, "PER_PAGE", 2)
    login(organiser)
    html = client.get(url(reg_event, "?status=confirmed&sort=-name")).get_data(
        as_text=True
    )
    assert _rows_on_page(html) == ["Dewi Sari", "bram Peeters"]
    assert 'aria-sort="descending"' in html
    # The next page, the filter form and the heading links keep what is chosen.
    assert "page=2" in html and re.search(r"status=confirmed[^\"]*sort=-name", html)
    assert '<input type="hidden" name="sort" value="-name">' in html
    assert re.search(r'href="[^"]*status=confirmed[^"]*sort=name"', html)
    page2 = client.get(url(reg_event, "?status=confirmed&sort=-name&page=2"))
    assert _rows_on_page(page2.get_data(as_text=True)) == ["Aisha Rahman"]
    for bad in ("nom", "-", "'; drop table registrations", str(2**70)):
        response = client.get(url(reg_event), query_string={"sort": bad})
        assert response.status_code == 200
        assert _rows_on_page(response.get_data(as_text=True))[0] == "Aisha Rahman"


def test_bulk_check_in_of_all_matching_registrants_is_committed(
    client, login, organiser, reg_event, make_registration, monkeypatch
):
    monkeypatch.setattr(organiser_queries, "PER_PAGE", 2)
    seated = [make_registration(reg_event) for _ in range(5)]
    waiting = make_registration(reg_event, status="waitlisted")
    login(organiser)
    html = client.get(url(reg_event, "?status=confirmed")).get_data(as_text=True)
    assert "All 5 matching registrants, on every page" in html
    assert "All 5 matching registrants selected." in html
    assert len(_rows_on_page(html)) == 2

    # The list changed since the page was shown: nothing happens.
    stale = client.post(
        url(reg_event, "/bulk?status=confirmed"),
        data={"scope": "all", "matching": "4", "decision": "check_in"},
        follow_redirects=True,
    )
    assert "5 registrants match now" in stale.get_data(as_text=True)
    assert all(committed_row(Registration, r.id).checked_in_at is None for r in seated)

    done = client.post(
        url(reg_event, "/bulk?status=confirmed&sort=-name"),
        data={"scope": "all", "matching": "5", "decision": "check_in"},
    )
    assert done.status_code == 302
    assert done.location.endswith("registrations?status=confirmed&sort=-name")
    rows = committed().scalars(
        select(Registration).where(Registration.event_id == reg_event.id)
    )
    checked = {r.id: (r.checked_in_at is not None, r.attended) for r in rows}
    assert checked == {
        **{r.id: (True, True) for r in seated},
        waiting.id: (False, False),
    }

    # Again with the boxes ticked: idempotent, said once for all of them.
    again = client.post(
        url(reg_event, "/bulk"),
        data={"ids": [r.id for r in seated] + [waiting.id], "decision": "check_in"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert (
        "Person 1, Person 2, Person 3, Person 4, Person 5: already checked in" in again
    )
    assert "Person 6: only confirmed people can be checked in" in again


def test_bulk_on_nobody_or_the_ticked_only(
    client, login, organiser, reg_event, make_registration
):
    a = make_registration(reg_event, status="pending")
    b = make_registration(reg_event, status="pending")
    login(organiser)
    none = client.post(
        url(reg_event, "/bulk"), data={"decision": "approve"}, follow_redirects=True
    )
    assert "Tick the people first." in none.get_data(as_text=True)
    nobody = client.post(
        url(reg_event, "/bulk?q=nobody-called-this"),
        data={"scope": "all", "matching": "0", "decision": "approve"},
        follow_redirects=True,
    )
    assert "Nobody matches these filters." in nobody.get_data(as_text=True)
    confirm_bulk(
        client, url(reg_event, "/bulk"), {"ids": [a.id], "decision": "approve"}
    )
    assert committed_row(Registration, a.id).status == "confirmed"
    assert committed_row(Registration, b.id).status == "pending"


def test_the_row_menu_holds_the_actions_beside_the_name(
    client, login, organiser, reg_event, make_registration, now
):
    make_registration(reg_event, full_name="Siti Aminah")
    gone = make_registration(reg_event, full_name="Gone Person", status="cancelled")
    make_registration(
        reg_event, full_name="Erased participant", status="cancelled", erased_at=now
    )
    login(organiser)
    html = client.get(url(reg_event)).get_data(as_text=True)
    row = html[html.index("Siti Aminah") :]
    assert row.index('<details class="row-menu">') < row.index("@example.org")
    assert re.search(r"<summary[^>]*>Actions<span[^>]*> for Siti Aminah", html)
    # A closed registration keeps one action: erasing the person's data.
    closed = html[html.index("Gone Person") :]
    closed = closed[: closed.index("</tr>")]
    assert re.findall(r"registrations/(\d+)/(\w[\w-]*)", closed) == [
        (str(gone.id), "erase")
    ]
    erased = html[html.index("Erased participant") :]
    assert erased.index("No actions") < erased.index("</tr>")


def test_the_dashboard_sums_up_access_needs_per_language(
    client, login, organiser, reg_event, make_registration
):
    login(organiser)
    empty = client.get(f"/manage/events/{reg_event.slug}/dashboard")
    assert "No confirmed participant has asked" in empty.get_data(as_text=True)
    make_registration(reg_event, needs_interpretation="Bahasa Malaysia", language="ms")
    make_registration(reg_event, needs_captions=True, language="ko")
    make_registration(reg_event, other_needs="Sign language", language="ko")
    html = client.get(f"/manage/events/{reg_event.slug}/dashboard").get_data(
        as_text=True
    )
    section = html[html.index('id="access-needs"') :]
    section = section[: section.index("</section>")]
    assert re.search(r"<th scope=\"row\">Bahasa Malaysia</th><td>1</td>", section)
    assert re.search(r"한국어</th><td>0</td><td>1</td><td>1</td>", section)
    assert "Sign language" not in section  # counts only


# --- From pages only ----------------------------------------------------------


def test_journey_from_pages_sort_select_all_check_in_and_needs(
    app, client, organiser, login, monkeypatch
):
    monkeypatch.setattr(organiser_queries, "PER_PAGE", 2)
    login(organiser)
    created = client.post(
        "/manage/events/new",
        data={"title": "Repair cafés of Petaling Jaya", "timezone": "Asia/Kuala_Lumpur",
              "start": field(wall(20, 15)), "end": field(wall(20, 17)),
              "capacity": "30"},
    )  # fmt: skip
    slug = re.search(r"/manage/events/([^/]+)/", created.location).group(1)
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302
    visitor = app.test_client()
    for name, needs in [
        ("Zainal Abidin", {"needs_interpretation": "Bahasa Malaysia"}),
        ("Lim Mei Ling", {"needs_captions": "y"}),
        ("Nurul Huda", {"needs_interpretation": "bahasa malaysia"}),
    ]:
        response = visitor.post(
            f"/events/{slug}/register",
            data={"full_name": name, "email": f"{name.split()[0].lower()}@example.my",
                  "country": "MY", "timezone": "Asia/Kuala_Lumpur",
                  "type_key": "civil_society", "role": "attendee",
                  "consent_privacy": "y", "language": "ms", **needs},
        )  # fmt: skip
        assert response.status_code == 200, name

    listing = f"/manage/events/{slug}/registrations"
    html = client.get(listing).get_data(as_text=True)
    sort_link = re.search(r'href="([^"]*sort=name)"', html).group(1)
    sorted_html = client.get(sort_link.replace("&amp;", "&")).get_data(as_text=True)
    assert _rows_on_page(sorted_html) == ["Lim Mei Ling", "Nurul Huda"]
    action = re.search(
        r'<form method="post" action="([^"]+)" id="bulk-form"', sorted_html
    ).group(1)
    matching = re.search(r'name="matching" value="(\d+)"', sorted_html).group(1)
    assert matching == "3"
    client.post(
        action.replace("&amp;", "&"),
        data={"scope": "all", "matching": matching, "decision": "check_in"},
    )
    people = committed().scalars(select(Registration)).all()
    assert len(people) == 3 and all(p.checked_in_at for p in people)

    dashboard = client.get(f"/manage/events/{slug}/dashboard").get_data(as_text=True)
    section = dashboard[dashboard.index('id="access-needs"') :]
    assert re.search(r"Bahasa Malaysia</th><td>2</td>", section)
    assert re.search(r"Bahasa Melayu</th><td>2</td><td>1</td><td>0</td>", section)


def test_only_the_events_organisers_reach_the_bulk_action(
    app, client, login, organiser, other_organiser, reg_event, make_registration
):
    pending = [make_registration(reg_event, status="pending") for _ in range(3)]
    everyone = {"scope": "all", "matching": "3", "decision": "approve"}
    anonymous = app.test_client().post(url(reg_event, "/bulk"), data=everyone)
    assert anonymous.status_code in (302, 401)
    login(other_organiser)
    refused = client.post(url(reg_event, "/bulk"), data=everyone)
    assert refused.status_code in (403, 404)
    # Without the count the organiser saw, "all" does nothing either.
    login(organiser)
    client.post(url(reg_event, "/bulk"), data={**everyone, "matching": ""})
    assert {committed_row(Registration, r.id).status for r in pending} == {"pending"}
    confirm_bulk(client, url(reg_event, "/bulk"), everyone)
    assert {committed_row(Registration, r.id).status for r in pending} == {"confirmed"}


def test_many_refusals_are_one_message_per_reason(
    client, login, organiser, reg_event, make_registration
):
    waiting = [make_registration(reg_event, status="waitlisted") for _ in range(7)]
    login(organiser)
    page = client.post(
        url(reg_event, "/bulk"),
        data={"ids": [r.id for r in waiting], "decision": "check_in"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert page.count("only confirmed people can be checked in") == 1
    assert (
        "Person 1, Person 2, Person 3, Person 4, Person 5 and 2 others: "
        "only confirmed people can be checked in"
    ) in page
    assert all(committed_row(Registration, r.id).checked_in_at is None for r in waiting)
