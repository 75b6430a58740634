"""What the Covenant pages commit: read back with committed() (tests/effects.py)."""

from __future__ import annotations

from sqlalchemy import select

from consult.covenant.models import CovenantAction, CovenantCommitment
from tests.covenant.test_pages import FORM
from tests.effects import committed


def test_add_edit_and_delete_are_committed(client, login, organiser, plan_world):
    login(organiser)
    base = f"/manage/cities/{plan_world.city.slug}/covenant"
    added = client.post(
        f"{base}/new", data={**FORM, "action_ids": [plan_world.food.id]}
    )
    assert added.status_code == 302 and added.headers["Location"].endswith(base)
    made = committed().scalar(select(CovenantCommitment))
    assert (made.pillar, made.title, made.base_year) == (
        "adaptation",
        "Flood-ready neighbourhoods",
        2020,
    )
    assert committed().scalars(select(CovenantAction.action_id)).all() == [
        plan_world.food.id
    ]

    edited = client.post(
        f"{base}/{made.id}",
        data={**FORM, "status": "adopted", "action_ids": [plan_world.plastics.id]},
    )
    assert edited.status_code == 302
    assert committed().get(CovenantCommitment, made.id).status == "adopted"
    assert committed().scalars(select(CovenantAction.action_id)).all() == [
        plan_world.plastics.id
    ]

    confirm = client.get(f"{base}/{made.id}/delete").get_data(as_text=True)
    assert "Delete “Flood-ready neighbourhoods”?" in confirm
    assert client.post(f"{base}/{made.id}/delete").status_code == 302
    assert committed().scalar(select(CovenantCommitment.id)) is None
    assert committed().scalar(select(CovenantAction.action_id)) is None
