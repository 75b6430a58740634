"""The public challenges page's contents, filters, sorting and paging (issue 21, item 7).

Service level first (``public_page``), then through HTTP. The group filter
follows the small-group rule: a stakeholder group is offered alone only when
at least ``min_group_size()`` different people wrote its published inputs.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.challenges.models import InputSupport
from consult.challenges.services import (
    PublicFilter,
    event_challenges,
    public_page,
    publish_input,
    support_input,
)
from consult.challenges.services.public_page import EXPERTS, OTHER, PER_PAGE, PREVIEW
from consult.extensions import db
from consult.registration.services.privacy import erase
from consult.registration.services.seats import stakeholder_types


def _type_id(event, key: str) -> str:
    return next(str(t.id) for t in stakeholder_types(event) if t.key == key)


def _ids(page) -> list[int]:
    return [item.id for section in page.sections for item in section.items]


def _matching(event, filters=None) -> set[int]:
    """Every matching input, from each challenge's pages."""
    found = set()
    for section in public_page(event, filters).contents:
        pages = public_page(event, filters, focus=section.key).pages
        for n in range(1, pages + 1):
            found |= set(_ids(public_page(event, filters, focus=section.key, page=n)))
    return found


def test_counts_per_challenge_and_a_kind_filter(
    ch_event, make_registration, make_input
):
    first, second, _third = event_challenges(ch_event)
    reg = make_registration(ch_event)
    for n in range(4):
        make_input(ch_event, reg, state="published", challenge_id=first.id,
                   kind="solution_idea" if n < 3 else "problem_insight")  # fmt: skip
    make_input(ch_event, reg, state="published", challenge_id=second.id)
    make_input(ch_event, reg, challenge_id=second.id, kind="solution_idea")  # waiting
    page = public_page(ch_event)
    assert (page.total, page.matched) == (5, 5)
    assert [(s.key, s.total) for s in page.contents] == [
        (str(first.id), 4), (str(second.id), 1), (str(_third.id), 0),
    ]  # fmt: skip
    assert len(page.sections) == 3  # unfiltered: every challenge, even empty
    ideas = public_page(ch_event, PublicFilter(kind="solution_idea"))
    assert (ideas.total, ideas.matched) == (5, 3)
    assert [(s.key, s.total, s.matched) for s in ideas.contents][:2] == [
        (str(first.id), 4, 3), (str(second.id), 1, 0),
    ]  # fmt: skip
    # Filtered, the overview shows only the challenges with a match.
    assert [s.key for s in ideas.sections] == [str(first.id)]
    assert {i.kind for i in ideas.sections[0].items} == {"solution_idea"}


def test_text_filter_needs_every_word_in_any_case(
    ch_event, make_registration, make_input, organiser, now
):
    from consult.challenges.services import update_moderation

    reg = make_registration(ch_event)
    kompost = make_input(ch_event, reg, state="published", title="ÖKO Kompost",
                         body="Für jede Straße.")  # fmt: skip
    make_input(ch_event, reg, state="published", title="Kompost only")
    answered = make_input(ch_event, reg, state="published", title="Bins")
    update_moderation(answered, organiser, tags="repair, 50%", answer="Café soon.",
                      selected_for_plan=False, now=now)  # fmt: skip
    db.session.commit()

    def found(q):
        return _matching(ch_event, PublicFilter(q=q))

    assert found("öko straße kompost") == {kompost.id}
    assert found("ÖKO STRASSE") == {kompost.id}  # case folded: ß is ss
    assert found("öko bins") == set()  # every word
    assert found("kompost") == {kompost.id, kompost.id + 1}
    assert found("café") == found("REPAIR") == found("50%") == {answered.id}
    assert found("%") == {answered.id}  # no pattern characters
    assert found("nothing-like-this") == set()


