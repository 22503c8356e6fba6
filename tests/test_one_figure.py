"""One figure, one way: for each board and three filters, every figure reads the same on the page, the meeting
slide, the deck's chart, the Excel cell and the Word draft's sentence — amounts on the rounding edge included
(10,050 元 is 1.01 万元 everywhere, 10,049 元 is 1.00 万元, an average of 500.5 分 is 5.01 元)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import docx
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from data_layer import access
from data_layer.documents.meeting_deck import meeting_deck
from data_layer.documents.work_report_docx import report_docx
from data_layer.domain import text
from data_layer.domain.scope import FilterSpec
from data_layer.export import HEADER_ROW
from data_layer.queries.work_report import build_draft
from data_layer.services import subsidies as subsidy_service
from data_layer.services.records import services_for
from data_layer.views import levy, other_work, overview, projects, publicity, subsidies
from data_layer.views.meeting import slides
from pages.common.downloads import excel_bytes
from tests.conftest import ENGINES, _store, person, rows
from tests.test_pages import metrics, page_script

TODAY = date(2026, 11, 29)
STAFF = person("科员", "staff")
ADMIN = person("管理员")
FILTERS = {
    "全县 2023 上半年": FilterSpec(2023, "h1"),
    "鲁村镇 2023 Q2": FilterSpec(2023, "q2", townships=("鲁村镇",)),
    "2023 全年": FilterSpec(2023),
}
EDGE = {  # a subsidy type of its own per edge case: its figure is the edge amount alone
    "edge_up": ("测试补贴甲", 1, 1_005_000, "1.01 万元"),  # 10,050 元: half-up (half-even and floats said 1.00)
    "edge_down": ("测试补贴乙", 1, 1_004_900, "1.00 万元"),  # 10,049 元
    "edge_half_fen": ("测试补贴丙", 2, 1_001, "0.00 万元"),  # 10.01 元 for two: 500.5 分 each, 5.01 元 (not 5.00)
}


@pytest.fixture(params=ENGINES)
def edge_url(request, tmp_path) -> str:
    """The demo, with three subsidies paid in 鲁村镇 in May 2023 whose amounts sit on the rounding edge."""
    url = _store(request, tmp_path, "demo")
    county = rows(url, "SELECT id FROM county ORDER BY id")[0]["id"]
    lucun = rows(url, "SELECT id FROM township WHERE name = '鲁村镇'")[0]["id"]
    for code, (name, recipients, fen, _) in EDGE.items():
        type_id = subsidy_service.create_subsidy_type(
            db_url=url, actor=ADMIN, code=code, name=name, unit="person", payment="one_off", standard_basis="payment"
        )
        services_for(subsidy_service.DISBURSEMENT).create(
            db_url=url,
            actor=ADMIN,
            confirm=True,
            warning_note="测试：金额落在舍入边界",
            values=dict(
                type_id=type_id,
                county_id=county,
                township_id=lucun,
                month_from=date(2023, 5, 1),
                month_to=date(2023, 5, 1),
                recipients=recipients,
                paid_date=date(2023, 5, 20),
                standard_fen=fen // recipients,
                amount_fen=fen,
            ),
        )
    return url


def figures_sheet(board) -> dict[str, float | None]:
    """The Excel download's figures: label → the cell's number."""
    book = load_workbook(io.BytesIO(excel_bytes(board)))
    sheet = book["总览"] if "总览" in book.sheetnames else book["主要指标"]
    lines = list(sheet.iter_rows(values_only=True))
    header = lines[HEADER_ROW - 1]
    return {r[header.index("指标")]: r[header.index("数值")] for r in lines[HEADER_ROW:]}


def page_numbers(url: str, module: str, spec: FilterSpec) -> dict[str, str]:
    at = AppTest.from_string(page_script(module, url, who="科员", role="staff"), default_timeout=60)
    for key, value in spec_params(spec).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, (module, at.exception)
    return metrics(at)


def spec_params(spec: FilterSpec) -> dict:
    from data_layer.domain.scope import to_params

    return to_params(spec)


def spoken(f) -> str:
    """How the page's big number reads a figure: digits and the small unit."""
    return f"{f.digits} {f.shown_unit}".strip()


