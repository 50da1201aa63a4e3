"""Charts drawn on the server as inline SVG: they need no JavaScript and print as they look.

Each chart is an image with a short text alternative; the page puts the full numbers in a table beside it.
Every label is escaped, because category, region and outcome names are data.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from exchange.knowledge.trends import MONTH_NAMES, HeatMap, Month, Unmet

FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif"'

# Colours with at least 3:1 contrast against white for the darkest shade (WCAG 1.4.11 non-text contrast).
DEMAND = (0x1D, 0x70, 0xB8)  # blue
SUPPLY = (0x00, 0x70, 0x3C)  # green
NEEDS_LINE = "#1d70b8"
PITCHES_LINE = "#912b88"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
EMPTY = "#f3f2f1"
# Column headings of the heat map, a few words a line so that they fit above a cell.
HEADER_LINES = {
    "idea": ["Needs", "idea"],
    "early_market_engagement": ["Needs", "early market", "engagement"],
    "open_for_proposals": ["Needs", "open for", "proposals"],
    "decided": ["Needs", "closed or", "decided"],
    "pitch": ["Pitches"],
    "offer": ["Offers"],
}


def _shade(base: tuple[int, int, int], strength: float) -> str:
    """White mixed with ``base``: 0 is nearly white, 1 the full colour."""
    strength = 0.12 + 0.88 * max(0.0, min(1.0, strength))
    red, green, blue = (round(255 - (255 - channel) * strength) for channel in base)
    return f"#{red:02x}{green:02x}{blue:02x}"


def _luminance(colour: str) -> float:
    """Relative luminance of a "#rrggbb" colour (WCAG 2)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _text_on(fill: str) -> str:
    """White or black, whichever reads better on the fill: one of them always reads at 4.58:1 or more."""
    return "#ffffff" if _luminance(fill) < 0.179 else "#000000"


def _short(label: str, most: int) -> str:
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _wrap(label: str, most: int) -> list[str]:
    """A label on at most two lines of about ``most`` characters, cut short with an ellipsis if longer."""
    first, _, rest = label.partition(" ")
    lines = [first]
    for word in rest.split():
        if len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], _short(" ".join(lines[1:]), most)]
    return [_short(line, most) for line in lines]


