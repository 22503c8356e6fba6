"""The Excel and CSV downloads: the shared layout (the filter, the period and the last change in Beijing time, a
frozen header, one page wide in print, totals only where named, no float noise), and each board view's workbook
opened with openpyxl and compared with plain SELECTs over the demo."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from data_layer import access, checks, views
from data_layer.domain import text
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.export import HEADER_ROW, Sheet, table_csv, to_csv, to_xlsx, workbook
from data_layer.queries import levy as levy_queries
from data_layer.queries import org
from data_layer.queries.publicity import LEVEL_LABELS
from pages.common.context import ViewContext
from pages.common.downloads import excel_bytes, file_name
from tests.conftest import rows
from tests.test_levy_queries import employer_years, expected_worklist, totals
from tests.test_other_work import expected as expected_indicators
from tests.test_pages import page_script

H1 = ("2023-01-01", "2023-06-30")
TODAY = date(2026, 11, 29)


H1_SPEC = FilterSpec(2023, "h1")


def context(url: str, spec: FilterSpec = H1_SPEC) -> ViewContext:
    return ViewContext(url, spec, make_scope(spec), TODAY, ("沂源县",), (), False)


def view_of(url: str, spec: FilterSpec = H1_SPEC) -> access.View:
    return access.view(url, None, spec, TODAY)


def sheets_of(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def body(lines: list[tuple]) -> list[dict]:
    """The rows under the header (the 合计 row included), as header → value."""
    header = lines[HEADER_ROW - 1]
    return [dict(zip(header, line, strict=True)) for line in lines[HEADER_ROW:]]


def by_first(lines: list[tuple]) -> dict:
    return {next(iter(r.values())): r for r in body(lines)}


# --- the shared layout -----------------------------------------------------------------------------------


def sample() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "乡镇（街道）": ["鲁村镇", "东里镇"],
            "人数（人）": [12, 30],
            "金额（万元）": [9.525999999999998, 0.1 + 0.2],
            "完成率": [0.5263, 0.25],
        }
    )


def test_the_as_of_line_is_beijing_time_and_the_period_its_own_line():
    data = to_xlsx(
        sample(),
        title="补贴发放",
        filter_label="2023年上半年 · 全县",
        period="2023年1月1日至2023年6月30日",
        taken_at=datetime(2026, 11, 29, 6, 14, tzinfo=UTC),  # the store's last write, in UTC
        totals=("人数（人）", "金额（万元）"),
        formats={"完成率": "pct"},
    )
    lines = sheets_of(data)["补贴发放"]
    assert [line[0] for line in lines[:4]] == [
        "补贴发放",
        "筛选：2023年上半年 · 全县",
        "期间：2023年1月1日至2023年6月30日",
        "数据最后更新：2026年11月29日 14:14（北京时间）",
    ]
    assert lines[HEADER_ROW - 1] == ("乡镇（街道）", "人数（人）", "金额（万元）", "完成率")


def test_totals_only_in_the_named_columns_and_formats_per_column():
    data = to_xlsx(
        sample(),
        title="补贴发放",
        filter_label="全县",
        taken_at=datetime(2026, 11, 29, 6, 14, tzinfo=UTC),
        totals=("人数（人）", "金额（万元）"),
        formats={"完成率": "pct"},
    )
    ws = load_workbook(io.BytesIO(data)).active
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "合计" and last[1] == 42 and last[2] == pytest.approx(9.826) and last[3] is None
    assert ws.cell(HEADER_ROW + 1, 3).value == 9.526  # no float noise in the cell either
    first = ws[HEADER_ROW + 1]
    assert [c.number_format for c in first[1:]] == ["#,##0", "#,##0.00", "0.0%"]
    everything = load_workbook(io.BytesIO(to_xlsx(sample(), title="x", filter_label="x", taken_at=None, totals=True)))
    ws = everything.active
    assert [c.value for c in ws[ws.max_row]][1:] == [42, pytest.approx(9.826), None]  # 完成率 is a rate
    with pytest.raises(ValueError, match="no such column"):
        to_xlsx(sample(), title="x", filter_label="x", taken_at=None, totals=("没有这一列",))


def test_frozen_header_and_a_print_setup_one_page_wide():
    wide = pd.DataFrame({f"第{i}列很长的表头（万元）": [1.5] for i in range(12)})
    data = workbook(
        [Sheet(sample(), "窄表", formats={"完成率": "pct"}), Sheet(wide, "宽表")],
        filter_label="全县",
        period=None,
        taken_at=None,
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["窄表", "宽表"]
    for ws in book.worksheets:
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert book["窄表"].page_setup.orientation == "portrait"
    assert book["宽表"].page_setup.orientation == "landscape"
    assert book["窄表"].column_dimensions["A"].width >= 2 * len("乡镇（街道）")  # Chinese text: two columns each


def test_the_csv_is_rounded_as_shown_with_units_in_the_header():
    text = to_csv(sample(), {"完成率": "pct"}).decode("utf-8-sig")
    assert "9.525999999999998" not in text and "0.30000000000000004" not in text
    lines = text.splitlines()
    assert lines[0] == "乡镇（街道）,人数（人）,金额（万元）,完成率（%）"
    assert lines[1:] == ["鲁村镇,12,9.53,52.6", "东里镇,30,0.30,25.0"]


def test_the_file_name_says_the_view_the_filter_and_the_day(demo_url):
    assert file_name(context(demo_url), "补贴发放", "xlsx") == "补贴发放_2023年上半年_全县_20261129.xlsx"


# --- each board view's workbook against plain SELECTs ----------------------------------------------------


def as_of_line(url: str) -> str:
    return f"数据最后更新：{text.as_of(org.last_write(url))}"


def check_heading(url: str, lines: list[tuple]) -> None:
    assert lines[1][0] == "筛选：2023年上半年 · 全县"
    assert lines[2][0] == "期间：2023年1月1日至6月30日"
    assert lines[3][0] == as_of_line(url)


def paid_h1(url: str) -> list[dict]:
    return rows(
        url,
        "SELECT d.id, d.amount_fen, d.recipients, d.township_id, t.name AS type, t.code, t.unit, t.payment "
        "FROM disbursement d JOIN subsidytype t ON t.id = d.type_id "
        "WHERE d.deleted_at IS NULL AND d.paid_date BETWEEN ? AND ?",
        H1,
    )


def articles_h1(url: str) -> list[dict]:
    return rows(
        url,
        "SELECT a.township_id, a.published_on, o.name AS outlet, o.level FROM article a "
        "JOIN outlet o ON o.id = a.outlet_id WHERE a.deleted_at IS NULL AND a.published_on BETWEEN ? AND ?",
        H1,
    )


def wan(fen: int) -> float:
    """A 万元 cell as the text module rounds it (half-up, two places)."""
    return float(text.wan_number(fen))


def book_of(board) -> dict[str, list[tuple]]:
    return sheets_of(excel_bytes(board))


def test_subsidies_workbook(demo_url):
    book = book_of(views.subsidies.build(view_of(demo_url), every_record=True))
    assert list(book) == ["主要指标", "分乡镇发放金额", "分乡镇惠及人（户）数", "逐月发放", "发放记录"]
    amounts = book["分乡镇发放金额"]
    check_heading(demo_url, amounts)
    paid = paid_h1(demo_url)
    names = {r["id"]: r["name"] for r in rows(demo_url, "SELECT id, name FROM township")}
    want = defaultdict(int)
    for r in paid:
        want[names.get(r["township_id"], "县本级")] += r["amount_fen"]
    table = by_first(amounts)
    for town, fen in want.items():
        assert table[town]["合计（万元）"] == wan(fen)
    # the 合计 row is summed from fen, then rounded once: never the sum of rounded cells
    assert table["合计"]["合计（万元）"] == wan(sum(r["amount_fen"] for r in paid)) == 121.58
    housing = sum(r["amount_fen"] for r in paid if r["code"] == "housing")
    assert table["合计"]["房屋修缮补助（万元）"] == wan(housing)
    months = by_first(book["逐月发放"])["合计"]
    assert months["金额（万元）"] == 121.58
    # the same households paid every month are not added up month after month; averages are not summed
    assert (
        months["人（户）数"] is None and months["人均实发（元）"] is None and months["人均应发（按标准，元）"] is None
    )
    records = body(book["发放记录"])  # every record (the screen lists the latest few hundred), then 合计
    assert sorted(int(r["编号"]) for r in records[:-1]) == sorted(r["id"] for r in paid)
    assert records[-1]["金额（元）"] == pytest.approx(sum(r["amount_fen"] for r in paid) / 100)
    assert records[-1]["人（户）数"] is None
    people = by_first(book["分乡镇惠及人（户）数"])["合计"]
    monthly_roll = defaultdict(int)  # a monthly subsidy's roll: the largest month of each township, counted once
    for r in paid:
        if r["payment"] == "monthly":
            monthly_roll[(r["type"], r["township_id"])] = max(
                monthly_roll[(r["type"], r["township_id"])], r["recipients"]
            )
    assert people["特困残疾人家庭生活补助（户）"] == sum(
        n for (t, _), n in monthly_roll.items() if t.startswith("特困")
    )
    assert people["特困残疾人家庭生活补助（户）"] == 300  # not 300 households × 6 months
    figures = by_first(book["主要指标"])
    assert (figures["惠及人数"]["数值"], figures["惠及户数"]["数值"]) == (2531, 350)
    csv = table_csv(views.subsidies.build(view_of(demo_url)).table("by_township")).decode("utf-8-sig")
    assert "9.526" not in csv and "9.53" in csv  # 历山街道's 9.525999999999998 万元 as the screen shows it


def test_overview_workbook(demo_url):
    lines = book_of(views.overview.build(view_of(demo_url)))["总览"]
    check_heading(demo_url, lines)
    figures = {(r["领域"], r["指标"]): r for r in body(lines)}
    paid = paid_h1(demo_url)
    assert figures[("社会保障补贴发放", "发放金额")]["数值"] == wan(sum(r["amount_fen"] for r in paid))
    assert figures[("信息宣传", "本期发表稿件")]["数值"] == len(articles_h1(demo_url))
    levels = Counter(r["level"] for r in articles_h1(demo_url))
    assert figures[("信息宣传", "国家级")]["数值"] == levels["national"]
    for area in ("三项重点工程", "按比例就业与残保金"):
        assert any(a == area for a, _ in figures), area
    assert {r["状态或说明"].split("；")[0] for r in body(lines) if r["指标"].endswith("完成进度")} <= {
        "正常",
        "滞后",
        "严重滞后",
        "无目标",
    }


def test_projects_workbook(demo_url):
    book = book_of(views.projects.build(view_of(demo_url)))
    assert list(book) == ["主要指标", "工程汇总", "各项指标", "乡镇×指标"]
    check_heading(demo_url, book["各项指标"])
    entries = rows(
        demo_url,
        "SELECT i.name AS item, i.measure, e.quantity, e.amount_fen FROM progressentry e "
        "JOIN projectitem i ON i.id = e.item_id JOIN project p ON p.id = i.project_id "
        "WHERE p.year = 2023 AND e.deleted_at IS NULL AND e.entry_date BETWEEN ? AND ?",
        H1,
    )
    done = defaultdict(float)
    for e in entries:
        done[e["item"]] += e["amount_fen"] / 100 if e["measure"] == "money" else e["quantity"]
    listed = body(book["各项指标"])
    for r in listed[:-1]:
        assert r["年初至期末累计"] == pytest.approx(done.get(r["指标"], 0)), r["指标"]
    last = listed[-1]
    assert last["工程"] == "合计" and last["资金（万元）"] == wan(sum(e["amount_fen"] for e in entries))
    assert last["年初至期末累计"] is None and last["完成进度"] is None  # units differ; rates never summed
    matrix = body(book["乡镇×指标"])
    status = [v for r in matrix for k, v in r.items() if k.endswith("状态")]
    assert status and set(status) <= {"正常", "滞后", "严重滞后", "无目标", None}


def test_levy_workbook(demo_url):
    v = view_of(demo_url)
    book = book_of(views.levy.build(v, everything=True))
    overdue = expected_worklist(demo_url, v.scope, v.today)
    kinds = [k for k in levy_queries.WORKLIST_KINDS if overdue.get(k)]
    assert len(kinds) >= 4  # the demo has most kinds of overdue item
    worklist = [f"待办-{levy_queries.WORKLIST_KINDS[k]}" for k in kinds]
    assert list(book) == ["主要指标", "四项比率", "分乡镇", "分企业规模", *worklist]
    for kind, name in zip(kinds, worklist, strict=True):  # every item, not the screen's first few hundred
        listed = body(book[name])
        if kind == "unpaid":
            *listed, total = listed
            assert total["尚欠金额（元）"] == pytest.approx(sum(overdue[kind].values()) / 100)
            assert sorted(r["尚欠金额（元）"] * 100 for r in listed) == pytest.approx(sorted(overdue[kind].values()))
        assert len(listed) == len(overdue[kind]), kind
    check_heading(demo_url, book["分乡镇"])
    want = totals(employer_years(demo_url, v.scope))
    county = by_first(book["分乡镇"])["合计"]
    assert county["登记单位（家）"] == want["registered"]
    assert county["已通过（家）"] == want["meets"] + want["owes"]
    assert county["已检查（家）"] == want["inspected"]
    assert county["已征收（元）"] == pytest.approx(want["collected_fen"] / 100)
    rate = county["检查覆盖率"]  # the whole's rate, as a share rounded as the page prints it (52.6% → 0.526)
    assert rate == float(text.pct_number(want["inspected"] / want["registered"])) / 100
    sizes = body(book["分企业规模"])
    assert sizes[-1]["企业规模"] == "合计" and sizes[-1]["检查覆盖率"] == rate  # computed over all, not summed
    assert sizes[-1]["登记单位（家）"] == sum(r["登记单位（家）"] for r in sizes[:-1])
    ratios = by_first(book["四项比率"])
    assert ratios["检查覆盖率"]["比率"] == rate


def test_publicity_workbook(demo_url):
    book = book_of(views.publicity.build(view_of(demo_url)))
    assert list(book) == ["主要指标", "按级别", "按媒体", "按月份", "按乡镇"]
    check_heading(demo_url, book["按级别"])
    found = articles_h1(demo_url)
    levels = by_first(book["按级别"])
    for level, n in Counter(r["level"] for r in found).items():
        assert levels[LEVEL_LABELS[level]]["本期稿件（篇）"] == n
    assert levels["合计"]["本期稿件（篇）"] == len(found)
    assert {r["状态"] for r in levels.values()} <= {"正常", "滞后", "严重滞后", "无目标"}
    outlets = by_first(book["按媒体"])
    for outlet, n in Counter(r["outlet"] for r in found).items():
        assert outlets[outlet]["本期稿件（篇）"] == n
    assert outlets["合计"]["本期稿件（篇）"] == len(found)
    months = by_first(book["按月份"])
    for month, n in Counter(r["published_on"][:7] for r in found).items():
        assert months[f"{month[:4]}年{int(month[5:])}月"]["合计（篇）"] == n
    assert months["合计"]["合计（篇）"] == len(found)
    towns = by_first(book["按乡镇"])
    names = {r["id"]: r["name"] for r in rows(demo_url, "SELECT id, name FROM township WHERE active")}
    per_town = Counter(names[r["township_id"]] for r in found if r["township_id"] in names)
    for town in names.values():
        assert towns[town]["本期稿件（篇）"] == per_town[town]
    county_wide = sum(r["township_id"] is None for r in found)
    assert county_wide and towns["县本级"]["本期稿件（篇）"] == county_wide  # the county's own articles have a row
    assert towns["合计"]["本期稿件（篇）"] == len(found)  # so the township sheet adds up to the period's articles
    assert towns["合计"]["完成"] is None


def test_other_work_workbook(demo_url):
    lines = book_of(views.other_work.build(view_of(demo_url)))["其他工作"]
    check_heading(demo_url, lines)
    want = expected_indicators(demo_url, date(2023, 1, 1), date(2023, 6, 30), date(2022, 1, 1), date(2022, 6, 30), None)
    names = {r["code"]: r["name"] for r in rows(demo_url, "SELECT code, name FROM indicator")}
    shown = {r["指标"]: r for r in body(lines)}
    assert len(shown) == len(names)
    for code, (value, count, last, last_count, _) in want.items():
        assert shown[names[code]]["本期"] == (value if count else None), code
        assert shown[names[code]]["2022年同期"] == (last if last_count else None), code


def test_quality_and_sources_workbooks(demo_url):
    ctx = context(demo_url)
    lines = book_of(views.quality.build(view_of(demo_url)))["数据质量"]
    assert [line[0] for line in lines[1:4]] == [
        "筛选：全部数据（不受年度、期间和乡镇筛选）",
        "期间：不分期间（见各行）",
        as_of_line(demo_url),
    ]
    assert file_name(ctx, "数据质量", "xlsx", filtered=False) == "数据质量_20261129.xlsx"
    found = checks.findings(demo_url)
    assert len(body(lines)) == len(found) and lines[0][0] == f"数据质量检查发现：共 {len(found)} 条"
    assert [r["记录"] for r in body(lines)] == list(found["record"])
    assert "查看" not in lines[HEADER_ROW - 1]  # the link that opens a record stays on screen
    lines = book_of(views.sources.build(view_of(demo_url)))["数据来源"]
    figures = rows(demo_url, "SELECT item, value_used FROM seedfigure")
    assert len(body(lines)) == len(figures)
    wheelchairs = next(r for r in body(lines) if r["事项"] == "捐赠轮椅")
    assert (wheelchairs["原文数值"], wheelchairs["采用值"]) == ("20230", 200)


@pytest.mark.parametrize(
    "module", ["overview", "projects", "subsidies", "levy", "publicity", "other_work", "quality", "sources"]
)
def test_every_board_view_draws_its_excel_button(module, demo_url):
    at = AppTest.from_string(page_script(module, demo_url), default_timeout=60)
    at.query_params["year"], at.query_params["period"] = "2023", "h1"
    at.run()
    assert not at.exception, at.exception
    excel = [b.proto for b in at.get("download_button") if b.proto.label == "下载 Excel"]
    assert len(excel) == 1
    assert excel[0].deferred_file_id and excel[0].ignore_rerun  # built when clicked; no rerun before the audience
