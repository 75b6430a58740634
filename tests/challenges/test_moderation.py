"""Moderation states and who sees what."""

from __future__ import annotations

import pytest

from consult.challenges.services import (
    PublicFilter,
    author_inputs,
    hide_input,
    merge_input,
    public_page,
    publish_input,
    update_moderation,
)
from consult.errors import ValidationFailed


def _public_ids(event):
    page = public_page(event)
    return {i.id for s in page.sections for i in s.items}


def test_only_published_inputs_are_public(
    ch_event, make_registration, make_input, organiser, now
):
    reg = make_registration(ch_event)
    submitted = make_input(ch_event, reg)
    published = make_input(ch_event, reg, state="published")
    hidden = make_input(ch_event, reg, state="hidden")
    assert _public_ids(ch_event) == {published.id}
    assert {i.id for i in author_inputs(author_of(reg))} == {
        submitted.id,
        published.id,
        hidden.id,
    }
    assert hidden.hidden_reason == "Off topic"
    publish_input(hidden, organiser, now=now)
    assert hidden.hidden_reason == "" and hidden.published_at == now
    assert _public_ids(ch_event) == {published.id, hidden.id}


def author_of(reg):
    from consult.challenges.services import Author

    return Author(registration=reg)


def test_hiding_needs_a_reason(ch_event, make_registration, make_input, organiser, now):
    item = make_input(ch_event, make_registration(ch_event), state="published")
    with pytest.raises(ValidationFailed) as err:
        hide_input(item, organiser, "   ", now=now)
    assert err.value.field == "reason"


def test_merge_into_another_input_of_the_same_event(
    ch_event, make_reg_event, make_registration, make_input, organiser, now, open_window
):
    reg = make_registration(ch_event)
    original = make_input(ch_event, reg, state="published")
    duplicate = make_input(ch_event, reg, state="published")
    earlier_dup = make_input(ch_event, reg)
    merge_input(earlier_dup, organiser, duplicate.id, now=now)
    merge_input(duplicate, organiser, original.id, now=now)
    assert (duplicate.state, duplicate.merged_into_id) == ("merged", original.id)
    assert earlier_dup.merged_into_id == original.id  # follows to the new target
    assert _public_ids(ch_event) == {original.id}
    with pytest.raises(ValidationFailed):
        merge_input(original, organiser, original.id, now=now)
    with pytest.raises(ValidationFailed):
        merge_input(original, organiser, duplicate.id, now=now)  # itself merged
    other = make_reg_event(title="Other")
    open_window(other)
    foreign = make_input(other, make_registration(other))
    with pytest.raises(ValidationFailed):
        merge_input(original, organiser, foreign.id, now=now)


def test_tags_answer_and_action_plan(
    ch_event, make_registration, make_input, organiser, now
):
    item = make_input(ch_event, make_registration(ch_event), state="published")
    update_moderation(
        item,
        organiser,
        tags="Informal sector, pilot,informal SECTOR",
        answer="We will test this.",
        selected_for_plan=True,
        now=now,
    )
    assert item.tags == ["informal sector", "pilot"]
    assert (item.answer, item.answered_at, item.selected_for_plan) == (
        "We will test this.",
        now,
        True,
    )
    with pytest.raises(ValidationFailed) as err:
        update_moderation(
            item,
            organiser,
            tags=",".join(f"t{n}" for n in range(11)),
            answer="",
            selected_for_plan=False,
            now=now,
        )
    assert err.value.field == "tags"


def test_public_page_sorts_by_support_or_date(
    ch_event, make_registration, make_input, organiser, now
):
    from datetime import timedelta

    from consult.challenges.services import support_input

    regs = [make_registration(ch_event) for _ in range(3)]
    older = make_input(ch_event, regs[0])
    newer = make_input(ch_event, regs[0])
    publish_input(older, organiser, now=now)
    publish_input(newer, organiser, now=now + timedelta(minutes=5))
    for reg in regs:
        support_input(older, reg, now=now)
    general = next(s for s in public_page(ch_event).sections if s.challenge is None)
    assert [i.id for i in general.items] == [older.id, newer.id]
    by_date = public_page(ch_event, PublicFilter(sort="date"))
    general = next(s for s in by_date.sections if s.challenge is None)
    assert [i.id for i in general.items] == [newer.id, older.id]
    assert by_date.supports[older.id] == 3


def test_public_page_shows_a_few_per_challenge_and_all_on_demand(
    ch_event, make_registration, make_input, organiser, now
):
    from consult.challenges.services.public_page import PER_PAGE, PREVIEW

    reg = make_registration(ch_event)
    for n in range(PER_PAGE + 2):
        make_input(ch_event, reg, state="published", title=f"Insight {n}")
    page = public_page(ch_event)
    general = next(s for s in page.sections if s.key == "general")
    assert len(general.items) == PREVIEW
    assert general.total == general.matched == PER_PAGE + 2 and general.more
    focused = public_page(ch_event, focus="general")
    assert [s.key for s in focused.sections] == ["general"]
    assert len(focused.sections[0].items) == PER_PAGE and focused.pages == 2
    second = public_page(ch_event, focus="general", page=2)
    assert len(second.sections[0].items) == 2
    # An unknown key shows the whole page.
    assert len(public_page(ch_event, focus="999").sections) == 4
