"""Every page answers: the quickest signal that templates and routes fit."""

from __future__ import annotations


def test_pages_render(
    client,
    login,
    organiser,
    ch_event,
    make_registration,
    make_input,
    token,
    make_expert,
):
    reg = make_registration(ch_event)
    item = make_input(ch_event, reg, state="published")
    expert = make_expert(ch_event)
    from consult.challenges.services import expert_token

    t = token(reg)
    slug = ch_event.slug
    for url in (
        f"/events/{slug}/challenges",
        f"/events/{slug}/registration/{t}/challenges",
        f"/events/{slug}/registration/{t}/inputs",
        f"/events/{slug}/registration/{t}/inputs/new",
        f"/events/{slug}/registration/{t}/inputs/{item.id}/edit",
        f"/events/{slug}/registration/{t}/priorities",
        f"/events/{slug}/expert/{expert_token(expert)}",
        f"/events/{slug}/expert/{expert_token(expert)}/inputs/new",
    ):
        assert client.get(url).status_code == 200, url
    login(organiser)
    for url in (
        f"/manage/events/{slug}/challenges",
        f"/manage/events/{slug}/challenges/inputs",
        f"/manage/events/{slug}/challenges/inputs/{item.id}",
        f"/manage/events/{slug}/challenges/experts",
        f"/manage/events/{slug}/challenges/priorities",
    ):
        assert client.get(url).status_code == 200, url
