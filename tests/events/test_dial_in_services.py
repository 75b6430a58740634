"""Dial-in numbers: what an organiser may type, how each reader sees it, and
the event service that stores it (consult/dial_in.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from consult.dial_in import DialInNumber, clean_code, dial_in_for, parse_numbers
from consult.errors import ValidationFailed
from consult.events.services import clone_event, update_event
from consult.extensions import db


def _stored(numbers):
    return [n.stored() for n in numbers]


def test_lines_give_country_number_and_label_in_e164(app):
    numbers = parse_numbers(
        " my , 03-2123 4567 , toll-free, Malay & English\n\n"
        "+44 20 7946 0000\n"
        "ID, +62 21 5093 8000\n"
    )

    assert _stored(numbers) == [
        {
            "country": "MY",
            "number": "+60321234567",
            "label": "toll-free, Malay & English",
        },
        # Without a country, the number's own (it starts with +).
        {"country": "GB", "number": "+442079460000", "label": ""},
        {"country": "ID", "number": "+622150938000", "label": ""},
    ]
    assert [n.international for n in numbers] == [
        "+60 3-2123 4567",
        "+44 20 7946 0000",
        "+62 21 50938000",
    ]
    assert numbers[0].tel_uri == "tel:+60321234567"
    assert parse_numbers("  \n ") == []


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("MY, +60 3-2123 4567\nXQ, 020 7946 0000", "Line 2: “XQ” is not a two-letter"),
        ("GB", "Line 1: give a phone number after the country code."),
        ("GB, , toll-free", "Line 1: give a phone number"),
        ("020 7946 0000", "Line 1: start the line with the country's two-letter code"),
        ("GB, call us", "Line 1: “call us” is not a phone number."),
        ("GB, 020 7946", "Line 1: “020 7946” is not a valid phone number."),
        (
            "MY, +44 20 7946 0000",
            "Line 1: “+44 20 7946 0000” is not a number in Malaysia.",
        ),
        (
            "GB, 020 7946 0000\n+44 20 7946 0000",
            "Line 2: “+44 20 7946 0000” is already",
        ),
        ("GB, 020 7946 0000, " + "x" * 61, "Line 1: a label may have at most 60"),
        ("GB, 020 7946 0000\x07", "Line 1: this line is too long or holds control"),
    ],
)
def test_a_wrong_line_is_refused_with_its_number(app, typed, problem):
    with pytest.raises(ValidationFailed) as refused:
        parse_numbers(typed)
    assert refused.value.field == "dial_in_numbers"
    assert refused.value.message.startswith(problem)


def test_at_most_thirty_numbers(app):
    lines = "\n".join(f"GB, 020 7946 {n:04d}" for n in range(31))
    with pytest.raises(ValidationFailed, match="At most 30 dial-in numbers"):
        parse_numbers(lines)
    assert len(parse_numbers("\n".join(lines.splitlines()[:30]))) == 30


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("", ""), ("  ", ""), ("812  3456\t7890 #", "812 3456 7890 #"), ("*1#", "*1#")],
)
def test_an_access_code_has_digits_hash_star_and_single_spaces(app, typed, kept):
    assert clean_code(typed, has_numbers=True) == kept


@pytest.mark.parametrize("typed", ["12ab", "1-2", "٣٤٥", "1" * 33])
def test_an_access_code_with_anything_else_is_refused(app, typed):
    with pytest.raises(ValidationFailed, match="digits, # and \\*") as refused:
        clean_code(typed, has_numbers=True)
    assert refused.value.field == "dial_in_code"


def test_an_access_code_needs_a_number_to_call(app):
    with pytest.raises(ValidationFailed, match="at least one dial-in number"):
        clean_code("1234#", has_numbers=False)


def _event(*numbers, code=""):
    return SimpleNamespace(
        dial_in_numbers=[n.stored() for n in numbers], dial_in_code=code
    )


UK = DialInNumber("GB", "+442079460000", "toll-free")
MY = DialInNumber("MY", "+60321234567")
MY_FREE = DialInNumber("MY", "+601800881234", "toll-free")


def test_the_readers_country_comes_first_the_rest_in_the_organisers_order(app):
    event = _event(UK, MY, MY_FREE, code="4321#")

    assert dial_in_for(event, "MY").numbers == (MY, MY_FREE, UK)
    assert dial_in_for(event, "FR").numbers == (UK, MY, MY_FREE)
    assert dial_in_for(event).numbers == (UK, MY, MY_FREE)
    assert dial_in_for(_event(), "MY") is None


def test_the_lines_are_worded_in_the_readers_language(app):
    dial_in = dial_in_for(_event(UK, MY, code="4321#"), "MY")

    with force_locale("en"):
        assert dial_in.lines() == [
            "Or join by phone:",
            "Malaysia: +60 3-2123 4567",
            "United Kingdom (toll-free): +44 20 7946 0000",
            "Access code: 4321#",
        ]
    with force_locale("zh_Hans"):
        lines = dial_in.lines()
    assert lines[1].startswith("马来西亚") and lines[1].endswith("+60 3-2123 4567")
    assert "英国" in lines[2] and "toll-free" in lines[2]
    assert lines[0] != "Or join by phone:" and "4321#" in lines[3]
    assert dial_in.text() == "\n".join(dial_in.lines())


def test_the_event_service_stores_checked_numbers_and_keeps_them_on_refusal(
    app, organiser, make_event, event_data, now
):
    event = make_event(organiser, publish=True)
    sequence = event.sequence

    update_event(
        event,
        organiser,
        event_data(dial_in_numbers="MY, 03-2123 4567, toll-free", dial_in_code="99#"),
        now=now,
    )
    db.session.commit()
    assert event.dial_in_numbers == [
        {"country": "MY", "number": "+60321234567", "label": "toll-free"}
    ]
    assert event.dial_in_code == "99#"
    # What a calendar copy shows changed: its revision goes up.
    assert event.sequence == sequence + 1

    with pytest.raises(ValidationFailed):
        update_event(
            event,
            organiser,
            event_data(dial_in_numbers="MY, 123", dial_in_code="99#", title="New"),
            now=now,
        )
    db.session.rollback()
    assert event.dial_in_numbers[0]["number"] == "+60321234567"
    assert event.title != "New"


def test_a_clone_starts_without_the_numbers_like_without_the_join_link(
    app, organiser, make_event, event_data, now
):
    event = make_event(
        organiser, dial_in_numbers="MY, 03-2123 4567", dial_in_code="99#"
    )
    assert event.dial_in_numbers

    clone = clone_event(event, organiser, now=now)

    assert (clone.dial_in_numbers, clone.dial_in_code, clone.join_url) == ([], "", "")
