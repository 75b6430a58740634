"""Script payloads typed into every text field of the plan pages come back
as text on each page that shows them (the security suite's Chromium sweep
covers the world's plan too: tests/security/test_script_injection.py)."""

from __future__ import annotations

from sqlalchemy import select

from consult.actions.models import Action, Milestone
from consult.contributions.services.city import representative_token
from tests.effects import committed

SCRIPT = "<script>alert('x')</script>"
IMG = '"><img src=x onerror=alert(1)>'
LINK = "[click](javascript:alert(1))"


def _safe(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html


def test_payloads_in_the_plans_fields_are_shown_as_text(
    client, login, organiser, city, city_event, rep, now
):
    login(organiser)
    base = f"/manage/cities/{city.slug}/plan"
    client.post(f"{base}/start")
    client.post(base, data={"title": SCRIPT, "introduction": f"{IMG}\n\n{LINK}"})
    fields = {
        "title": IMG,
        "description": f"{SCRIPT}\n\n{LINK}",
        "kind": "pilot",
        "status": "planned",
        "progress": "0",
        "lead_organisation": SCRIPT,
        "partners": f"{IMG}\n{SCRIPT}",
        "funding_source": IMG,
        "budget_currency": "",
    }
    assert client.post(f"{base}/actions/new", data=fields).status_code == 302
    action = committed().scalar(select(Action))
    client.post(
        f"{base}/actions/{action.id}/milestones",
        data={"ms-title": SCRIPT, "ms-due_on": now.date().isoformat()},
    )
    milestone = committed().scalar(select(Milestone))
    client.post(f"{base}/actions/{action.id}/publish")
    assert client.post(f"{base}/versions", data={"note": IMG}).status_code == 302
    refused = client.post(f"{base}/actions/new", data={**fields, "progress": "x"})
    assert refused.status_code == 422
    _safe(refused.get_data(as_text=True))
    rep_base = f"/events/{city_event.slug}/city/{representative_token(rep)}/plan"
    pages = [
        base,
        f"{base}/actions/{action.id}",
        f"{base}/actions/{action.id}/delete",
        f"{base}/actions/{action.id}/milestones/{milestone.id}",
        f"{base}/versions",
        rep_base,
        f"{rep_base}/versions",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        _safe(html)
        assert "&lt;script&gt;" in html or "&#34;&gt;&lt;img" in html, url
