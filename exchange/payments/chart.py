"""A grouped bar chart as inline SVG, drawn on the server: no JavaScript, and the same numbers go in a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 960, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 48
# GOV.UK palette colours, each at least 3:1 against white for graphics.
# The exchange's own font stack (web/static/scss/exchange.scss), so the chart reads like the page.
FONT = "system-ui, -apple-system, Roboto, arial, sans-serif"
COLOURS = ("#1d70b8", "#00703c", "#912b88")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]


def _nice_top(largest: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if largest <= step * 4:
            return step * 4
    return largest


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> Markup:
    top = _nice_top(max([1, *(v for s in series for v in s.values)]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = [
        f'<svg class="exchange-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title" '
        f'font-family="{FONT}" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{escape(title)}</title>'
    ]
    for tick in range(5):
        value = top * tick // 4
        y = TOP + plot_h - plot_h * tick / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="14">{value}</text>')
    for index, label in enumerate(labels):
        x0 = LEFT + group_w * index + group_w * 0.1
        for number, one in enumerate(series):
            value = one.values[index]
            height = plot_h * value / top
            parts.append(
                f'<rect x="{x0 + bar_w * number:.1f}" y="{TOP + plot_h - height:.1f}" width="{bar_w:.1f}" '
                f'height="{height:.1f}" fill="{COLOURS[number % len(COLOURS)]}"/>'
            )
        parts.append(
            f'<text x="{x0 + group_w * 0.4:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="13">{escape(label)}</text>'
        )
    for number, one in enumerate(series):
        x = LEFT + number * 190
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 14}" width="12" height="12" fill="{COLOURS[number % len(COLOURS)]}"/>'
            f'<text x="{x + 18}" y="{HEIGHT - 4}" font-size="14">{escape(one.name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
