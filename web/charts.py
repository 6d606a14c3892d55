"""Charts as server-rendered SVG: no script, no inline style, so a strict CSP holds."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 160
BAR_WIDTH = 360


def bar_chart(title: str, bars: Sequence[tuple[str, int]]) -> Markup:
    """Horizontal bars, one per (label, value), with the value written after each bar."""
    top = max((value for _, value in bars), default=0) or 1
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 70
    parts = [f'<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
             f"<title>{escape(title)}</title>"]
    for position, (label, value) in enumerate(bars):
        y = GAP + position * (BAR_HEIGHT + GAP)
        length = round(BAR_WIDTH * value / top)
        middle = y + BAR_HEIGHT * 0.7
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end" '
            f'class="chart-label">{escape(label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'class="chart-bar chart-bar-{position % 3}"/>',
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle:.1f}" '
            f'class="chart-value">{value:,}</text>'.replace(",", "."),
        ]
    parts.append("</svg>")
    return Markup("".join(parts))