BOARDS = {"overview": overview, "subsidies": subsidies, "levy": levy, "publicity": publicity}
ON_PAGE = {  # the big numbers each page draws: figure key → its label on the page
    "overview": {"paid": "发放金额", "collected": "已征收", "articles": "发表稿件"},
    "subsidies": {"paid": "发放金额", "payments": "发放笔数"},
    "levy": {f"ratio:{k}": label for k, label in (("review", "年审完成率"), ("inspection", "检查覆盖率"))},
    "publicity": {"articles": "本期发表稿件", "level:national": "国家级", "level:county": "县级"},
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_one_figure_reads_the_same_on_the_page_slide_deck_workbook_and_report(edge_url, name):
    spec = FILTERS[name]
    view = access.view(edge_url, STAFF, spec, TODAY)
    boards = {key: module.build(view) for key, module in BOARDS.items()}
    boards["projects"], boards["other_work"] = projects.build(view), other_work.build(view)

    # the page draws the board's figure in the board's words
    for module, shown in ON_PAGE.items():
        page = page_numbers(edge_url, module, spec)
        for key, label in shown.items():
            assert page[label] == spoken(boards[module].figure(key)), (module, key)

    # the Excel download holds the number the figure prints, for every figure of every board
    for key, board in boards.items():
        if not board.figures:  # 其他工作: tables only
            continue
        cells = figures_sheet(board)
        for f in board.figures:
            label = f.label
            want = None if f.number is None else float(f.number)
            assert cells[label] == want, (key, label)

    # the slides are the boards' figures, in their words; the deck's charts plot the numbers they print
    pack = slides(view)
    by_key = {f.key: f for board in boards.values() for f in board.figures}
    for slide in pack["slides"]:
        for n in slide["numbers"]:
            if n["key"] in by_key:
                assert n["text"] == by_key[n["key"]].text, (slide["key"], n["key"])
    deck = Presentation(
        io.BytesIO(
            meeting_deck(
                {"name": "会", "filter_label": view.label(), "data_as_of": None, "created_at": None, "figures": pack}
            )
        )
    )
    plots = [s.chart.plots[0] for page in list(deck.slides)[1:] for s in page.shapes if s.has_chart]
    drawn = [s for s in pack["slides"] if s["chart"]["categories"]]
    for plot, slide in zip(plots, drawn, strict=True):
        for got, series in zip(plot.series, slide["chart"]["series"], strict=True):
            assert list(got.values) == series["numbers"], slide["key"]
    subsidy_chart = subsidies.headline_parts(view)[1]
    deck_subsidies = next(s for s in drawn if s["key"] == "subsidies")["chart"]
    assert deck_subsidies["series"][0]["numbers"] == subsidy_chart.series[0].numbers
    assert deck_subsidies["series"][0]["texts"] == subsidy_chart.series[0].texts

    # the Word draft says the board's amounts, rounded the same way (a report's style: no space, no trailing 0)
    scope = view.scope
    draft = build_draft(
        edge_url, scope, title_unit="沂源县残疾人联合会", filter_label=view.label(), period_words=spec.label()
    )
    words = "".join(p.text for p in docx.Document(io.BytesIO(report_docx(draft))).paragraphs)
    amounts = {f.metric.split(":", 1)[1]: f for f in draft.facts if f.metric.startswith("disb.amount:")}
    paid_types = [f for f in boards["subsidies"].figures if f.key.startswith("type:")]
    assert paid_types and len(amounts) == len(paid_types)
    for figure in paid_types:
        fact = amounts[figure.key.split(":", 1)[1]]
        assert fact.text in words
        if fact.text.endswith("万元"):
            assert Decimal(fact.text.removesuffix("万元")) == figure.number, figure.label
        else:
            assert Decimal(fact.text.removesuffix("元")) * 100 == int(figure.value), figure.label
    total = next(f for f in draft.facts if f.metric == "articles.total")
    assert int(total.value) == boards["publicity"].figure("articles").value


@pytest.mark.parametrize("name", list(FILTERS))
def test_amounts_on_the_rounding_edge(edge_url, name):
    spec = FILTERS[name]
    view = access.view(edge_url, STAFF, spec, TODAY)
    board = subsidies.build(view)
    in_period = spec.period in ("all", "q2")  # paid on 20 May 2023: in Q2 and the whole year, and H1
    for code, (type_name, _recipients, fen, words) in EDGE.items():
        figure = board.figure(f"type:{code}")
        assert figure.text == words and figure.value == fen
        cells = figures_sheet(board)
        assert cells[type_name] == float(text.wan_number(fen))
        townships = board.table("by_township")
        assert townships.total_row()[f"{type_name}（万元）"] == fen
    months = board.table("by_month").rows
    half = months[months["补贴类型"] == "测试补贴丙"]
    assert text.yuan(half["人均实发（元）"].iloc[0]) == "5.01 元"  # 500.5 分, half-up
    assert in_period or spec.period == "h1"
