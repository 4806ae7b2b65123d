"""Charts drawn on the server as SVG: bars, lines over time and stacked status bars, for pages and printed reports.

Every chart reads in black and white: bars carry their value as text, lines differ by dash and marker, stacked
parts by fill pattern with a legend. Each SVG has role="img" with a <title> and a <desc> that states the
figures, and the page puts the same figures in a table next to it (WCAG 1.1.1). No script, no style attribute
(the CSP allows neither): only presentation attributes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .numbers import number
from .text import differing_start

INK = "#1b2a3a"
GRID = "#8a96a3"
FONT = 'font-family="system-ui, sans-serif"'
# Fills for the parts of a stacked bar, darkest first; the pattern is what tells them apart in grey print.
PATTERNS = ("solid", "hatch", "dots", "cross", "blank")
_ids = itertools.count(1)


def _svg(*, width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    chart = f"chart{next(_ids)}"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chithi-chart" viewBox="0 0 {width} {height}" '
            f'role="img" aria-labelledby="{chart}-t {chart}-d" {FONT} font-size="13">'
            f'<title id="{chart}-t">{escape(title)}</title><desc id="{chart}-d">{escape(desc)}</desc>')
    return mark_safe(head + "".join(body).replace("{id}", chart) + "</svg>")  # noqa: S308 (labels escaped)


def _describe(labels: Sequence[str], values: Sequence[Any], unit: str) -> str:
    suffix = f" {unit}" if unit else ""
    return "; ".join(f"{label}: {number(value) if value is not None else '—'}{suffix}"
                     for label, value in zip(labels, values, strict=True))


def bar_chart(*, title: str, items: Sequence[tuple[str, float | int | None]], unit: str = "",
              width: int = 640) -> SafeString:
    """Horizontal bars, one a row, the label on the left and the value written at the bar's end."""
    row, label_w, top = 26, min(270, width * 9 // 20), 8
    height = top * 2 + row * max(1, len(items))
    peak = max([float(v) for _label, v in items if v is not None] or [0]) or 1.0
    span = width - label_w - 70
    body = []
    texts = fit_apart([label for label, _v in items], label_w - 10)
    for index, ((_label, value), text) in enumerate(zip(items, texts, strict=True)):
        y = top + index * row
        length = 0 if value is None else max(1.0, span * float(value) / peak)
        body.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" fill="{INK}">{escape(text)}</text>'
                    f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" fill="{INK}"/>'
                    f'<text x="{label_w + length + 5:.1f}" y="{y + 17}" fill="{INK}">'
                    f'{escape(number(value) if value is not None else "—")}{escape(unit)}</text>')
    body.append(f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - top}" stroke="{INK}"/>')
    desc = _describe([label for label, _v in items], [v for _label, v in items], unit)
    return _svg(width=width, height=height, title=title, desc=desc, body=body)


_DASHES = ("", "6 4", "2 3", "10 3 2 3")
_MARKERS = ("circle", "square", "triangle", "diamond")


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{INK}"/>'
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="white" stroke="{INK}"/>'
    if kind == "triangle":
        return f'<path d="M{x:.1f} {y - 4.5:.1f} L{x + 4.5:.1f} {y + 3.5:.1f} L{x - 4.5:.1f} {y + 3.5:.1f} Z" ' \
               f'fill="{INK}"/>'
    return f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y:.1f} L{x:.1f} {y + 5:.1f} L{x - 5:.1f} {y:.1f} Z" ' \
           f'fill="white" stroke="{INK}"/>'


def text_width(text: str, size: int = 13) -> float:
    """A generous estimate of the width of `text` drawn at `size` px in a sans-serif face (no font metrics on
    the server): 0.62 em a character, wide letters more; used so a legend label is never drawn past the edge."""
    wide = sum(1 for c in text if c in "mwMWĐƯƠ")
    return size * (0.62 * len(text) + 0.3 * wide)