def _svg(width: int, height: int, label: str, body: list[str], role: str = "img") -> Markup:
    return Markup(
        f'<svg class="exchange-chart" viewBox="0 0 {width} {height}" width="100%" role="{role}" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet" {FONT}>'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def heat_map(heat: HeatMap, label: str) -> Markup:
    """Rows by columns of counts; demand shaded blue and supply green, each against its own largest count.

    Each cell links to the search that lists what it counts, so the picture is a group of links, not an image.
    """
    links = heat.links()
    label_width, cell_width, cell_height, header = 300, 92, 34, 92
    columns = heat.columns
    width = label_width + cell_width * len(columns) + 4
    height = header + cell_height * max(1, len(heat.rows)) + 4
    largest = {
        side: max(
            (v for _, values in heat.rows for c, v in zip(columns, values, strict=True) if c.side == side), default=0
        )
        for side in ("demand", "supply")
    }
    body: list[str] = []
    for index, column in enumerate(columns):
        x = label_width + index * cell_width + cell_width / 2
        lines = HEADER_LINES.get(column.key, [column.label])
        for line, word in enumerate(lines):
            body.append(
                f'<text x="{x:.0f}" y="{header - 10 - 16 * (len(lines) - 1 - line)}" text-anchor="middle" '
                f'font-size="13" font-weight="{"bold" if line == 0 else "normal"}" fill="{TEXT}">{escape(word)}</text>'
            )
    for row_index, (row_label, values) in enumerate(heat.rows):
        y = header + row_index * cell_height
        body.append(
            f'<text x="{label_width - 10}" y="{y + cell_height / 2 + 5:.0f}" text-anchor="end" font-size="14" '
            f'fill="{TEXT}">{escape(_short(row_label, 38))}</text>'
        )
        for index, (column, value) in enumerate(zip(columns, values, strict=True)):
            x = label_width + index * cell_width
            strength = value / largest[column.side] if largest[column.side] else 0.0
            fill = _shade(DEMAND if column.side == "demand" else SUPPLY, strength) if value else EMPTY
            name = f"{row_label}, {column.label}: {value}"
            link = links[row_index][index] if row_index < len(links) else ""
            body.append(
                (f'<a href="{escape(link)}" aria-label="{escape(name)}">' if link else "")
                + f'<rect x="{x + 1}" y="{y + 1}" width="{cell_width - 2}" height="{cell_height - 2}" fill="{fill}">'
                f"<title>{escape(name)}</title></rect>"
                f'<text x="{x + cell_width / 2:.0f}" y="{y + cell_height / 2 + 5:.0f}" text-anchor="middle" '
                f'font-size="14" fill="{_text_on(fill)}" aria-hidden="true">{value}</text>' + ("</a>" if link else "")
            )
    if not heat.rows:
        body.append(f'<text x="{label_width}" y="{header + 20}" font-size="14" fill="{TEXT}">Nothing yet</text>')
    # Links inside an image would be hidden from screen readers: with links, the picture is a group of them.
    return _svg(width, height, label, body, role="group" if any(links) else "img")


def _bars(
    groups: Sequence[tuple[str, list[tuple[int, tuple[int, int, int]]]]],
    legend: Sequence[tuple[str, tuple[int, int, int]]],
    label: str,
    empty: str,
) -> Markup:
    """Horizontal bars, one group per row label, against one scale."""
    label_width, bar_area, bar_height, top = 180, 230, 22, 36 if legend else 8
    group_height = bar_height * max(1, max((len(bars) for _, bars in groups), default=1)) + 10
    width = label_width + bar_area + 40
    height = top + group_height * max(1, len(groups)) + 8
    largest = max((value for _, bars in groups for value, _ in bars), default=0) or 1
    body: list[str] = []
    x = 10
    for name, colour in legend:
        body.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{_shade(colour, 1)}"></rect>')
        body.append(f'<text x="{x + 20}" y="18" font-size="13" fill="{TEXT}">{escape(name)}</text>')
        x += 30 + 7 * len(name)
    for index, (row_label, bars) in enumerate(groups):
        y = top + index * group_height
        lines = _wrap(row_label, 24)
        for number, line in enumerate(lines):
            line_y = y + group_height / 2 + 5 + 16 * (number - (len(lines) - 1) / 2)
            body.append(
                f'<text x="{label_width - 8}" y="{line_y:.0f}" text-anchor="end" font-size="13" fill="{TEXT}">'
                f"{escape(line)}</text>"
            )
        for offset, (value, colour) in enumerate(bars):
            bar = bar_area * value / largest
            bar_y = y + 4 + offset * bar_height
            body.append(
                f'<rect x="{label_width}" y="{bar_y}" width="{max(bar, 1):.1f}" height="{bar_height - 4}" '
                f'fill="{_shade(colour, 1)}"></rect>'
                f'<text x="{label_width + bar + 6:.1f}" y="{bar_y + 14}" font-size="13" fill="{TEXT}">{value}</text>'
            )
    if not groups:
        body.append(f'<text x="{label_width}" y="{top + 24}" font-size="14" fill="{TEXT}">{escape(empty)}</text>')
    return _svg(width, height, label, body)


def unmet_bars(unmet: Sequence[Unmet], label: str) -> Markup:
    """Pairs of bars per category: needs no supplier has answered yet, and pitches and offers."""
    groups = [(u.category, [(u.unanswered, DEMAND), (u.supply, SUPPLY)]) for u in unmet]
    legend = [("Needs with no proposal yet", DEMAND), ("Pitches and offers", SUPPLY)]
    return _bars(groups, legend, label, "Every need looking for a solution has a proposal")


def monthly_lines(months: Sequence[Month], label: str) -> Markup:
    """Needs and pitches added each month, as two lines with a point per month."""
    left, right, top, bottom, plot_height, step = 36, 12, 40, 52, 200, 36
    width = left + step * max(1, len(months) - 1) + right + 20
    height = top + plot_height + bottom
    largest = max((max(m.needs, m.pitches) for m in months), default=0)
    ceiling = max(4, largest + (-largest % 4))
    body = [
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width - right}" y2="{top + plot_height}" '
        f'stroke="{TEXT}" stroke-width="1"></line>',
        f'<line x1="{left + 10}" y1="14" x2="{left + 34}" y2="14" stroke="{NEEDS_LINE}" stroke-width="5"></line>',
        f'<text x="{left + 40}" y="19" font-size="13" fill="{TEXT}">Needs posted</text>',
        f'<line x1="{left + 150}" y1="14" x2="{left + 174}" y2="14" stroke="{PITCHES_LINE}" stroke-width="3" '
        'stroke-dasharray="6 4"></line>',
        f'<text x="{left + 180}" y="19" font-size="13" fill="{TEXT}">Pitches published</text>',
    ]
    for tick in range(0, ceiling + 1, ceiling // 4):
        y = top + plot_height - plot_height * tick / ceiling
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.5">'
            f'</line><text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="{TEXT}">{tick}</text>'
        )

    def point(index: int, value: int) -> tuple[float, float]:
        return left + 10 + index * step, top + plot_height - plot_height * value / ceiling

    for index, month in enumerate(months):
        x, _ = point(index, 0)
        year, number = month.label.split("-")
        name = MONTH_NAMES[int(number) - 1]
        body.append(
            f'<text x="{x:.0f}" y="{top + plot_height + 20}" text-anchor="middle" font-size="12" fill="{TEXT}">'
            f"{name}</text>"
        )
        if index == 0 or number == "01":
            body.append(
                f'<text x="{x:.0f}" y="{top + plot_height + 38}" text-anchor="middle" font-size="12" '
                f'fill="{TEXT}">{year}</text>'
            )
    # Needs wide and solid underneath, pitches narrow and dashed on top: both stay visible where they meet.
    for values, colour, stroke, dashes, radius in (
        ([m.needs for m in months], NEEDS_LINE, 5, "", 5),
        ([m.pitches for m in months], PITCHES_LINE, 2.5, ' stroke-dasharray="6 4"', 3),
    ):
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="{stroke}"{dashes}></polyline>'
        )
        for index, value in enumerate(values):
            x, y = point(index, value)
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}"><title>{value}</title></circle>'
            )
    return _svg(width, height, label, body)


def outcome_bars(rows: Sequence[tuple[str, int]], label: str) -> Markup:
    """One bar per outcome of the meetings held at matchmaking sessions."""
    groups = [(name, [(count, DEMAND)]) for name, count in rows]
    return _bars(groups, [], label, "No follow-ups recorded yet")
