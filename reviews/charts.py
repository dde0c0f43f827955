"""Horizontal bar charts drawn as SVG on the server: no script, no stylesheet, no network.

Only the geometry is computed here; ``reviews/_bar_chart.html`` writes the SVG, so every label
and value passes through the template's escaping. Each bar carries its value as text beside
it and a title, so the chart reads without colour or a pointer.
"""

from dataclasses import dataclass

WIDTH = 720
# Room to the right of the longest bar for its value written out.
VALUE_WIDTH = 280
# Each row: its label on a line of its own (long category names fit), then the bar.
LABEL_HEIGHT = 18
BAR_HEIGHT = 18
GAP = 10
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + GAP
TOP = 4


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: float
    label_y: int
    text_y: int


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    plot_width: int
    bar_height: int


def bar_chart(
    *, key: str, title: str, description: str, items: list[tuple[str, float, str]], scale=None
) -> BarChart:
    """``items``: (label, value, text shown beside the bar). Bars are scaled to the largest
    value, or to ``scale`` when the chart has a natural maximum (the program's capacity)."""
    plot_width = WIDTH - VALUE_WIDTH
    largest = scale or max((value for _, value, _ in items), default=0) or 1
    bars = []
    for index, (label, value, text) in enumerate(items):
        top = TOP + index * ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                text=text,
                y=top + LABEL_HEIGHT,
                width=round(plot_width * max(0, value) / largest, 1),
                label_y=top + LABEL_HEIGHT - 5,
                text_y=top + LABEL_HEIGHT + BAR_HEIGHT - 4,
            )
        )
    return BarChart(
        key=key,
        title=title,
        description=description,
        bars=bars,
        width=WIDTH,
        height=TOP * 2 + max(1, len(items)) * ROW_HEIGHT,
        plot_width=plot_width,
        bar_height=BAR_HEIGHT,
    )
