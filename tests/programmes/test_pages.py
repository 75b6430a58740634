"""Programme pages through HTTP: the journey from pages only, access, effects."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from consult.cities.models import City
from consult.events.models import Event
from consult.programmes.models import CityPair, Programme, ProgrammeOrganiser
from tests.effects import committed
from tests.events.test_manage_pages import FORM


def _programme(slug="iuc-asia"):
    return committed().scalar(select(Programme).where(Programme.slug == slug))


def test_the_journey_from_pages_is_committed(client, login, organiser, other_organiser):
    """An organiser with an account and nothing else: creates an event and a
    programme, attaches the event, pairs cities, sees the dashboard."""
    login(organiser)
    assert client.post("/manage/events/new", data=FORM).status_code == 302
    event = committed().scalar(select(Event))
    assert client.post(f"/manage/events/{event.slug}/publish").status_code == 302
    listed = client.get("/manage/programmes/").get_data(as_text=True)
    assert "You organise no programme yet." in listed
    created = client.post(
        "/manage/programmes/new",
        data={"name": "IUC Asia", "description": "Cities **together**."},
    )
    assert created.headers["Location"].endswith("/manage/programmes/iuc-asia/")
    programme = _programme()
    assert [o.user_id for o in programme.organisers] == [organiser.id]
    base = "/manage/programmes/iuc-asia"
    edited = client.post(f"{base}/edit", data={"name": "IUC — Asia", "description": ""})
    assert edited.status_code == 302 and _programme().name == "IUC — Asia"
    assert client.post(f"{base}/events", data={"event_id": event.id}).status_code == 302
    assert committed().get(Event, event.id).programme_id == programme.id
    paired = client.post(
        f"{base}/pairs",
        data={"host_city": "Petaling Jaya", "host_country": "Malaysia",
              "partner_city": "Utrecht", "partner_country": "Netherlands",
              "themes": "circular economy, waste"},
    )  # fmt: skip
    assert paired.status_code == 302
    pair = committed().scalar(select(CityPair))
    assert (pair.host_city.slug, pair.partner_city.slug, pair.themes) == (
        "petaling-jaya",
        "utrecht",
        "circular economy, waste",
    )
    added = client.post(f"{base}/organisers", data={"email": other_organiser.email})
    assert added.status_code == 302
    assert committed().scalar(
        select(ProgrammeOrganiser.id).where(
            ProgrammeOrganiser.user_id == other_organiser.id
        )
    )
    board = client.get(f"{base}/dashboard").get_data(as_text=True)
    assert f'data-event="{event.slug}"' in board
    workbook = client.get(f"{base}/dashboard.xlsx")
    rows = list(load_workbook(io.BytesIO(workbook.data)).active.values)
    assert rows[1][0] == event.title
    public = client.get("/programmes/iuc-asia").get_data(as_text=True)
    assert "IUC — Asia" in public
    assert 'href="/cities/petaling-jaya"' in public
    assert event.title in public
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert 'href="/cities/petaling-jaya"' in page
    assert 'href="/cities/brussels"' in page
    assert 'href="/programmes/iuc-asia"' in page


def test_bad_input_is_shown_beside_its_field_and_kept(client, login, organiser):
    login(organiser)
    client.post("/manage/programmes/new", data={"name": "IUC Asia"})
    refused = client.post(
        "/manage/programmes/iuc-asia/pairs",
        data={"host_city": "Lyon", "partner_city": "Lyon", "themes": "kept text"},
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "A city cannot be its own partner." in html
    assert 'value="kept text"' in html
    assert committed().scalar(select(CityPair)) is None
    empty = client.post("/manage/programmes/new", data={"name": ""})
    assert empty.status_code == 422


def test_removals_template_and_city_are_committed(
    client, login, organiser, other_organiser, make_reg_event
):
    event = make_reg_event()
    login(organiser)
    client.post("/manage/programmes/new", data={"name": "IUC Asia"})
    base = "/manage/programmes/iuc-asia"
    client.post(f"{base}/events", data={"event_id": event.id})
    client.post(f"{base}/organisers", data={"email": other_organiser.email})
    client.post(
        f"{base}/pairs", data={"host_city": "Petaling Jaya", "partner_city": "Lyon"}
    )
    assert (
        client.post(f"{base}/template", data={"event_id": event.id}).status_code == 302
    )
    assert _programme().template.event_id == event.id
    made = client.post(f"{base}/new-event")
    assert made.status_code == 302
    clones = committed().scalars(select(Event).where(Event.id != event.id)).all()
    assert [c.programme_id for c in clones] == [_programme().id]
    city = committed().scalar(select(City).where(City.slug == "lyon"))
    refused = client.post(
        "/manage/cities/lyon/edit", data={"region": "Europe", "population": "-5"}
    )
    assert refused.status_code == 422
    saved = client.post(
        "/manage/cities/lyon/edit",
        data={"region": "Western Europe", "population": "522250"},
    )
    assert saved.status_code == 302
    stored = committed().get(City, city.id)
    assert (stored.region, stored.population) == ("Western Europe", 522250)
    removed = client.post(f"{base}/organisers/{other_organiser.id}/remove")
    assert removed.status_code == 302
    assert [o.user_id for o in _programme().organisers] == [organiser.id]
    pair = committed().scalar(select(CityPair))
    assert client.post(f"{base}/pairs/{pair.id}/remove").status_code == 302
    assert committed().scalar(select(CityPair)) is None
    assert client.post(f"{base}/events/{event.id}/detach").status_code == 302
    assert committed().get(Event, event.id).programme_id is None
    assert _programme().template is None


def test_another_programmes_organiser_is_refused(
    client, login, organiser, other_organiser, make_reg_event
):
    event = make_reg_event()
    login(organiser)
    client.post("/manage/programmes/new", data={"name": "IUC Asia"})
    client.post("/manage/programmes/iuc-asia/events", data={"event_id": event.id})
    client.post(
        "/manage/programmes/iuc-asia/pairs",
        data={"host_city": "Petaling Jaya", "partner_city": "Lyon"},
    )
    login(other_organiser)
    client.post("/manage/programmes/new", data={"name": "Theirs"})
    base = "/manage/programmes/iuc-asia"
    for url in ("/", "/edit", "/dashboard", "/dashboard.xlsx", "/new-event"):
        assert client.get(base + url).status_code == 403, url
    for url in ("/edit", "/organisers", "/events", "/pairs", "/template"):
        assert client.post(base + url, data={"name": "x"}).status_code == 403, url
    # Their own programme cannot take an event they do not manage.
    took = client.post("/manage/programmes/theirs/events", data={"event_id": event.id})
    assert took.status_code == 422
    assert committed().get(Event, event.id).programme_id == _programme().id
    assert client.get("/manage/cities/petaling-jaya/edit").status_code == 403
    assert "IUC Asia" not in client.get("/manage/programmes/").get_data(as_text=True)


def test_the_public_page_counts_people_without_naming_them(
    client, login, organiser, make_reg_event, make_registration
):
    event = make_reg_event()
    draft = make_reg_event(publish=False, title="Unannounced")
    make_registration(event, full_name="Siti Aminah", type_key="government")
    make_registration(event, type_key="government")
    make_registration(event, type_key="research", status="waitlisted")
    login(organiser)
    client.post(
        "/manage/programmes/new",
        data={"name": "IUC Asia", "description": "Cities **together**."},
    )
    for one in (event, draft):
        client.post("/manage/programmes/iuc-asia/events", data={"event_id": one.id})
    client.post("/auth/logout")
    html = client.get("/programmes/iuc-asia").get_data(as_text=True)
    assert "<strong>together</strong>" in html
    row = html.split(f'data-event="{event.slug}"', 1)[1].split("</tr>", 1)[0]
    assert "<td>2</td>" in row
    assert "Siti Aminah" not in html
    assert "Unannounced" not in html
    assert client.get("/programmes/nothing-here").status_code == 404
