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


# Column charts: one column per week, small enough to stand three side by side.
COLUMN_WIDTH = 300
COLUMN_PLOT_HEIGHT = 90
# Room above the tallest column for its value, below the columns for the first and last week.
COLUMN_TOP = 18
COLUMN_BOTTOM = 20


@dataclass(frozen=True)
class Column:
    label: str
    text: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class ColumnChart:
    key: str
    title: str
    description: str
    columns: list[Column]
    width: int
    height: int
    baseline: int
    # The latest value, written large beside the chart's title.
    latest: str
    first_label: str
    last_label: str
    last_x: float


def column_chart(
    *, key: str, title: str, description: str, items: list[tuple[str, float, str]]
) -> ColumnChart:
    """``items``: (label, value, text), oldest first; each column carries its label and value
    as a title, and the latest value is written out, so the trend reads without a pointer."""
    step = COLUMN_WIDTH / max(1, len(items))
    largest = max((value for _, value, _ in items), default=0) or 1
    baseline = COLUMN_TOP + COLUMN_PLOT_HEIGHT
    columns = []
    for index, (label, value, text) in enumerate(items):
        height = round(COLUMN_PLOT_HEIGHT * max(0, value) / largest, 1)
        columns.append(
            Column(
                label=label,
                text=text,
                x=round(index * step + step * 0.15, 1),
                y=round(baseline - height, 1),
                width=round(step * 0.7, 1),
                height=height,
            )
        )
    return ColumnChart(
        key=key,
        title=title,
        description=description,
        columns=columns,
        width=COLUMN_WIDTH,
        height=baseline + COLUMN_BOTTOM,
        baseline=baseline,
        latest=items[-1][2] if items else "",
        first_label=items[0][0] if items else "",
        last_label=items[-1][0] if items else "",
        last_x=COLUMN_WIDTH,
    )
