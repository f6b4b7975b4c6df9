"""Seeing change: the SVG chart, its CSP, and the same data as a table."""

from __future__ import annotations

from datetime import date, timedelta
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse

from egenmakt.audit.models import AccessLog
from egenmakt.instruments.tests.factories import ors_definition, submitted

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def english(signed_in):
    def _sign_in(user):
        client = signed_in(user)
        client.cookies["egenmakt_language"] = "en"
        return client

    return _sign_in


def ors_total(total: float) -> dict:
    quarter = round(total / 4, 1)
    rest = round(total - 3 * quarter, 1)
    return {
        "individually": quarter,
        "interpersonally": quarter,
        "socially": quarter,
        "overall": rest,
    }


@pytest.fixture
def history(cast):
    definition = ors_definition()
    start = date(2026, 1, 10)
    for weeks, total in [(0, 18), (4, 24), (8, 22), (12, 30.5)]:
        submitted(
            definition,
            cast.peer_supporter,
            cast.coordinator,
            ors_total(total),
            answered_on=start + timedelta(weeks=weeks),
        )
    return definition


def chart_url(cast, name="instruments:chart"):
    return reverse(name, args=["ors", "user", cast.peer_supporter.pk])


def test_the_chart_table_lists_each_response_with_its_reliable_change(cast, english, history):
    body = english(cast.coordinator).get(chart_url(cast)).content.decode()
    assert body.count("<tr>") == 5  # header and four responses
    assert '+6 <span class="tag tag--improved">reliable improvement</span>' in body
    assert '\u22122 <span class="tag tag--no_reliable_change">no reliable change</span>' in body
    assert '+8.5 <span class="tag tag--improved">reliable improvement</span>' in body
    assert "first response" in body
    assert "In the clinical range" in body
    assert 'src="' + chart_url(cast, "instruments:chart_svg") in body


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode())  # noqa: S314 - our own response


def test_the_chart_is_svg_without_scripts_or_styles_and_with_a_strict_csp(cast, english, history):
    page = english(cast.coordinator).get(chart_url(cast, "instruments:chart_svg"))
    svg = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Type"].startswith("image/svg+xml")
    assert "<script" not in svg
    assert "<style" not in svg
    assert "style=" not in svg
    policy = page["Content-Security-Policy"]
    style_src = next(p for p in policy.split(";") if p.strip().startswith("style-src"))
    assert "'unsafe-inline'" not in policy
    assert "'nonce-" not in style_src  # nothing inline left to allow
    root = parsed(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Total score over time"
    assert "from 2026-01-10 to 2026-04-04" in root.find(f"{SVG}desc").text


def test_the_chart_draws_every_response_the_cut_off_and_the_reliable_changes(
    cast, english, history
):
    svg = english(cast.coordinator).get(chart_url(cast, "instruments:chart_svg")).content
    root = parsed(svg.decode())
    dots = root.findall(f".//{SVG}circle[{SVG}title]")
    # Against the expected progress from the intake 18 (ORS v2: 22.25, 25.44, 27.83 ± 2.5).
    assert [d.find(f"{SVG}title").text for d in dots] == [
        "2026-01-10: 18 (intake)",
        "2026-02-07: 24 (on track)",
        "2026-03-07: 22 (below expected)",
        "2026-04-04: 30.5 (on track)",
    ]
    # +6 and +8.5 are reliable improvements (large dots); -2 is not.
    assert [d.get("class") for d in dots] == [
        "dot dot--score dot--intake",
        "dot dot--improved dot--on_track",
        "dot dot--score dot--below_expected",
        "dot dot--improved dot--on_track",
    ]
    assert [d.get("fill") for d in dots] == ["#0b5c57", "#1e6b34", "#9a5b00", "#1e6b34"]
    band = root.find(f".//{SVG}polygon[@class='expected-band']")
    assert len(band.get("points").split()) == 8  # upper edge and lower edge at four dates
    # The higher score sits higher up; the dashed cut-off (25) lies between 24 and 30.5.
    heights = [float(d.get("cy")) for d in dots]
    assert heights[3] < heights[1] < heights[2] < heights[0]
    cutoff = root.find(f".//{SVG}line[@class='cutoff']")
    assert cutoff.get("stroke-dasharray")
    assert heights[3] < float(cutoff.get("y1")) < heights[1]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {
        "Clinical cut-off",
        "Expected progress",
        "On track",
        "Below expected",
        "Reliably worse",
        "Large dot: reliable change",
    } <= set(texts)
    assert {"2026-01-10", "2026-04-04"} <= set(texts)


def test_the_chart_is_in_swedish_with_swedish_numbers_in_its_text_only(cast, signed_in, history):
    svg = signed_in(cast.coordinator).get(chart_url(cast, "instruments:chart_svg")).content
    root = parsed(svg.decode())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Förväntad utveckling" in texts
    dots = root.findall(f".//{SVG}circle[{SVG}title]")
    assert dots[-1].find(f"{SVG}title").text.startswith("2026-04-04: 30,5 (")
    float(dots[-1].get("cy"))  # coordinates keep the decimal point SVG needs


def test_chart_pages_write_the_access_log(cast, english, history):
    client = english(cast.coordinator)
    before = AccessLog.objects.filter(action="view").count()
    client.get(chart_url(cast))
    client.get(chart_url(cast, "instruments:chart_svg"))
    rows = list(AccessLog.objects.filter(action="view").order_by("id"))[before:]
    assert len(rows) == 2
    assert {r.person_id for r in rows} == {str(cast.peer_supporter.pk)}


def test_the_chart_page_runs_a_bounded_number_of_queries(
    cast, english, history, django_assert_max_num_queries
):
    client = english(cast.coordinator)
    for _ in range(10):
        submitted(history, cast.peer_supporter, cast.coordinator, ors_total(20))
    with django_assert_max_num_queries(20):
        assert client.get(chart_url(cast)).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(chart_url(cast, "instruments:chart_svg")).status_code == 200


def test_a_single_response_still_draws_a_chart(cast, english):
    submitted(ors_definition(), cast.peer_supporter, cast.coordinator, ors_total(20))
    page = english(cast.coordinator).get(chart_url(cast, "instruments:chart_svg"))
    assert page.status_code == 200
    (dot,) = parsed(page.content.decode()).findall(f".//{SVG}circle[{SVG}title]")
    assert dot.get("class") == "dot dot--score dot--intake"
