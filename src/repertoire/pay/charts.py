"""The report's two charts, as inline SVG drawn on the server (same in the page and the
PDF): the mean gap by category (bars above or below zero) and the women/men composition
of each quartile pay band. Each carries its figures as a text alternative."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WOMEN_COLOUR, MEN_COLOUR = "#b35c00", "#0b4f8a"
FLAG_COLOUR, GAP_COLOUR = "#b3261e", "#8fb3d6"


def _fmt(number: float) -> str:
    return f"{number:.1f}"


def percent_text(value: float | None) -> str:
    """A percentage in French: ``12,3 %``; a dash when not computable."""
    return "—" if value is None else f"{value:.1f} %".replace(".", ",")


def _frame(width: int, height: int, title: str, description: str, parts: list) -> SafeString:
    key = f"paychart-{zlib.crc32(title.encode()):08x}"
    return format_html(
        # Drawn at its own size (a page may shrink it, never blow it up).
        '<svg class="chart" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, Arial, sans-serif" '
        'font-size="12" fill="#1b1f24"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>'
        "{}</svg>",
        width,
        height,
        width,
        height,
        key,
        key,
        key,
        title,
        key,
        description,
        mark_safe("".join(parts)),
    )


def gap_bars(
    categories: Sequence[str],
    gaps: Sequence[float | None],
    flags: Sequence[bool],
    title: str,
    height: int = 220,
) -> SafeString:
    """One bar per category: the mean gap in %, up when men are paid more, down when
    women are; flagged categories in red; no bar where the gap is not computable."""
    step, bar, top, bottom = 64, 34, 20, 30
    width = max(step * len(categories) + 20, 200)
    largest = max([abs(g) for g in gaps if g is not None] + [5.0])
    half = (height - top - bottom) / 2
    zero = top + half
    parts = [
        format_html(
            '<line x1="5" x2="{}" y1="{}" y2="{}" stroke="#9aa5b1"/>', width - 5, zero, zero
        )
    ]
    for index, (category, gap, flag) in enumerate(zip(categories, gaps, flags, strict=True)):
        x = 15 + index * step
        if gap is not None:
            length = half * abs(gap) / largest
            y = zero - length if gap >= 0 else zero
            label_y = y - 4 if gap >= 0 else zero + length + 12
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                    x,
                    _fmt(y),
                    bar,
                    _fmt(length),
                    FLAG_COLOUR if flag else GAP_COLOUR,
                    x + bar / 2,
                    _fmt(label_y),
                    percent_text(gap),
                )
            )
        else:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="#5f6b77">—</text>',
                    x + bar / 2,
                    _fmt(zero - 4),
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                x + bar / 2,
                height - 8,
                category.removeprefix("niveau "),
            )
        )
    description = "; ".join(
        f"{category} : {percent_text(gap)}{' (écart ≥ 5 %)' if flag else ''}"
        for category, gap, flag in zip(categories, gaps, flags, strict=True)
    )
    return _frame(width, height, title, description, parts)


def quartile_bars(quartiles: Sequence[dict], title: str, height: int = 90) -> SafeString:
    """One horizontal bar per quartile pay band, split into the share of women and of
    men."""
    row, left, length, top = 16, 40, 300, 26
    height = top + row * len(quartiles) + 10
    parts = [
        format_html(
            '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
            '<text x="{}" y="15">femmes</text>'
            '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
            '<text x="{}" y="15">hommes</text>',
            left,
            WOMEN_COLOUR,
            left + 16,
            left + 90,
            MEN_COLOUR,
            left + 106,
        )
    ]
    for index, band in enumerate(quartiles):
        y = top + index * row
        parts.append(format_html('<text x="4" y="{}">Q{}</text>', y + 11, band["quartile"]))
        women, men = band["women_pct"], band["men_pct"]
        if women is None or men is None:
            parts.append(format_html('<text x="{}" y="{}">—</text>', left, y + 11))
            continue
        split = length * women / 100
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                left,
                y,
                _fmt(split),
                row - 3,
                WOMEN_COLOUR,
                _fmt(left + split),
                y,
                _fmt(length - split),
                row - 3,
                MEN_COLOUR,
            )
        )
    description = "; ".join(
        f"Q{band['quartile']} : femmes {percent_text(band['women_pct'])}, "
        f"hommes {percent_text(band['men_pct'])}"
        for band in quartiles
    )
    return _frame(left + length + 10, height, title, description, parts)
