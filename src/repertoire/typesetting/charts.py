"""Charts as inline SVG, drawn on the server: no script, no CDN, and they print.

The same SVG goes into web pages and PDF exports. Every chart carries a text
alternative (``<title>`` and ``<desc>``); pages also show the figures as a table.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Distinct in hue and in line pattern, so that series stay apart in grey print too.
SERIES_STYLES = (
    ("#0b4f8a", ""),
    ("#b35c00", "6 3"),
    ("#2e7d32", "2 3"),
    ("#8e24aa", "8 3 2 3"),
)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]


def _fmt(number: float) -> str:
    return f"{number:.1f}"


@dataclass(frozen=True)
class _RadarFrame:
    """Where a radar's axes lie: one per criterion, from the centre to ``maximum``."""

    count: int
    maximum: int
    radius: float
    centre_x: float
    centre_y: float

    def point(self, axis: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * axis / self.count
        distance = self.radius * value / self.maximum
        return (
            self.centre_x + distance * math.cos(angle),
            self.centre_y + distance * math.sin(angle),
        )

    def polygon(self, value_of) -> str:
        return " ".join(
            f"{_fmt(x)},{_fmt(y)}"
            for x, y in (self.point(i, value_of(i)) for i in range(self.count))
        )


def radar(
    axes: Sequence[str],
    series: Sequence[Series],
    maximum: int,
    title: str,
    description: str = "",
    size: int = 260,
    font_size: int = 13,
) -> SafeString:
    """A radar (spider) chart: one axis per criterion, one polygon per series."""
    # Room for the axis labels: wide on the sides, a line above and below.
    side, above = 10 * font_size, 2.3 * font_size
    width, height = size + 2 * side, size + 2 * above
    frame = _RadarFrame(len(axes), maximum, size / 2, width / 2, height / 2 + 6)
    rings, spokes, scale = _radar_grid(frame)
    title_id, description_id = _ids(title)
    return format_html(
        '<svg class="chart radar" viewBox="0 0 {} {}" role="img" aria-labelledby="{} {}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, Arial, sans-serif" '
        'font-size="{}" fill="#1b1f24"><title id="{}">{}</title><desc id="{}">{}</desc>'
        "{}{}{}{}{}</svg>",
        _fmt(width),
        _fmt(height),
        title_id,
        description_id,
        font_size,
        title_id,
        title,
        description_id,
        description,
        rings,
        spokes,
        _radar_labels(frame, axes),
        scale,
        _radar_series(frame, series),
    )


def _radar_grid(frame: _RadarFrame) -> tuple[SafeString, SafeString, SafeString]:
    """The rings every two degrees, the spokes, and the degrees written on the first axis."""
    steps = range(2, frame.maximum + 1, 2)
    rings = format_html_join(
        "",
        '<polygon class="ring" points="{}" fill="none" stroke="#d7dde3"/>',
        ((frame.polygon(lambda _axis, step=step: step),) for step in steps),
    )
    spokes = format_html_join(
        "",
        '<line class="spoke" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#9aa5b1"/>',
        (
            (_fmt(frame.centre_x), _fmt(frame.centre_y), *map(_fmt, frame.point(i, frame.maximum)))
            for i in range(frame.count)
        ),
    )
    scale = format_html_join(
        "",
        '<text class="scale" x="{}" y="{}" font-size="10" fill="#4a5560">{}</text>',
        ((_fmt(frame.centre_x + 3), _fmt(frame.point(0, step)[1] + 4), step) for step in steps),
    )
    return rings, spokes, scale


def _radar_labels(frame: _RadarFrame, axes: Sequence[str]) -> SafeString:
    """Each axis's name just beyond its end, anchored away from the centre."""
    labels = []
    for index, label in enumerate(axes):
        x, y = frame.point(index, frame.maximum + 0.6)
        if abs(x - frame.centre_x) < 1:
            anchor = "middle"
        else:
            anchor = "start" if x > frame.centre_x else "end"
        y += 4 if y > frame.centre_y else 0
        labels.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}">{}</text>', _fmt(x), _fmt(y), anchor, label
            )
        )
    return mark_safe("".join(labels))


