"""Bar charts as SVG, drawn on the server: no JavaScript, nothing fetched from elsewhere.

Only presentation attributes and classes (styled in report.css), never a style
attribute, so the pages keep their strict Content-Security-Policy. Every chart is
shown next to a table with the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR = 22
GAP = 10
LABEL = 150
WIDTH = 560


def horizontal(title: str, rows: Sequence[tuple[str, int]], css: str = "bar") -> str:
    """One bar per (label, value), longest value full width."""
    top = max((value for _, value in rows), default=0) or 1
    plot = WIDTH - LABEL - 60
    height = len(rows) * (BAR + GAP) + GAP
    parts = [_open(title, WIDTH, height)]
    for number, (label, value) in enumerate(rows):
        y = GAP + number * (BAR + GAP)
        length = round(plot * value / top)
        parts.append(
            f'<text class="label" x="{LABEL - 8}" y="{y + BAR * 0.7:.1f}" '
            f'text-anchor="end">{escape(_short(label))}</text>'
            f'<rect class="{css}" x="{LABEL}" y="{y}" width="{length}" height="{BAR}" rx="3"/>'
            f'<text class="value" x="{LABEL + length + 6}" y="{y + BAR * 0.7:.1f}">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def columns(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]) -> str:
    """Grouped columns: for each label, one column per series (e.g. held, sign-ups)."""
    height, base, left = 220, 180, 40
    top = max((v for _, values in series for v in values), default=0) or 1
    group = (WIDTH - left) / max(len(labels), 1)
    width = min(28.0, (group - 16) / max(len(series), 1))
    parts = [_open(title, WIDTH, height)]
    parts.append(f'<line class="axis" x1="{left}" y1="{base}" x2="{WIDTH}" y2="{base}"/>')
    for g, label in enumerate(labels):
        x0 = left + g * group + (group - width * len(series)) / 2
        for s, (_name, values) in enumerate(series):
            value = values[g]
            h = round((base - 30) * value / top)
            x = x0 + s * width
            parts.append(
                f'<rect class="series-{s}" x="{x:.1f}" y="{base - h}" width="{width - 2:.1f}" '
                f'height="{h}"/><text class="value" x="{x + width / 2 - 1:.1f}" '
                f'y="{base - h - 4}" text-anchor="middle">{value}</text>'
            )
        parts.append(
            f'<text class="label" x="{left + g * group + group / 2:.1f}" y="{base + 18}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for s, (name, _values) in enumerate(series):
        x = left + s * 110
        parts.append(
            f'<rect class="series-{s}" x="{x}" y="{height - 16}" width="12" height="12"/>'
            f'<text class="label" x="{x + 16}" y="{height - 6}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _open(title: str, width: int, height: int) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    )


def _short(label: str, limit: int = 10) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
