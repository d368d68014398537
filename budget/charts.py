"""Each budget line's spent and remaining amounts as horizontal bars, drawn as SVG on the server.
Lengths are computed with Decimal and rounded for drawing only."""

import dataclasses
from decimal import Decimal

WIDTH = 720
ROW = 34
LABEL_WIDTH = 220
BAR_HEIGHT = 18
TOP = 8


@dataclasses.dataclass
class Bar:
    line: object
    y: int
    spent_width: Decimal
    remaining_width: Decimal
    remaining_x: Decimal
    text_y: int


@dataclasses.dataclass
class LinesChart:
    bars: list[Bar]
    width: int = WIDTH
    height: int = 0
    left: int = LABEL_WIDTH


def lines_chart(lines) -> LinesChart:
    """Lines carry .amount and .spent; the longest bar is the largest line."""
    plot = Decimal(WIDTH - LABEL_WIDTH - 8)
    largest = max((line.amount for line in lines), default=Decimal(1)) or Decimal(1)
    bars = []
    for index, line in enumerate(lines):
        total = plot * line.amount / largest
        spent = min(max(line.spent, Decimal(0)), line.amount)
        spent_width = (total * spent / line.amount).quantize(Decimal("0.1"))
        y = TOP + index * ROW
        bars.append(
            Bar(
                line=line,
                y=y,
                spent_width=spent_width,
                remaining_width=(total - spent_width).quantize(Decimal("0.1")),
                remaining_x=(LABEL_WIDTH + spent_width).quantize(Decimal("0.1")),
                text_y=y + 13,
            )
        )
    return LinesChart(bars=bars, height=TOP * 2 + ROW * len(bars))
