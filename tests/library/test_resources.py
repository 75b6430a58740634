"""Organisers' resources: services (rules, access) and the /manage/library pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult.errors import PermissionDenied, ValidationFailed
from consult.events.models import EventOrganiser
from consult.extensions import db
from consult.library.models import LibraryEntry
from consult.library.services import (
    ResourceData,
    create_resource,
    delete_resource,
    manageable_resources,
    update_resource,
)


def data(event, **fields) -> ResourceData:
    values = dict(
        title="Circular Economy Action Plan",
        summary="The EU plan.",
        link="https://environment.ec.europa.eu/strategy/circular-economy-action-plan_en",
        city="Brussels",
        country="BE",
        category="other",
        event_id=event.id,
    )
    values.update(fields)
    return ResourceData(**values)


def resources() -> list[LibraryEntry]:
    return list(db.session.scalars(select(LibraryEntry)))


# --- services -------------------------------------------------------------------


def test_an_organiser_adds_a_resource_to_their_event(lib_event, organiser, now):
    entry = create_resource(organiser, data(lib_event, country="be"), now=now)
    db.session.commit()
    assert (entry.source, entry.input_id, entry.created_by_id) == (
        "resource",
        None,
        organiser.id,
    )
    assert (entry.country, entry.published_at) == ("BE", now)
    assert entry.link_list == [data(lib_event).link]


def test_a_co_organiser_may_attach_to_the_event(lib_event, other_organiser, now):
    db.session.add(EventOrganiser(event_id=lib_event.id, user_id=other_organiser.id))
    db.session.commit()
    entry = create_resource(other_organiser, data(lib_event), now=now)
    assert entry.event_id == lib_event.id


def test_only_events_the_organiser_manages(lib_event, other_organiser, now):
    with pytest.raises(ValidationFailed) as refused:
        create_resource(other_organiser, data(lib_event), now=now)
    assert refused.value.field == "event"


def test_experts_cannot_add_resources(lib_event, make_user, now):
    expert = make_user("expert@example.org", role="expert")
    with pytest.raises(PermissionDenied):
        create_resource(expert, data(lib_event), now=now)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"summary": "x" * 5001}, "summary"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"link": "ftp://example.org/file"}, "link"),
        ({"link": "https://exa mple.org"}, "link"),
        ({"link": "https://"}, "link"),
        ({"country": "XX"}, "country"),
        ({"category": "space"}, "category"),
        ({"category": ""}, "category"),
        ({"event_id": None}, "event"),
        ({"event_id": 999999}, "event"),
        ({"title": "Bad\x00title"}, "title"),
    ],
)
def test_invalid_values_are_refused_on_their_field(
    lib_event, organiser, now, fields, field
):
    with pytest.raises(ValidationFailed) as refused:
        create_resource(organiser, data(lib_event, **fields), now=now)
    assert refused.value.field == field
    db.session.rollback()
    assert resources() == []


def test_the_challenge_must_belong_to_the_event(
    lib_event, make_reg_event, make_challenge, organiser, now
):
    other_event = make_reg_event(title="Other")
    foreign = make_challenge(other_event)
    own = make_challenge(lib_event)
    with pytest.raises(ValidationFailed) as refused:
        create_resource(organiser, data(lib_event, challenge_id=foreign.id), now=now)
    assert refused.value.field == "challenge"
    entry = create_resource(organiser, data(lib_event, challenge_id=own.id), now=now)
    assert entry.challenge_id == own.id


def test_owner_and_admin_edit_others_cannot(
    lib_event, organiser, other_organiser, admin, now
):
    entry = create_resource(organiser, data(lib_event), now=now)
    db.session.commit()
    update_resource(entry, organiser, data(lib_event, title="Renamed"), now=now)
    update_resource(entry, admin, data(lib_event, title="By admin"), now=now)
    assert entry.title == "By admin"
    with pytest.raises(PermissionDenied):
        update_resource(entry, other_organiser, data(lib_event), now=now)
    with pytest.raises(PermissionDenied):
        delete_resource(entry, other_organiser)
    delete_resource(entry, organiser)
    assert resources() == []


def test_inputs_copies_are_not_editable_as_resources(
    lib_event, make_input, organiser, admin, now
):
    make_input(lib_event)
    (entry,) = resources()
    for actor in (organiser, admin):
        with pytest.raises(PermissionDenied):
            update_resource(entry, actor, data(lib_event), now=now)
        with pytest.raises(PermissionDenied):
            delete_resource(entry, actor)


def test_manageable_resources(lib_event, organiser, other_organiser, admin, now):
    db.session.add(EventOrganiser(event_id=lib_event.id, user_id=other_organiser.id))
    mine = create_resource(organiser, data(lib_event, title="Mine"), now=now)
    theirs = create_resource(other_organiser, data(lib_event, title="Theirs"), now=now)
    db.session.commit()
    assert manageable_resources(organiser) == [mine]
    assert {e.id for e in manageable_resources(admin)} == {mine.id, theirs.id}


# --- pages ----------------------------------------------------------------------


def form(event, **fields) -> dict:
    values = {
        "title": "Circular cities toolkit",
        "summary": "Guides for **cities**.",
        "link": "https://www.ellenmacarthurfoundation.org/topics/cities/overview",
        "city": "Cowes",
        "country": "GB",
        "category": "other",
        "event": str(event.id),
        "challenge": "",
    }
    values.update(fields)
    return values


def test_anonymous_visitors_are_sent_to_login(client, lib_event, organiser, now):
    entry = create_resource(organiser, data(lib_event), now=now)
    db.session.commit()
    for url in (
        "/manage/library",
        "/manage/library/new",
        f"/manage/library/{entry.id}/edit",
        f"/manage/library/{entry.id}/delete",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url
    response = client.post(f"/manage/library/{entry.id}/delete")
    assert response.status_code in (302, 400)
    assert len(resources()) == 1


def test_experts_get_403(client, login, make_user):
    login(make_user("expert@example.org", role="expert"))
    assert client.get("/manage/library").status_code == 403
    assert client.get("/manage/library/new").status_code == 403


def test_organiser_adds_a_resource_through_the_form(
    client, login, organiser, lib_event
):
    login(organiser)
    page = client.get("/manage/library/new").get_data(as_text=True)
    assert f'<option value="{lib_event.id}">' in page
    response = client.post("/manage/library/new", data=form(lib_event))
    assert response.status_code == 302
    (entry,) = resources()
    assert (entry.title, entry.country, entry.created_by_id) == (
        "Circular cities toolkit",
        "GB",
        organiser.id,
    )
    listing = client.get("/manage/library").get_data(as_text=True)
    assert "Circular cities toolkit" in listing
    public = client.get(f"/library/{entry.id}").get_data(as_text=True)
    assert "<strong>cities</strong>" in public


def test_every_field_error_is_shown_at_once(client, login, organiser, lib_event):
    login(organiser)
    response = client.post(
        "/manage/library/new",
        data=form(lib_event, title="", link="javascript:alert(1)", category=""),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count('class="field-error"') == 3
    assert "Give a web address that starts with https:// or http://." in page


def test_form_errors_keep_what_was_typed(client, login, organiser, lib_event):
    login(organiser)
    response = client.post(
        "/manage/library/new",
        data=form(lib_event, link="javascript:alert(1)", title="Kept title"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give a web address that starts with https:// or http://." in page
    assert 'value="Kept title"' in page
    assert resources() == []


def test_an_organiser_cannot_attach_to_someone_elses_event(
    client, login, other_organiser, lib_event
):
    login(other_organiser)
    response = client.post("/manage/library/new", data=form(lib_event))
    assert response.status_code == 422
    assert resources() == []


def test_edit_and_delete_permissions_through_http(
    client, login, organiser, other_organiser, admin, lib_event, now
):
    entry = create_resource(organiser, data(lib_event), now=now)
    db.session.commit()
    edit = f"/manage/library/{entry.id}/edit"
    login(other_organiser)
    assert client.get(edit).status_code == 403
    assert client.post(edit, data=form(lib_event)).status_code == 403
    assert client.get(f"/manage/library/{entry.id}/delete").status_code == 403
    assert client.post(f"/manage/library/{entry.id}/delete").status_code == 403
    assert "Circular Economy Action Plan" not in client.get("/manage/library").get_data(
        as_text=True
    )
    login(admin)
    assert client.get(edit).status_code == 200
    response = client.post(edit, data=form(lib_event, title="Edited by admin"))
    assert response.status_code == 302
    db.session.expire_all()
    assert resources()[0].title == "Edited by admin"
    login(organiser)
    page = client.get(edit).get_data(as_text=True)
    assert 'value="Edited by admin"' in page
    confirm = client.get(f"/manage/library/{entry.id}/delete").get_data(as_text=True)
    assert "Delete this resource?" in confirm and "Edited by admin" in confirm
    assert len(resources()) == 1
    assert client.post(f"/manage/library/{entry.id}/delete").status_code == 302
    assert resources() == []


def test_an_input_copy_has_no_management_page(
    client, login, admin, lib_event, make_input
):
    make_input(lib_event)
    (entry,) = resources()
    login(admin)
    assert client.get(f"/manage/library/{entry.id}/edit").status_code == 404
    assert client.post(f"/manage/library/{entry.id}/delete").status_code == 404


def test_the_summary_links_every_field_and_nothing_is_stored(
    client, login, organiser, lib_event
):
    login(organiser)
    response = client.post(
        "/manage/library/new",
        data=form(lib_event, title="", link="ftp://files.example.org", category=""),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "There are 3 problems with this form" in summary
    assert re.findall(r'href="#([^"]+)"', summary) == ["title", "link", "category"]
    assert resources() == []
