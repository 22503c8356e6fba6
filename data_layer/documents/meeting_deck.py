"""A meeting pack as a PowerPoint deck (16:9) to hand out: a title slide, then one slide per area with its
headline figures and a native chart (editable in PowerPoint or WPS: its numbers are the pack's, not a picture).

Text is set in 微软雅黑 (Microsoft YaHei), on every Windows office PC and in WPS, for Latin and East Asian
runs alike: a theme's East Asian font left unset shows Chinese in SimSun on some PCs.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from data_layer.documents.colours import STATUS_MARKS
from data_layer.domain import text
from data_layer.views.meeting import chart_numbers, figure_text

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
FONT = "Microsoft YaHei"
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN, FULL = Inches(0.5), Inches(12.3)  # the content area: left edge and width
INK = RGBColor(0x11, 0x18, 0x27)
GREY = RGBColor(0x4B, 0x55, 0x63)
STATUS_RGB = {
    "on_track": RGBColor(0x15, 0x80, 0x3D),
    "behind": RGBColor(0xB4, 0x53, 0x09),
    "far_behind": RGBColor(0xB9, 0x1C, 0x1C),
    "no_target": GREY,
}
# the figure, then its yardstick (序时进度, 年度目标) in grey: no category colour is taken by the yardstick
SERIES_RGB = (RGBColor(0x0B, 0x4F, 0x8A), RGBColor(0x9C, 0xA3, 0xAF))


def _font(run, size: int, *, bold: bool = False, colour: RGBColor = INK) -> None:
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
    run.font.color.rgb = colour
    r_pr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        element = r_pr.find(qn(tag))
        if element is None:
            element = r_pr.makeelement(qn(tag), {})
            r_pr.append(element)
        element.set("typeface", FONT)


def _text(slide, left, top, width, height, lines: list[tuple[str, int, bool, RGBColor]]) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for i, (words, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _font(paragraph.add_run(), size, bold=bold, colour=colour)
        paragraph.runs[0].text = words


def _footer(slide, pack: dict) -> None:
    as_of, frozen = text.time(pack["data_as_of"]), text.time(pack["created_at"])
    words = f"{pack['filter_label']} · 数据最后更新 {as_of} · 冻结于 {frozen}"
    _text(slide, Inches(0.5), Inches(7.0), Inches(12.3), Inches(0.4), [(words, 12, False, GREY)])


def _figures(slide, numbers: list[dict]) -> None:
    shown = numbers[:5]
    width = Inches(12.3 / max(len(shown), 1))
    for i, n in enumerate(shown):
        lines = [(n["label"], 16, False, GREY), (figure_text(n), 32, True, INK)]
        if n.get("status"):
            lines.append((f"{STATUS_MARKS[n['status']]} {n['status_label']}", 16, True, STATUS_RGB[n["status"]]))
        if n.get("note"):
            lines.append((n["note"], 13, False, GREY))
        _text(slide, Inches(0.5) + width * i, Inches(1.25), width - Inches(0.15), Inches(1.9), lines)


def _chart(slide, chart: dict, top: Emu, height: Emu, left: Emu = MARGIN, width: Emu = FULL) -> None:
    if not chart["categories"]:
        return
    # the numbers the boards print: 万元 rounded half-up to two places, shares in percent points to one
    formats = {"pct": '0.0"%"', "wan": "#,##0.00"}
    data = CategoryChartData(number_format=formats.get(chart["kind"], "#,##0"))
    data.categories = chart["categories"]
    for i, series in enumerate(chart["series"]):
        data.add_series(series["name"], chart_numbers(chart, i))
    shape = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, left, top, width, height, data)
    plot = shape.chart
    plot.has_title = True
    plot.chart_title.text_frame.text = chart["title"]
    _font(plot.chart_title.text_frame.paragraphs[0].runs[0], 16, bold=True)
    plot.has_legend = len(chart["series"]) > 1
    if plot.has_legend:
        plot.legend.position, plot.legend.include_in_layout = XL_LEGEND_POSITION.TOP, False
        plot.legend.font.size, plot.legend.font.name = Pt(14), FONT
    plot.plots[0].has_data_labels = True
    labels = plot.plots[0].data_labels
    labels.font.size, labels.font.name = Pt(14), FONT
    labels.number_format, labels.number_format_is_linked = data.number_format, False
    plot.category_axis.tick_labels.font.size = Pt(14)
    plot.category_axis.tick_labels.font.name = FONT
    plot.value_axis.tick_labels.font.size = Pt(12)
    for series, colour in zip(plot.series, SERIES_RGB, strict=False):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = colour
    for point, colour in zip(plot.series[0].points, chart.get("colours") or [], strict=False):
        point.format.fill.solid()  # the category's own colour, as on the boards (a subsidy type, a level, a status)
        point.format.fill.fore_color.rgb = RGBColor.from_string(colour.lstrip("#").upper())


def meeting_deck(pack: dict) -> bytes:
    """The deck of a pack as returned by data_layer/queries/meeting.pack."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    blank = deck.slide_layouts[6]
    first = deck.slides.add_slide(blank)
    _text(
        first,
        Inches(0.8),
        Inches(2.3),
        Inches(11.7),
        Inches(3),
        [
            (pack["name"], 40, True, INK),
            (pack["filter_label"], 24, False, GREY),
            (
                f"数据最后更新 {text.time(pack['data_as_of'])}（会前冻结于 {text.time(pack['created_at'])}）",
                18,
                False,
                GREY,
            ),
        ],
    )
    for page in pack["figures"]["slides"]:
        slide = deck.slides.add_slide(blank)
        _text(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.8), [(page["title"], 30, True, INK)])
        _figures(slide, page["numbers"])
        if page.get("lines"):
            lines = [(f"· {line}", 15, False, INK) for line in page["lines"][:8]]
            _text(slide, Inches(0.5), Inches(3.2), Inches(6.2), Inches(3.7), lines)
            _chart(slide, page["chart"], Inches(3.2), Inches(3.7), left=Inches(6.9), width=Inches(5.9))
        else:
            _chart(slide, page["chart"], Inches(3.2), Inches(3.7))
        _footer(slide, pack)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
