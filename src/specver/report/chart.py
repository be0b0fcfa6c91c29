"""A stacked column chart of policies per authority level, as geometry a template draws.

One column per version (two for a comparison, one per release for a range), one segment
per level, strongest level on top. All numbers a renderer needs (positions, heights, tick
values) are computed here, so the SVG template only places them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 520
HEIGHT = 280
LEFT = 40
"""Room for the axis labels."""
TOP = 18
BOTTOM = 52
"""Room for the column labels under the axis."""
LEGEND_ROW = 16


@dataclass(frozen=True, slots=True)
class Segment:
    """One level's share of one column."""

    level: str
    count: int
    tone: int
    """Colour index of the level (its place in the scheme, capped), for the stylesheet."""
    y: float
    height: float
    label_y: float
    """Where the count is written, when the segment is tall enough (`show_count`)."""
    show_count: bool


@dataclass(frozen=True, slots=True)
class Column:
    """One version: its label, its total and its segments, bottom to top."""

    label: str
    sublabel: str
    total: int
    x: float
    width: float
    center: float
    top: float
    """The y of the column's top, where its total is written."""
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Tick:
    """A horizontal grid line with its value."""

    value: int
    y: float


@dataclass(frozen=True, slots=True)
class LegendItem:
    level: str
    tone: int
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class LevelChart:
    """The whole chart."""

    width: int
    height: int
    left: int
    base: float
    """The y of the axis line."""
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[LegendItem, ...]
    title: str


TONES = 7
"""Distinct level colours in the stylesheet (`seg-0` … `seg-6`); further levels share the last."""


def _nice_top(value: int) -> int:
    for step in (2, 5, 10, 20, 25, 50, 100, 250, 500, 1000):
        if value <= step * 4:
            return -(-value // step) * step or step
    return -(-value // 1000) * 1000


def level_chart(
    levels: Sequence[str],
    columns: Sequence[tuple[str, str, Sequence[int]]],
    title: str,
) -> LevelChart:
    """The chart for `levels` (strongest first) and columns of (label, sublabel, counts)."""
    legend_rows = -(-len(levels) // 4) if levels else 0
    height = HEIGHT + LEGEND_ROW * legend_rows
    base = float(height - BOTTOM - LEGEND_ROW * legend_rows)
    plot = base - TOP
    top = _nice_top(max([1, *(sum(c[2]) for c in columns)]))
    slot = (WIDTH - LEFT - 10) / max(1, len(columns))
    bar = min(72.0, slot * 0.56)
    out: list[Column] = []
    for k, (label, sublabel, counts) in enumerate(columns):
        x = LEFT + slot * k + (slot - bar) / 2
        y = base
        segments: list[Segment] = []
        for index in reversed(range(len(levels))):  # the weakest level at the bottom
            n = counts[index] if index < len(counts) else 0
            if not n:
                continue
            h = plot * n / top
            y -= h
            segments.append(
                Segment(
                    levels[index],
                    n,
                    min(index, TONES - 1),
                    round(y, 1),
                    round(h, 1),
                    round(y + h / 2 + 4, 1),
                    h >= 14,
                )
            )
        out.append(
            Column(
                label,
                sublabel,
                sum(counts),
                round(x, 1),
                round(bar, 1),
                round(x + bar / 2, 1),
                round(y, 1),
                tuple(segments),
            )
        )
    ticks = tuple(Tick(round(top * f), round(base - plot * f, 1)) for f in (0.25, 0.5, 0.75, 1.0))
    legend = tuple(
        LegendItem(
            level,
            min(k, TONES - 1),
            LEFT + (k % 4) * 118.0,
            float(height - LEGEND_ROW * (legend_rows - k // 4) - 4),
        )
        for k, level in enumerate(levels)
    )
    return LevelChart(WIDTH, height, LEFT, base, tuple(out), ticks, legend, title)
