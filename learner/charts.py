"""Charts as accessible SVG, drawn on the server: no chart library, no script, no style
attribute (the Content-Security-Policy forbids them; colours come from classes in
static/css/learning.css).

Every chart is an `<svg role="img">` with a `<title>` and a `<desc>` that says in words what
it shows; the page puts the same figures in a table beside it for screen readers and for
anyone who would rather read numbers. A bar that has no figure (fewer than five learners)
is not drawn but labelled "not enough data", so an absence never looks like a zero.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH = 400
LABEL_ROW = 18
ROW = 16
GAP = 10
BAR_AREA = WIDTH - 50


@dataclass(frozen=True)
class Series:
    """One kind of bar: its name in the legend and its CSS class."""

    name: str
    css: str


@dataclass(frozen=True)
class Row:
    """One labelled group of bars; a value of None is drawn as 'not enough data'."""

    label: str
    values: tuple[float | None, ...]


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    # Ids from the title: the same chart gets the same ids, two charts of a page differ.
    n = hashlib.sha256(title.encode()).hexdigest()[:10]
    # Every piece of text in `body` was escaped where it was made; the rest is numbers.
    return Markup(  # noqa: S704  # nosec B704
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="chart-{n}-title chart-{n}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{n}-title">{escape(title)}</title>'
        f'<desc id="chart-{n}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _short(text: str, limit: int = 58) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _legend(series: Sequence[Series], y: int) -> list[str]:
    parts, x = [], 0
    for s in series:
        parts.append(
            f'<rect class="legend-swatch {s.css}" x="{x}" y="{y}" width="12" height="12"/>'
        )
        parts.append(
            f'<text class="chart-legend" x="{x + 16}" y="{y + 11}">{escape(s.name)}</text>'
        )
        x += 26 + 7 * len(s.name)
    return parts


def bars(
    title: str, desc: str, series: Sequence[Series], rows: Sequence[Row], *, unit: str = "%"
) -> Markup:
    """Horizontal grouped bars on a 0-100 scale, one group per row, its label above it (so
    the chart reads at phone width too). Rows without any figure are not drawn as bars: one
    line under the chart counts them ("not enough data"), and the table lists them."""
    empty = [row for row in rows if all(v is None for v in row.values)]
    rows = [row for row in rows if row not in empty]
    group = LABEL_ROW + ROW * len(series) + GAP
    top = 26
    height = top + group * len(rows) + (22 if empty else 4)
    body = _legend(series, 4)
    if empty:
        note = (
            _("Not enough data yet for any module (see the table).")
            if not rows
            else _("Not enough data yet for %(n)d more (see the table).", n=len(empty))
        )
        body.append(f'<text class="chart-empty" x="0" y="{height - 8}">{escape(note)}</text>')
    for i, row in enumerate(rows):
        y0 = top + i * group
        body.append(
            f'<text class="chart-label" x="0" y="{y0 + LABEL_ROW - 5}">'
            f"{escape(_short(row.label))}</text>"
        )
        for j, (s, value) in enumerate(zip(series, row.values, strict=True)):
            y = y0 + LABEL_ROW + j * ROW
            if value is None:
                body.append(
                    f'<text class="chart-empty" x="2" y="{y + ROW - 5}">'
                    f"{escape(s.name)}: {escape(_('not enough data'))}</text>"
                )
                continue
            w = max(1.0, BAR_AREA * max(0.0, min(100.0, value)) / 100)
            body.append(f'<rect class="{s.css}" x="0" y="{y}" width="{w:.1f}" height="{ROW - 3}"/>')
            body.append(
                f'<text class="chart-value" x="{w + 4:.1f}" y="{y + ROW - 5}">'
                f"{value:.0f}{unit}</text>"
            )
    return _svg(WIDTH, height, title, desc, body)


def columns(title: str, desc: str, labels: Sequence[str], counts: Sequence[int]) -> Markup:
    """Vertical columns of counts (a distribution), each labelled with its count."""
    width, height, bottom, left = 360, 190, 150, 10
    slot = (width - 2 * left) / max(1, len(counts))
    peak = max([*counts, 1])
    body = []
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        h = (bottom - 30) * count / peak
        x = left + i * slot + 6
        body.append(
            f'<rect class="bar-gain" x="{x:.1f}" y="{bottom - h:.1f}" width="{slot - 12:.1f}" '
            f'height="{max(h, 0.5):.1f}"/>'
        )
        body.append(
            f'<text class="chart-value" x="{x + (slot - 12) / 2:.1f}" y="{bottom - h - 4:.1f}" '
            f'text-anchor="middle">{count}</text>'
        )
        body.append(
            f'<text class="chart-label" x="{x + (slot - 12) / 2:.1f}" y="{bottom + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    body.append(
        f'<line class="chart-axis" x1="{left}" y1="{bottom}" x2="{width - left}" y2="{bottom}"/>'
    )
    return _svg(width, height, title, desc, body)