def test_sorting_and_paging_one_challenge(
    ch_event, make_registration, make_input, organiser, now
):
    challenge = event_challenges(ch_event)[0]
    reg = make_registration(ch_event)
    items = []
    for n in range(PER_PAGE + 3):
        item = make_input(ch_event, reg, challenge_id=challenge.id, title=f"Idea {n}")
        publish_input(item, organiser, now=now + timedelta(minutes=n))
        items.append(item)
    supporters = [make_registration(ch_event) for _ in range(2)]
    for supporter in supporters:
        support_input(items[0], supporter, now=now)
    support_input(items[1], supporters[0], now=now)
    db.session.commit()
    key = str(challenge.id)
    first = public_page(ch_event, focus=key)
    assert (first.page, first.pages, first.first, first.last) == (1, 2, 1, PER_PAGE)
    second = public_page(ch_event, focus=key, page=2)
    assert (second.first, second.last) == (PER_PAGE + 1, PER_PAGE + 3)
    ordered = _ids(first) + _ids(second)
    # Most supported first, then the newest; every input once.
    assert ordered[:2] == [items[0].id, items[1].id]
    assert ordered[2:] == [i.id for i in reversed(items[2:])]
    newest = public_page(ch_event, PublicFilter(sort="date"), focus=key)
    assert _ids(newest) == [i.id for i in reversed(items)][:PER_PAGE]
    # Beyond the last page: the last; below the first: the first.
    assert public_page(ch_event, focus=key, page=99).page == 2
    assert public_page(ch_event, focus=key, page=-3).page == 1
    # The overview previews a few and says there are more.
    overview = public_page(ch_event)
    section = overview.sections[0]
    assert len(section.items) == PREVIEW and section.more
    assert section.matched == PER_PAGE + 3


def test_small_groups_are_only_offered_together(
    ch_event, make_registration, make_input, make_expert
):
    def authors(type_key, n):
        people = [make_registration(ch_event, type_key=type_key) for _ in range(n)]
        return [make_input(ch_event, p, state="published", title=type_key)
                for p in people]  # fmt: skip

    government = authors("government", 6)
    civil = authors("civil_society", 5)
    private = authors("private", 2)
    expert = make_input(ch_event, expert=make_expert(ch_event), state="published")
    page = public_page(ch_event)
    gov = _type_id(ch_event, "government")
    # Private (2 authors) is too small; the smallest shown group (civil
    # society, 5) joins it so that the rest cannot be worked out.
    assert [key for key, _label in page.groups] == [gov, OTHER, EXPERTS]

    def found(group):
        return _matching(ch_event, PublicFilter(group=group))

    assert found(gov) == {i.id for i in government}
    assert found(OTHER) == {i.id for i in civil + private}
    assert found(EXPERTS) == {expert.id}
    # A small group asked for by its id is not a filter: everything shows.
    for hidden in (_type_id(ch_event, "private"), _type_id(ch_event, "civil_society")):
        page = public_page(ch_event, PublicFilter(group=hidden))
        assert page.filters.group == "" and page.matched == page.total == 14


def test_an_erased_author_is_in_no_group(ch_event, make_registration, make_input, now):
    people = [make_registration(ch_event) for _ in range(6)]
    inputs = [make_input(ch_event, p, state="published") for p in people]
    erase(people[0], now=now)
    db.session.commit()
    page = public_page(ch_event)
    gov = _type_id(ch_event, "government")
    assert [key for key, _label in page.groups] == [gov, OTHER]
    gov_ids = _matching(ch_event, PublicFilter(group=gov))
    assert gov_ids == {i.id for i in inputs[1:]}
    assert _matching(ch_event, PublicFilter(group=OTHER)) == {inputs[0].id}


def test_too_few_authors_offer_no_group_at_all(ch_event, make_registration, make_input):
    for key in ("government", "government", "private"):
        make_input(
            ch_event, make_registration(ch_event, type_key=key), state="published"
        )
    assert public_page(ch_event).groups == []


def test_filters_from_the_query_drop_what_is_not_understood():
    flt = PublicFilter.from_args(
        {"kind": "<script>", "type": "9" * 5000, "q": "  a\x00b \t c " + "x" * 500,
         "sort": "oldest"}
    )  # fmt: skip
    assert flt.kind == "" and flt.sort == "support" and len(flt.group) == 20
    assert flt.q.startswith("ab c x") and len(flt.q) == 200
    assert not PublicFilter.from_args({}).active
    good = PublicFilter.from_args({"kind": "best_practice", "sort": "date", "q": "x"})
    assert good.args() == {"kind": "best_practice", "q": "x", "sort": "date"}


# --- Through HTTP ------------------------------------------------------------