def fit(label: str, room: float) -> str:
    """The label shortened with "…" to fit `room` px (the whole name stays in the chart's description and the
    table beside it), so a long unit name is never cut at the drawing's left edge."""
    if text_width(label) <= room:
        return label
    while label and text_width(label + "…") > room:
        label = label[:-1]
    return label.rstrip() + "…"


def _fit_keeping_end(label: str, room: float, keep: int) -> str:
    """The label shortened before `keep`, the character where it starts to differ from its namesakes, so that
    what tells it apart stays ("Chi bộ Cơ qu…phường 3"); cut at the end as well if that part alone is too long."""
    head, tail = label[:keep], label[keep:]
    while head and text_width(head.rstrip() + "…" + tail) > room:
        head = head[:-1]
    return head.rstrip() + "…" + tail if head else fit(tail, room)


def fit_apart(labels: Sequence[str], room: float) -> list[str]:
    """Each label fitted to `room` px; where different labels would come out the same (the office cell of each
    former ward, "Chi bộ Cơ quan · phườ…"), those are shortened where they are alike, keeping where they differ."""
    fitted = [fit(label, room) for label in labels]
    namesakes: dict[str, set[str]] = {}
    for label, text in zip(labels, fitted, strict=True):
        namesakes.setdefault(text, set()).add(label)
    keep = {text: differing_start(sorted(group)) for text, group in namesakes.items() if len(group) > 1}
    return [_fit_keeping_end(label, room, keep[text]) if text in keep else text
            for label, text in zip(labels, fitted, strict=True)]


def _legend_layout(names: Sequence[str], width: int, offset: int) -> list[tuple[float, int]]:
    """(x, row) of each legend entry, flowed left to right and wrapped before an entry would pass the edge, so
    a label is never clipped at any chart width (the third label used to start at x=432 of a 480-wide chart)."""
    places, x, row = [], 12.0, 0
    for name in names:
        entry = offset + text_width(name) + 18
        if x > 12 and x + entry > width:
            x, row = 12.0, row + 1
        places.append((x, row))
        x += entry
    return places


def _legend_rows(names: Sequence[str], width: int, offset: int) -> int:
    return 1 + max([row for _x, row in _legend_layout(names, width, offset)] or [0])


def _legend(entries: list[str], names: Sequence[str], y: int, width: int, offset: int) -> str:
    return "".join(f'<g transform="translate({x:.0f} {y + 20 * row})">{entry}</g>'
                   for entry, (x, row) in zip(entries, _legend_layout(names, width, offset), strict=True))


