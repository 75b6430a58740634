"""Whole numbers from requests (consult/numbers.py, consult.forms.IntegerField):
URL ids, query values and form fields bounded to the INTEGER columns' range."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import InputRequired, Optional

from consult.forms import IntegerField
from consult.numbers import (
    INT_MAX,
    coerce_id,
    parse_id,
    parse_int,
    query_int,
    query_page,
)

BEYOND = [str(INT_MAX + 1), str(2**63), str(2**64), "9" * 5000]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("42", 42),
        (" 42 ", 42),
        ("-3", -3),
        ("+3", 3),
        (str(INT_MAX), INT_MAX),
        (str(-(2**31)), -(2**31)),
        (7, 7),
    ],
)
def test_parse_int_reads_plain_whole_numbers(text, number):
    assert parse_int(text) == number


@pytest.mark.parametrize(
    "text",
    [*BEYOND, str(-(2**31) - 1), "", " ", "x", "²", "١٢", "1_0", "1e3", "4.0", None]
    + ["--1", "-", True],
)
def test_parse_int_refuses_anything_else(text):
    assert parse_int(text) is None


def test_parse_int_bounds_and_ids():
    assert parse_int("5", low=1, high=4) is None
    assert parse_int("4", low=1, high=4) == 4
    assert parse_id("0") is None and parse_id("-1") is None
    assert parse_id(str(INT_MAX)) == INT_MAX and parse_id(str(INT_MAX + 1)) is None
    with pytest.raises(ValueError):
        coerce_id(str(2**63))
    assert coerce_id("12") == 12


@pytest.mark.parametrize(
    ("query", "page", "challenge"),
    [
        ("", 1, None),
        ("?page=3&challenge=8", 3, 8),
        ("?page=0&challenge=0", 1, None),
        ("?page=-4&challenge=-4", 1, None),
        ("?page=x&challenge=general", 1, None),
        (f"?page={2**63}&challenge={INT_MAX + 1}", 1, None),
        ("?page=%C2%B2&challenge=%D9%A1", 1, None),  # "²", "١"
    ],
)
def test_query_values_out_of_range_fall_back(app, query, page, challenge):
    with app.test_request_context("/" + query):
        assert query_page() == page
        assert query_int("challenge") == challenge


class _Form(Form):
    seats = IntegerField("Seats", [Optional()], low=0, high=1000)
    share = IntegerField("Share", [InputRequired()], low=0, high=100)


@pytest.mark.parametrize("typed", [*BEYOND, "1001", "-1", "x", "²", "1_0", "1e3"])
def test_integer_field_refuses_out_of_range_with_one_message(app, typed):
    form = _Form(MultiDict({"seats": typed, "share": "5"}))
    assert not form.validate()
    assert form.seats.errors == ["Enter a whole number from 0 to 1,000."]
    assert form.seats.data is None
    assert form.seats._value() == typed  # what was typed comes back to be fixed
    assert form.share.errors == []


def test_integer_field_takes_numbers_in_range_and_empty_values(app):
    form = _Form(MultiDict({"seats": " 1000 ", "share": "0"}))
    assert form.validate(), form.errors
    assert (form.seats.data, form.share.data) == (1000, 0)
    form = _Form(MultiDict({"seats": "", "share": ""}))
    assert not form.validate()
    assert form.seats.errors == [] and form.seats.data is None
    assert form.share.errors == ["This field is required."]
    assert 'max="1000"' in form.seats() and 'min="0"' in form.seats()


def test_integer_field_bounds_cannot_exceed_the_column():
    with pytest.raises(ValueError):
        IntegerField("Too big", high=INT_MAX + 1, _form=None, _name="big")


@pytest.mark.parametrize("entry_id", [INT_MAX + 1, 2**63, 2**64, "9" * 40])
def test_library_ids_beyond_the_column_are_404_on_both_engines(client, entry_id):
    assert client.get(f"/library/{entry_id}").status_code == 404


def test_largest_id_is_an_ordinary_404(client):
    assert client.get(f"/library/{INT_MAX}").status_code == 404


@pytest.fixture
def event(organiser, now):
    from consult.events.services import EventData, create_event
    from consult.extensions import db
    from tests.clock import wall

    made = create_event(
        organiser,
        EventData(
            title="Bounds",
            timezone="Asia/Kuala_Lumpur",
            start=wall(21, 16),
            end=wall(21, 18),
        ),
        now=now,
    )
    db.session.commit()
    return made


@pytest.mark.parametrize("number", [INT_MAX + 1, 2**63, 2**64])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/surveys/{n}/results"),
        ("GET", "/contributions/{n}"),
        ("GET", "/contributions/{n}/slides"),
        ("POST", "/registrations/{n}/approve"),
    ],
)
def test_ids_beyond_the_column_on_an_event_s_routes_are_404(
    client, login, organiser, event, number, method, path
):
    login(organiser)
    url = f"/manage/events/{event.slug}" + path.format(n=number)
    assert client.open(url, method=method).status_code == 404


def test_unicode_digits_are_not_an_id(client, app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/library/12")[1] == {"entry_id": 12}
    assert client.get("/library/%D9%A1%D9%A2").status_code == 404  # "١٢"