def test_filtered_page_counts_and_keeps_the_filters_in_its_links(
    client, ch_event, make_registration, make_input
):
    challenge = event_challenges(ch_event)[1]
    reg = make_registration(ch_event)
    for n in range(PER_PAGE + 2):
        make_input(ch_event, reg, state="published", challenge_id=challenge.id,
                   kind="solution_idea", title=f"Deposit idea {n}")  # fmt: skip
    make_input(ch_event, reg, state="published", title="Something else")
    url = f"/events/{ch_event.slug}/challenges"
    html = client.get(url).text
    assert "13 published inputs" in html and "Contents" in html
    assert 'name="q"' in html and 'name="kind"' in html and 'name="sort"' in html
    html = client.get(f"{url}?kind=solution_idea&q=deposit").text
    assert "12 of 13 inputs" in html  # the whole page
    assert "12 of 12 inputs" in html and "0 of 1 input" in html  # contents
    assert "Something else" not in html
    assert html.count('class="input-card"') == PREVIEW
    link = f"challenge={challenge.id}&amp;kind=solution_idea&amp;q=deposit"
    assert f'{url}?{link}"' in html
    page = client.get(f"{url}?challenge={challenge.id}&kind=solution_idea&q=deposit")
    html = page.text
    assert html.count('class="input-card"') == PER_PAGE
    assert "Page 1 of 2" in html and "inputs 1–10 shown" in html
    assert f"{url}?challenge={challenge.id}&amp;page=2&amp;kind=solution_idea" in html
    html = client.get(
        f"{url}?challenge={challenge.id}&page=2&kind=solution_idea&q=deposit"
    ).text
    assert html.count('class="input-card"') == 2 and "Page 2 of 2" in html
    nothing = client.get(f"{url}?q=zzzz").text
    assert "No published input matches these filters." in nothing
    assert "Clear filters" in nothing


def test_bad_query_values_show_the_default_page(client, ch_event, make_registration,
                                                make_input):  # fmt: skip
    make_input(ch_event, make_registration(ch_event), state="published", title="Kept")
    url = f"/events/{ch_event.slug}/challenges"
    for query in (
        "kind=nope", "sort=1", "page=x", "page=-1", "page=99999999999999999999",
        "type=2147483648", "type=" + "9" * 5000, "challenge=abc", "q=%00%01",
        "challenge=general&page=2147483648",
    ):  # fmt: skip
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, query
        assert "Kept" in response.text, query


def test_a_small_group_is_not_in_the_form(client, ch_event, make_registration,
                                          make_input):  # fmt: skip
    for key in ["government"] * 6 + ["civil_society"] * 5:
        make_input(
            ch_event, make_registration(ch_event, type_key=key), state="published"
        )
    make_input(ch_event, make_registration(ch_event, type_key="research"),
               state="published", title="The one researcher")  # fmt: skip
    html = client.get(f"/events/{ch_event.slug}/challenges").text
    assert "Stakeholder group" in html
    assert "Government &amp; public agencies</option>" in html
    assert "Other groups (combined)</option>" in html
    assert "Research &amp; academia" not in html
    assert "Civil society" not in html
    research = _type_id(ch_event, "research")
    filtered = client.get(f"/events/{ch_event.slug}/challenges?type={research}").text
    assert "The one researcher" in filtered and "12 published inputs" in filtered


def test_support_from_a_filtered_page_comes_back_to_it(
    client, ch_event, make_registration, make_input, token
):
    reg = make_registration(ch_event)
    challenge = event_challenges(ch_event)[0]
    item = make_input(ch_event, make_registration(ch_event), state="published",
                      challenge_id=challenge.id, kind="solution_idea")  # fmt: skip
    base = f"/events/{ch_event.slug}/registration/{token(reg)}"
    view = f"challenge={challenge.id}&kind=solution_idea&sort=date"
    html = client.get(f"{base}/challenges?{view}").text
    action = f"{base}/inputs/{item.id}/support?challenge={challenge.id}"
    assert f'action="{action}&amp;kind=solution_idea&amp;sort=date"' in html
    response = client.post(f"{base}/inputs/{item.id}/support?{view}")
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"{base}/challenges?challenge={challenge.id}&kind=solution_idea&sort=date"
        f"#input-{item.id}"
    )
    assert (
        db.session.scalar(
            select(InputSupport.registration_id).where(InputSupport.input_id == item.id)
        )
        == reg.id
    )


def test_the_overview_is_cached_for_anonymous_visitors_a_filtered_view_is_not(
    app, ch_event, make_registration, make_input
):
    from consult.page_cache import page_store

    app.config["PAGE_CACHE_SECONDS"] = 60
    page_store(app).clear()
    visitor = app.test_client()
    url = f"/events/{ch_event.slug}/challenges"
    reg = make_registration(ch_event)
    make_input(ch_event, reg, state="published", title="First idea")
    assert "First idea" in visitor.get(url).text
    make_input(ch_event, reg, state="published", title="Second idea")
    assert "Second idea" not in visitor.get(url).text  # the kept page
    assert "Second idea" in visitor.get(f"{url}?sort=date").text
    assert "Second idea" in visitor.get(f"{url}?q=second").text
    page_store(app).clear()