def line_chart(*, title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | int | None]]],
               unit: str = "", width: int = 640, height: int = 240) -> SafeString:
    """Lines over time (months on the x axis): each series has its own dash and marker, named in a legend."""
    left, right, top = 48, 28, 12
    names = [name for name, _points in series]
    legend_rows = _legend_rows(names, width, 30)
    bottom = 30 + 20 * legend_rows
    plot_h = height - top - bottom
    values = [float(v) for _name, vs in series for v in vs if v is not None]
    peak = max(values or [0]) or 1.0
    if all(v.is_integer() for v in values):  # counts: an even top, so the half-way line reads 38, not "37,5"
        peak = float(math.ceil(peak / 2) * 2)
    step = (width - left - right) / max(1, len(labels) - 1)
    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{INK}"/>']
    for fraction in (0.5, 1.0):
        y = top + plot_h * (1 - fraction)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" '
                    f'stroke-dasharray="1 3"/><text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" '
                    f'fill="{INK}">{escape(number(round(peak * fraction, 1)))}</text>')
    # Every n-th month named, so the names never overlap (twelve "01/2026" do not fit under a 480-px chart).
    widest = max([text_width(label, 11) for label in labels] or [0]) + 8
    every = max(1, math.ceil(widest / step)) if len(labels) > 1 else 1
    for index, label in enumerate(labels):
        if index % every == 0:
            body.append(f'<text x="{left + index * step:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                        f'fill="{INK}" font-size="11">{escape(label)}</text>')
    legend = []
    for number_, (name, points) in enumerate(series):
        dash, marker = _DASHES[number_ % len(_DASHES)], _MARKERS[number_ % len(_MARKERS)]
        coords = [(left + i * step, top + plot_h * (1 - float(v) / peak)) for i, v in enumerate(points)
                  if v is not None]
        if coords:
            path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(coords))
            body.append(f'<path d="{path}" fill="none" stroke="{INK}" stroke-width="2"'
                        + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
            body += [_marker(marker, x, y) for x, y in coords]
        legend.append(f'<line x1="0" y1="-4" x2="24" y2="-4" stroke="{INK}" stroke-width="2"'
                      + (f' stroke-dasharray="{dash}"' if dash else "") + f"/>{_marker(marker, 12, -4)}"
                      f'<text x="30" y="0" fill="{INK}">{escape(name)}</text>')
    body.append(_legend(legend, names, top + plot_h + 36, width, 30))
    desc = " | ".join(f"{name}: {_describe(labels, points, unit)}" for name, points in series)
    return _svg(width=width, height=height, title=title, desc=desc, body=body)


def _pattern_defs() -> str:
    return (
        '<defs>'
        f'<pattern id="{{id}}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="white"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="2.5"/></pattern>'
        f'<pattern id="{{id}}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="white"/><circle cx="2.5" cy="2.5" r="1.3" fill="{INK}"/></pattern>'
        f'<pattern id="{{id}}-cross" width="7" height="7" patternUnits="userSpaceOnUse">'
        f'<rect width="7" height="7" fill="white"/><path d="M0 0L7 7M7 0L0 7" stroke="{INK}" stroke-width="1"/>'
        '</pattern></defs>'
    )


def _fill(pattern: str) -> str:
    if pattern == "solid":
        return f'fill="{INK}"'
    if pattern == "blank":
        return 'fill="white"'
    return f'fill="url(#{{id}}-{pattern})"'


def stacked_bar_chart(*, title: str, labels: Sequence[str], parts: Sequence[tuple[str, Sequence[float | int]]],
                      width: int = 640) -> SafeString:
    """One horizontal bar per label (a month, a ward), split into parts (statuses) told apart by pattern."""
    row, label_w, top = 26, min(220, width * 9 // 20), 8
    names = [name for name, _values in parts]
    legend_rows = _legend_rows(names, width, 24)
    height = top + row * max(1, len(labels)) + 16 + 20 * legend_rows
    totals = [sum(float(values[i]) for _name, values in parts) for i in range(len(labels))]
    peak = max(totals or [0]) or 1.0
    span = width - label_w - 60
    body = [_pattern_defs()]
    for index, text in enumerate(fit_apart(labels, label_w - 10)):
        y = top + index * row
        x = float(label_w)
        body.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" fill="{INK}">{escape(text)}</text>')
        for part_index, (_name, values) in enumerate(parts):
            length = span * float(values[index]) / peak
            if length > 0:
                body.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
                            f'{_fill(PATTERNS[part_index % len(PATTERNS)])} stroke="{INK}" stroke-width="0.8"/>')
                x += length
        body.append(f'<text x="{x + 5:.1f}" y="{y + 17}" fill="{INK}">{escape(number(totals[index]))}</text>')
    legend = [f'<rect x="0" y="-11" width="18" height="12" {_fill(PATTERNS[i % len(PATTERNS)])} stroke="{INK}"/>'
              f'<text x="24" y="0" fill="{INK}">{escape(name)}</text>' for i, (name, _values) in enumerate(parts)]
    body.append(_legend(legend, names, top + row * max(1, len(labels)) + 20, width, 24))
    desc = " | ".join(f"{label}: " + ", ".join(f"{name} {number(values[i])}" for name, values in parts)
                      for i, label in enumerate(labels))
    return _svg(width=width, height=height, title=title, desc=desc, body=body)