def _radar_series(frame: _RadarFrame, series: Sequence[Series]) -> SafeString:
    """One polygon with its dots per series, in the series' colour and dash."""
    shapes = []
    for number, item in enumerate(series):
        colour, dash = SERIES_STYLES[number % len(SERIES_STYLES)]
        dots = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="4" fill="{}"/>',
            ((*map(_fmt, frame.point(i, value)), colour) for i, value in enumerate(item.values)),
        )
        shapes.append(
            format_html(
                '<g class="series"><polygon points="{}" fill="{}" fill-opacity="0.12" '
                'stroke="{}" stroke-width="2.5" stroke-dasharray="{}"/>{}</g>',
                frame.polygon(lambda i, values=item.values: values[i]),
                colour,
                colour,
                dash,
                dots,
            )
        )
    return mark_safe("".join(shapes))


def columns(
    categories: Sequence[str],
    values: Sequence[int],
    title: str,
    description: str = "",
    highlight: int | None = None,
    height: int = 160,
) -> SafeString:
    """A column chart: one column per category, its value written above it."""
    step = 44
    bar = 30
    top = 20
    bottom = 24
    width = step * len(categories) + 10
    tallest = max(values, default=0) or 1
    bars = []
    for index, (category, value) in enumerate(zip(categories, values, strict=True)):
        x = 10 + index * step
        bar_height = (height - top - bottom) * value / tallest
        y = height - bottom - bar_height
        css = "bar current" if index == highlight else "bar"
        bars.append(
            format_html(
                '<rect class="{}" x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text>'
                '<text class="category" x="{}" y="{}" text-anchor="middle">{}</text>',
                css,
                x,
                _fmt(y),
                bar,
                _fmt(bar_height),
                "#0b4f8a" if index == highlight else "#8fb3d6",
                x + bar / 2,
                _fmt(y - 5),
                value,
                x + bar / 2,
                height - 6,
                category,
            )
        )
    return _column_chart(width, height, bottom, title, description, bars)


def _column_chart(width, height, bottom, title, description, parts) -> SafeString:
    """The frame of a column chart: its title and description for screen readers, the axis."""
    title_id, description_id = _ids(title)
    return format_html(
        '<svg class="chart columns" viewBox="0 0 {} {}" role="img" aria-labelledby="{} {}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, Arial, sans-serif" '
        'font-size="13" fill="#1b1f24"><title id="{}">{}</title><desc id="{}">{}</desc>'
        '<line class="axis" x1="5" x2="{}" y1="{}" y2="{}" stroke="#9aa5b1"/>{}</svg>',
        width,
        height,
        title_id,
        description_id,
        title_id,
        title,
        description_id,
        description,
        width,
        height - bottom,
        height - bottom,
        mark_safe("".join(parts)),
    )


def _ids(title: str) -> tuple[str, str]:
    """Element ids for a chart's title and description, stable for a given title."""
    key = f"chart-{zlib.crc32(title.encode()):08x}"
    return f"{key}-t", f"{key}-d"


def paired_columns(
    categories: Sequence[str],
    before: Sequence[int],
    after: Sequence[int],
    names: tuple[str, str],
    title: str,
    height: int = 180,
) -> SafeString:
    """Two columns per category (before, after), with a legend: a change at a glance."""
    step, bar, top, bottom, legend = 72, 26, 20, 24, 22
    width = step * len(categories) + 10
    tallest = max([*before, *after], default=0) or 1
    colours = ("#8fb3d6", "#0b4f8a")
    parts = []
    for index, category in enumerate(categories):
        x = 10 + index * step
        for offset, (values, colour) in enumerate(zip((before, after), colours, strict=True)):
            value = values[index]
            bar_height = (height - top - bottom - legend) * value / tallest
            y = height - bottom - bar_height
            left = x + offset * (bar + 4)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
                    left,
                    _fmt(y),
                    bar,
                    _fmt(bar_height),
                    colour,
                    left + bar / 2,
                    _fmt(y - 4),
                    value,
                )
            )
        parts.append(
            format_html(
                '<text class="category" x="{}" y="{}" text-anchor="middle">{}</text>',
                x + bar + 2,
                height - 6,
                category,
            )
        )
    for offset, (name, colour) in enumerate(zip(names, colours, strict=True)):
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="15" font-size="12">{}</text>',
                10 + offset * 160,
                colour,
                26 + offset * 160,
                name,
            )
        )
    description = "; ".join(
        f"{category} : {b} → {a}" for category, b, a in zip(categories, before, after, strict=True)
    )
    return _column_chart(max(width, 330), height, bottom, title, description, parts)
