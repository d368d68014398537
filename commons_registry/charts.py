"""The Ostrom self-assessment as an SVG bar chart, laid out on the server (no JavaScript)."""

from .models import OstromAssessment

WIDTH = 320
LABEL_WIDTH = 28
BAR_MAX = 270
ROW_HEIGHT = 30
BAR_HEIGHT = 18
TOP = 10


def assessment_bars(assessment: OstromAssessment) -> dict:
    """Geometry for templates/commons_registry/_assessment_chart.html."""
    rows = []
    for index, row in enumerate(assessment.principles()):
        y = TOP + index * ROW_HEIGHT
        score = row["score"]
        rows.append({
            **row,
            "y": y,
            "text_y": y + BAR_HEIGHT - 4,
            # A sliver for "absent" keeps the row visible; n/a draws nothing.
            "width": 0 if score is None else max(4, BAR_MAX * score // 2),
            "css": f"level-{row['level'].replace('/', '')}",
        })  # fmt: skip
    height = TOP * 2 + len(rows) * ROW_HEIGHT + 16
    return {
        "rows": rows,
        "width": WIDTH,
        "height": height,
        "label_x": 4,
        "bar_x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "axis_y": height - 12,
        "ticks": [
            {"x": LABEL_WIDTH, "label": OstromAssessment.Level.ABSENT.label},
            {"x": LABEL_WIDTH + BAR_MAX // 2, "label": OstromAssessment.Level.PARTIAL.label},
            {"x": LABEL_WIDTH + BAR_MAX, "label": OstromAssessment.Level.PRESENT.label},
        ],
    }
