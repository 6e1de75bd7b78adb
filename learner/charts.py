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

WIDTH = 640
LABEL_WIDTH = 230
ROW = 16
GAP = 12
BAR_AREA = WIDTH - LABEL_WIDTH - 60


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


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _legend(series: Sequence[Series], y: int) -> list[str]:
    parts, x = [], LABEL_WIDTH
    for s in series:
        parts.append(f'<rect class="{s.css}" x="{x}" y="{y}" width="12" height="12"/>')
        parts.append(
            f'<text class="chart-legend" x="{x + 16}" y="{y + 11}">{escape(s.name)}</text>'
        )
        x += 24 + 8 * len(s.name)
    return parts


def bars(
    title: str, desc: str, series: Sequence[Series], rows: Sequence[Row], *, unit: str = "%"
) -> Markup:
    """Horizontal grouped bars on a 0-100 scale, one group per row."""
    group = ROW * len(series) + GAP
    top = 30
    height = top + group * max(1, len(rows)) + 10
    body = _legend(series, 6)
    for i, row in enumerate(rows):
        y0 = top + i * group
        label_y = y0 + ROW * len(series) / 2 + 4
        body.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{label_y:.0f}" '
            f'text-anchor="end">{escape(_short(row.label))}</text>'
        )
        if all(v is None for v in row.values):
            body.append(
                f'<text class="chart-empty" x="{LABEL_WIDTH}" y="{label_y:.0f}">'
                f"{escape(_('not enough data'))}</text>"
            )
            continue
        for j, (s, value) in enumerate(zip(series, row.values, strict=True)):
            y = y0 + j * ROW
            if value is None:
                body.append(
                    f'<text class="chart-empty" x="{LABEL_WIDTH}" y="{y + ROW - 4}">'
                    f"{escape(_('not enough data'))}</text>"
                )
                continue
            w = max(1.0, BAR_AREA * max(0.0, min(100.0, value)) / 100)
            body.append(
                f'<rect class="{s.css}" x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" '
                f'height="{ROW - 3}"/>'
            )
            body.append(
                f'<text class="chart-value" x="{LABEL_WIDTH + w + 4:.1f}" y="{y + ROW - 5}">'
                f"{value:.0f}{unit}</text>"
            )
    axis_x = LABEL_WIDTH
    body.append(
        f'<line class="chart-axis" x1="{axis_x}" y1="{top - 4}" x2="{axis_x}" y2="{height - 8}"/>'
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
