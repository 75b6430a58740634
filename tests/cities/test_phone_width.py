"""The city page and the Covenant form fit a 360 px phone: no sideways scrolling
(the side-by-side priorities scroll inside their own box)."""

from __future__ import annotations

import pytest

from consult.covenant.services.editing import CommitmentData, create_commitment
from consult.extensions import db
from tests.security.browser import Browser, require_browser

PHONE = {"width": 360, "height": 780}
LONG = "Pemulihan sisa makanan dan bahan organik di pasar basah " * 3


@pytest.fixture
def phone(request):
    require_browser()
    chromium = Browser(request.getfixturevalue("playwright_driver"))
    chromium.page.set_viewport_size(PHONE)
    yield chromium
    chromium.close()


def _answerer(app, client):
    def answer(method, path):
        if method != "GET":
            return None
        with app.app_context():
            response = client.get(path)
            headers = {
                k: v
                for k, v in response.headers.items()
                if k.lower() not in ("content-length", "set-cookie")
            }
            result = (response.status_code, headers, response.get_data())
            response.close()
            return result

    return answer


def _too_wide(phone, url, answer) -> int:
    visit = phone.visit(url, answer)
    assert not visit.problems(), visit.problems()
    return phone.page.evaluate(
        "() => document.documentElement.scrollWidth - "
        "document.documentElement.clientWidth"
    )


def test_the_city_page_and_the_covenant_form_fit_a_phone(
    app, client, login, organiser, city_world, phone, now
):
    city_world.challenges[0].title = LONG
    create_commitment(
        city_world.city,
        organiser,
        CommitmentData(
            pillar="energy_access",
            title=LONG,
            target=LONG,
            status="in_progress",
            status_on=now.date(),
            description=LONG,
            action_ids=[city_world.pilot.id],
        ),
        now=now,
    )
    db.session.commit()
    answer = _answerer(app, client)
    assert _too_wide(phone, f"/cities/{city_world.city.slug}", answer) <= 0
    login(organiser)
    base = f"/manage/cities/{city_world.city.slug}/covenant"
    assert _too_wide(phone, base, answer) <= 0
    assert _too_wide(phone, f"{base}/new", answer) <= 0
