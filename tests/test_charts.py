"""SVG charts: valid XML, escaped text, geometry proportional to the values."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from flask import render_template_string
from markupsafe import Markup

from consult import charts

SVG = "{http://www.w3.org/2000/svg}"
PAYLOAD = "<script>alert(\"x\")</script> & 'quoted' \x01"


def parse(chart: charts.Chart) -> ET.Element:
    assert isinstance(chart.svg, Markup)
    return ET.fromstring(str(chart.svg))


def bars(root: ET.Element) -> list[ET.Element]:
    """Data rectangles (legend swatches live in <g class="legend">)."""
    legend = {id(r) for g in root.iter(SVG + "g") for r in g.iter(SVG + "rect")}
    return [r for r in root.iter(SVG + "rect") if id(r) not in legend]


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(SVG + "text")]


def test_bar_chart_is_accessible_svg_with_title_and_desc():
    chart = charts.bar_chart("Challenges", [("Food", 3), ("Plastic", 6)])
    root = parse(chart)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(SVG + "title").get("id") == title_id
    assert root.find(SVG + "title").text == "Challenges"
    assert root.find(SVG + "desc").get("id") == desc_id
    assert "Food: 3" in root.find(SVG + "desc").text
    assert "style=" not in str(chart.svg)  # the CSP blocks inline styles


def test_bar_widths_are_proportional_from_zero():
    chart = charts.bar_chart("t", [("a", 10), ("b", 5), ("c", 0)])
    rects = bars(parse(chart))
    widths = [float(r.get("width")) for r in rects]
    xs = {float(r.get("x")) for r in rects}
    assert len(xs) == 1  # every bar starts at the zero line
    assert widths[0] > 0
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.1)
    assert widths[2] == 0
    assert chart.rows == (("a", "10"), ("b", "5"), ("c", "0"))


def test_bar_chart_max_value_fixes_the_scale():
    texts_ = ["x"]
    half = bars(
        parse(charts.bar_chart("t", [("a", 50)], max_value=100, value_texts=texts_))
    )[0]
    full = bars(
        parse(charts.bar_chart("t", [("a", 100)], max_value=100, value_texts=texts_))
    )[0]
    assert float(half.get("width")) == pytest.approx(float(full.get("width")) / 2, 0.01)


def test_user_text_is_escaped_everywhere():
    chart = charts.grouped_bar_chart(
        PAYLOAD, [PAYLOAD], [PAYLOAD], [[1]], description=PAYLOAD
    )
    raw = str(chart.svg)
    assert "<script>" not in raw
    root = parse(chart)  # control characters removed: still valid XML
    assert root.find(SVG + "title").text == PAYLOAD.replace("\x01", "")
    assert any("<script>" in t for t in texts(root))  # shown as text
    assert chart.head[1] == PAYLOAD.replace("\x01", "")


def test_escaping_in_the_macro_table(app):
    chart = charts.bar_chart("t", [(PAYLOAD, 1)])
    with app.test_request_context():
        html = render_template_string(
            '{% from "_macros/charts.html" import chart %}{{ chart(c) }}', c=chart
        )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<table" in html and "<details" in html and '<th scope="row">' in html


def test_grouped_bars_values_and_missing_groups():
    chart = charts.grouped_bar_chart(
        "By type",
        ["Food", "Plastic"],
        ["Government", "Research"],
        [[4, 2], [None, 8]],
        missing_text="hidden",
    )
    root = parse(chart)
    widths = [float(r.get("width")) for r in bars(root)]
    assert len(widths) == 3  # the None cell has no bar
    assert widths[0] == pytest.approx(widths[2] / 2, abs=0.1)
    assert widths[1] == pytest.approx(widths[2] / 4, abs=0.1)
    assert "hidden" in texts(root)
    assert chart.rows == (("Food", "4", "2"), ("Plastic", "hidden", "8"))
    with pytest.raises(ValueError):
        charts.grouped_bar_chart("t", ["a"], ["x", "y"], [[1]])


def test_stacked_percent_segments_fill_the_bar_in_proportion():
    chart = charts.stacked_percent_chart(
        "Likert", ["Gov", "Empty"], ["1", "2", "3", "4"], [[1, 0, 1, 2], [0, 0, 0, 0]]
    )
    root = parse(chart)
    widths = [float(r.get("width")) for r in bars(root)]
    assert len(widths) == 3  # zero segments and the empty group draw nothing
    assert widths[0] == pytest.approx(widths[1], abs=0.1)
    assert widths[2] == pytest.approx(2 * widths[0], abs=0.1)
    assert "25%" in texts(root) and "50%" in texts(root)
    assert "No responses" in texts(root)
    assert chart.rows[0] == ("Gov", "1 (25%)", "0 (0%)", "1 (25%)", "2 (50%)", "4")


def test_stacked_percent_shares_of_a_row_add_to_100():
    # Rounded alone, 2-2-2-1 of 7 gives 29 + 29 + 29 + 14 = 101.
    chart = charts.stacked_percent_chart("t", ["Gov"], list("abcd"), [[2, 2, 2, 1]])
    assert chart.rows[0] == ("Gov", "2 (29%)", "2 (29%)", "2 (28%)", "1 (14%)", "7")


def test_histogram_heights_and_bands():
    chart = charts.histogram(
        "0-10",
        [(str(i), c) for i, c in enumerate([1, 0, 0, 0, 0, 0, 2, 0, 3, 0, 4])],
        bands=[("Detractors", 7), ("Passives", 2), ("Promoters", 2)],
    )
    root = parse(chart)
    rects = bars(root)
    assert len(rects) == 11
    heights = [float(r.get("height")) for r in rects]
    assert heights[10] == pytest.approx(4 * heights[0], abs=0.1)
    assert heights[8] == pytest.approx(3 * heights[0], abs=0.1)
    bottoms = {round(float(r.get("y")) + float(r.get("height")), 1) for r in rects}
    assert len(bottoms) == 1  # a common zero baseline
    fills = [r.get("fill") for r in rects]
    assert fills[0] == fills[6] != fills[7] == fills[8] != fills[9] == fills[10]
    legend = ["".join(t.itertext()) for t in root.find(SVG + "g").iter(SVG + "text")]
    assert legend == ["Detractors", "Passives", "Promoters"]
    with pytest.raises(ValueError):
        charts.histogram("t", [("0", 1)], bands=[("a", 2)])


def test_time_chart_axis_starts_at_zero_and_labels_dates():
    points = [(date(2026, 11, d), v) for d, v in [(1, 3), (2, 0), (3, 7)]]
    for style in ("column", "line"):
        chart = charts.time_chart("Per day", points, style=style)
        root = parse(chart)
        ticks = [t for t in texts(root) if t.isdigit()]
        assert ticks[0] == "0" and int(ticks[-1]) >= 7
        assert chart.rows[0] == ("2026-11-01", "3")
    line = parse(charts.time_chart("Per day", points, style="line"))
    assert len(line.find(SVG + "polyline").get("points").split()) == 3
    with pytest.raises(ValueError):
        charts.time_chart("t", points, style="pie")


def test_time_chart_short_dates_in_a_request(app):
    with app.test_request_context():
        chart = charts.time_chart("Per day", [(date(2026, 11, 24), 2)])
    assert "24 Nov" in texts(parse(chart))


@pytest.mark.parametrize(
    "chart",
    [
        charts.bar_chart("t", []),
        charts.grouped_bar_chart("t", [], [], []),
        charts.stacked_percent_chart("t", [], [], []),
        charts.time_chart("t", []),
        charts.histogram("t", []),
    ],
)
def test_empty_data_renders_a_message(chart):
    root = parse(chart)
    assert "No data yet" in texts(root)
    assert chart.rows == ()
    assert "No data yet" in root.find(SVG + "desc").text


@pytest.mark.parametrize("bad", [-1, float("nan"), None, float("inf")])
def test_values_that_cannot_be_drawn_are_refused(bad):
    with pytest.raises(ValueError):
        charts.bar_chart("t", [("a", bad)])


def test_all_zero_values_draw_no_bars():
    root = parse(charts.bar_chart("t", [("a", 0), ("b", 0)]))
    assert all(float(r.get("width")) == 0 for r in bars(root))


def test_nice_ticks():
    assert charts.nice_ticks(7) == [0, 2, 4, 6, 8]
    assert charts.nice_ticks(3) == [0, 1, 2, 3]
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(4.2, integer=False) == [0, 1, 2, 3, 4, 5]


def test_long_labels_wrap_and_keep_the_full_text_as_tooltip():
    label = (
        "Lack of digital sharing tools and platforms as an enabler for circular cities"
    )
    root = parse(charts.bar_chart("t", [(label, 1)]))
    group = root.find(SVG + "g")
    assert group.find(SVG + "title").text == label
    assert len(group.find(SVG + "text").findall(SVG + "tspan")) == 2


def test_scale_colours_are_distinct_and_ordered_palette_has_n_colours():
    for n in (2, 5, 11):
        colours = charts.scale_colours(n)
        assert len(colours) == n == len(set(colours))


def test_grouped_bars_unit_and_stacked_colours():
    grouped = charts.grouped_bar_chart(
        "t", ["a"], ["x"], [[12.5]], unit="%", decimals=1
    )
    assert "12.5%" in texts(parse(grouped)) and grouped.rows == (("a", "12.5%"),)
    stacked = charts.stacked_percent_chart(
        "t", ["g"], ["lo", "mid", "hi"], [[1, 1, 1]], colours=charts.BAND_COLOURS
    )
    assert [r.get("fill") for r in bars(parse(stacked))] == list(charts.BAND_COLOURS)
    with pytest.raises(ValueError):
        charts.stacked_percent_chart("t", ["g"], ["a"], [[1]], colours=["#000", "#fff"])


def test_han_and_hangul_labels_are_measured_wide_and_wrapped_between_characters():
    from consult.charts.svg import _clip, _wrap, text_units

    assert text_units("Plastic") == 7
    assert text_units("塑料") == 4
    assert text_units("플라스틱") == 8
    label = "塑料污染与包装" * 3  # 21 characters, 42 units, no space to break at
    first, second = _wrap(label, 20)
    assert text_units(first) <= 20 and text_units(second) <= 20
    assert second.endswith("…")
    assert text_units(_clip("Ô nhiễm nhựa và bao bì", 40)) <= 40


def test_chart_font_stack_puts_the_languages_own_cjk_face_first(app):
    from flask_babel import force_locale

    from consult.charts.svg import font_family

    with app.test_request_context():
        with force_locale("ko"):
            stack = font_family()
        assert stack.index("Noto Sans CJK KR") < stack.index("Noto Sans CJK SC")
        with force_locale("zh_Hant"):
            stack = font_family()
        assert stack.index("Noto Sans CJK HK") < stack.index("Noto Sans CJK SC")
        assert stack.endswith("sans-serif")
