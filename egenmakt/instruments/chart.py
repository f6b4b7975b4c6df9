"""The change-over-time chart as SVG, drawn by pygal on the server.

pygal's output is cleaned for our Content-Security-Policy: its tooltip script and the
elements that only the script uses are removed, and its ``<style>`` element gets the
response's CSP nonce, so the SVG needs neither ``'unsafe-inline'`` nor any script.
The same data is always shown as a table under the chart (``chart.html``).
"""

from __future__ import annotations

from datetime import date, timedelta
from xml.etree import ElementTree as ET

import pygal
from pygal.style import Style

from .display import ChartData, format_number

SVG_NS = "http://www.w3.org/2000/svg"
COLOURS = ("#0b5c57", "#8a3b12", "#1f5fa0", "#a4161a")

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d2329",
    foreground_strong="#1d2329",
    foreground_subtle="#c9d1d6",
    opacity="1",
    opacity_hover="1",
    colors=COLOURS,
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=15,
    title_font_size=17,
    value_font_size=13,
    stroke_width="3",
    # Solid, light guides: the only dashed line is the cut-off.
    guide_stroke_color="#dde3e6",
    major_guide_stroke_color="#dde3e6",
    guide_stroke_dasharray="1,0",
    major_guide_stroke_dasharray="1,0",
)
MAX_X_LABELS = 8


def _x_labels(dates: list[date]) -> list[date]:
    """The response dates, thinned out evenly so the labels never overlap."""
    unique = sorted(set(dates))
    if len(unique) <= MAX_X_LABELS:
        return unique
    step = (len(unique) - 1) / (MAX_X_LABELS - 1)
    return [unique[round(i * step)] for i in range(MAX_X_LABELS)]


def render_chart(
    data: ChartData,
    *,
    title: str,
    labels: dict[str, str],
    nonce: str,
) -> bytes:
    """SVG bytes; ``labels`` names the series (score, cutoff, improved, deteriorated)."""
    score = data.score or {"min": 0, "max": 1}
    chart = pygal.DateLine(
        style=STYLE,
        js=[],
        width=900,
        height=440,
        title=title,
        range=(score["min"], score["max"]),
        include_x_axis=False,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        truncate_legend=-1,
        truncate_label=-1,
        dots_size=5,
        x_label_rotation=0,
        x_labels=_x_labels([p.answered_on for p in data.points]),
        x_value_formatter=lambda d: d.strftime("%Y-%m-%d"),
        y_labels_major_every=None,
        value_formatter=lambda v: format_number(v),
        print_values=False,
        tooltip_border_radius=0,
        no_data_text=labels["no_data"],
        margin_right=30,
        spacing=16,
    )
    points = [(p.answered_on, p.value) for p in data.points]
    chart.add(labels["score"], points, stroke_style={"width": 3})
    if points and data.cutoff is not None:
        first, last = points[0][0], points[-1][0]
        if first == last:
            first, last = first - timedelta(days=7), last + timedelta(days=7)
        chart.add(
            labels["cutoff"],
            [(first, data.cutoff), (last, data.cutoff)],
            show_dots=False,
            stroke_style={"width": 3, "dasharray": "10, 7"},
        )
    if data.reliable_change is not None:
        # Both series are always added, so the legend always explains the large dots.
        for kind in ("improved", "deteriorated"):
            marked: list[tuple[date, float] | None] = [
                (p.answered_on, p.value) for p in data.points if p.change_kind == kind
            ]
            chart.add(labels[kind], marked or [None], stroke=False, dots_size=10)
    return _clean(chart.render_tree(), nonce)


def _clean(root: ET.Element, nonce: str) -> bytes:
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.split("}")[-1] if isinstance(child.tag, str) else ""
            classes = (child.get("class") or "").split()
            if tag == "script" or "tooltip" in classes:
                parent.remove(child)
            elif tag == "style":
                child.set("nonce", nonce)
    for element in root.iter():
        element.attrib.pop("style", None)
    root.set("role", "img")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
