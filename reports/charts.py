"""Charts drawn on the server as SVG (no script, no CDN): they print, and a screen reader
reads the table each one sits next to."""

from django.utils.html import format_html, format_html_join

BAR_HEIGHT = 22
LABEL_WIDTH = 190
BAR_WIDTH = 360


def bar_chart(*, title: str, rows: list[tuple[str, int]]) -> str:
    """Horizontal bars, one per (label, value); the value is written at the bar's end."""
    if not rows:
        return ""
    top = max(value for _label, value in rows) or 1
    height = BAR_HEIGHT * len(rows) + 8
    bars = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="{}" y="15" text-anchor="end">{}</text>'
        '<rect x="{}" y="3" width="{}" height="{}" fill="#1d4f91"></rect>'
        '<text x="{}" y="15">{}</text></g>',
        (
            (
                index * BAR_HEIGHT,
                LABEL_WIDTH - 6,
                label[:28],
                LABEL_WIDTH,
                round(BAR_WIDTH * value / top),
                BAR_HEIGHT - 6,
                LABEL_WIDTH + round(BAR_WIDTH * value / top) + 4,
                value,
            )
            for index, (label, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-label="{}" class="report-chart" font-size="12" font-family="sans-serif">'
        "<title>{}</title>{}</svg>",
        LABEL_WIDTH + BAR_WIDTH + 50,
        height,
        title,
        title,
        bars,
    )
