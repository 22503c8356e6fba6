"""A city's counties side by side: the demo county and a second county seeded the same way, each county's figures
against plain SELECTs over its rows, and the overview's 各县（区）对比 for a store with more than one county."""

from __future__ import annotations

import random
import re
from collections import defaultdict

import pytest
from streamlit.testing.v1 import AppTest

from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.infra.cache import clear_reads
from data_layer.infra.db import session_scope
from data_layer.queries import counties, levy
from seeds.demo import seed_county
from seeds.reference import SharedRefs, load_county, load_publicity_targets
from tests.conftest import rows
from tests.test_pages import page_script, read_tables

H1 = ("2023-01-01", "2023-06-30")


def add_county(url: str, code: str, towns: list[str]) -> str:
    """示范县 beside the demo county: ``towns`` (…镇 or …街道), the demo's shape at 0.8 of its size."""
    shared = SharedRefs(  # the store's own subsidy types, outlets and indicators, as the demo seed made them
        {r["code"]: r["id"] for r in rows(url, "SELECT id, code FROM subsidytype")},
        {r["name"]: r["id"] for r in rows(url, "SELECT id, name FROM outlet")},
        {r["code"]: r["id"] for r in rows(url, "SELECT id, code FROM indicator")},
    )
    with session_scope(url) as session:
        kinds = [{"name": t, "kind": "街道" if t.endswith("街道") else "镇"} for t in towns]
        refs = load_county(session, name="示范县", code=code, townships=kinds, sort_order=1, target_factor=0.8)
        load_publicity_targets(session, refs.county_id, 0.8)
        seed_county(session, refs, shared, random.Random(7), 0.8, code)
    clear_reads()
    return url


@pytest.fixture
def city_url(demo_url) -> str:
    """The demo county and 示范县 (another prefecture's: a province's store)."""
    return add_county(demo_url, "371999", ["示范第1镇", "示范第2镇", "示范第3镇", "示范街道"])


@pytest.fixture
def twins_url(demo_url) -> str:
    """The demo county and 示范县 of the same city, two of whose townships have names the demo county's have."""
    return add_county(demo_url, "370399", ["鲁村镇", "示范第2镇", "南麻街道"])


def project_means(url: str) -> dict[int, float]:
    """Per county: the mean over projects of the mean item completion (items with a target), 2023 to 30 June."""
    items = rows(
        url,
        "SELECT p.county_id, p.code, i.id, i.annual_target, i.measure FROM projectitem i "
        "JOIN project p ON p.id = i.project_id WHERE p.year = 2023 AND i.annual_target > 0",
    )
    entries = rows(
        url,
        "SELECT item_id, quantity, amount_fen FROM progressentry WHERE deleted_at IS NULL "
        "AND entry_date BETWEEN ? AND ?",
        H1,
    )
    done = defaultdict(float)
    measure = {i["id"]: i["measure"] for i in items}
    for e in entries:
        done[e["item_id"]] += e["amount_fen"] / 100 if measure.get(e["item_id"]) == "money" else e["quantity"]
    by_project = defaultdict(list)
    for i in items:
        by_project[(i["county_id"], i["code"])].append(done[i["id"]] / i["annual_target"])
    by_county = defaultdict(list)
    for (county, _), rates in by_project.items():
        by_county[county].append(sum(rates) / len(rates))
    return {c: sum(m) / len(m) for c, m in by_county.items()}


def test_each_countys_figures_are_its_rows(city_url):
    scope = make_scope(FilterSpec(2023, "h1"))
    got = counties.by_county(city_url, scope)
    assert list(got["county"]) == ["沂源县", "示范县"] and list(got["townships"]) == [13, 4]
    means = project_means(city_url)
    for r in got.itertuples():
        paid = rows(
            city_url,
            "SELECT COALESCE(SUM(amount_fen), 0) AS n FROM disbursement WHERE county_id = ? AND deleted_at IS NULL "
            "AND paid_date BETWEEN ? AND ?",
            (r.county_id, *H1),
        )[0]["n"]
        written = rows(
            city_url,
            "SELECT COUNT(*) AS n FROM article WHERE county_id = ? AND deleted_at IS NULL "
            "AND published_on BETWEEN ? AND ?",
            (r.county_id, *H1),
        )[0]["n"]
        task = rows(city_url, "SELECT task_fen FROM levyyear WHERE county_id = ? AND year = 2023", (r.county_id,))
        assert (r.subsidy_fen, r.articles) == (paid, written)
        assert r.projects_completion == pytest.approx(means[r.county_id])
        assert r.task_fen == (task[0]["task_fen"] if task else None)
        one = levy.summary(city_url, make_scope(FilterSpec(2023, "h1"), county_ids=[r.county_id])).iloc[0]
        assert r.collected_fen == one["collected_fen"]  # the levy page's own figure for that county alone
        assert r.inspection_rate == pytest.approx(one["inspection_rate"])
    assert got["subsidy_fen"].sum() > got["subsidy_fen"].iloc[0] > 0  # the second county paid too


def test_the_overview_compares_the_counties_when_the_store_has_more_than_one(city_url):
    at = AppTest.from_string(page_script("overview", city_url), default_timeout=60)
    at.query_params["year"], at.query_params["period"] = "2023", "h1"
    at.run()
    assert not at.exception, at.exception
    assert "各县（区）对比" in [s.value for s in at.subheader]
    table = next(d for d in at.dataframe if "县（区）" in d.value.columns).value
    assert list(table["县（区）"]) == ["沂源县", "示范县"]


def test_a_whole_citys_work_report_is_not_compared_with_one_countys_printed_report(city_url):
    """The office's report is the home county's: a city-wide draft flags no “原报告印为”, the county's own does."""
    from data_layer.queries.work_report import build_draft

    def flagged(scope) -> list[str]:
        got = build_draft(city_url, scope, title_unit="", filter_label="", period_words="2023年上半年")
        return [f.metric for f in got.facts if f.flag.startswith("原报告印为")]

    home = rows(city_url, "SELECT id FROM county WHERE name = '沂源县'")[0]["id"]
    assert flagged(make_scope(FilterSpec(2023, "h1"))) == []
    assert "articles.total" in flagged(make_scope(FilterSpec(2023, "h1"), county_ids=[home]))


@pytest.mark.parametrize(
    ("module", "section"),
    [("subsidies", "分乡镇、分类型发放金额（万元）"), ("publicity", "按乡镇：报送任务与完成"), ("levy", "分乡镇")],
)
def test_a_chart_of_more_townships_than_a_screen_holds_asks_for_a_county_instead(
    city_url, monkeypatch, module, section
):
    """A province's 1,800 township bars cannot be read and took the browser more than half a minute to draw: over
    the limit the section names the count and how to narrow it (here the limit is lowered to the test store's)."""
    from pages.common import ui

    def charts_of(at) -> int:
        return len(at.get("plotly_chart"))

    at = AppTest.from_string(page_script(module, city_url), default_timeout=60)
    at.query_params["year"], at.query_params["period"] = "2023", "h1"
    at.run()
    assert not at.exception and section in [s.value for s in at.subheader]
    shown = charts_of(at)
    monkeypatch.setattr(ui, "TOWNSHIPS_ON_A_CHART", 15)  # the two counties hold 17 townships
    at = AppTest.from_string(page_script(module, city_url), default_timeout=60)
    at.query_params["year"], at.query_params["period"] = "2023", "h1"
    at.run()
    assert not at.exception
    told = [i.value for i in at.info if "个乡镇（街道）" in i.value]
    assert len(told) == 1 and told[0].endswith("逐个乡镇的图表请先在筛选中选择一个县（区）；各县（区）对比见总览。")
    assert int(re.search(r"共有 (\d+) 个乡镇", told[0]).group(1)) > 15  # the section's townships (with rows)
    assert charts_of(at) <= shown  # the township chart (where the section has one) is not drawn


def test_many_campaigns_are_one_table_naming_each_county(city_url, monkeypatch):
    """A province's 140 campaigns had drawn 140 daily charts (13 s a visit): more than a few become one table."""
    from data_layer.views import levy as levy_board

    monkeypatch.setattr(levy_board, "CAMPAIGNS_DRAWN", 1)  # the test store's two counties have one campaign each
    at = AppTest.from_string(page_script("levy", city_url), default_timeout=60)
    at.query_params["year"], at.query_params["period"] = "2023", "h1"
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "检查活动" in d.value.columns)
    assert list(table["县（区）"]) == ["沂源县", "示范县"]
    assert "共 2 次专项检查；逐日检查进度图请先在筛选中选择一个县（区）。" in [c.value for c in at.caption]


def test_a_store_of_several_counties_heads_the_overview_with_its_office(city_url, monkeypatch):
    """The demo county and 示范县 (371999: another prefecture) make a province's store: 省残联工作总览, 全省."""
    from tests.test_pages import run_app

    at = run_app(city_url, monkeypatch, year="2023", period="h1")
    assert not at.exception, at.exception
    assert at.title[0].value == "省残联工作总览"
    assert "2023年上半年 · 全省" in at.markdown[0].value
    assert at.multiselect(key="f_townships").placeholder == "全省（全部乡镇）"


def test_a_report_and_a_download_of_the_whole_store_name_its_office(city_url):
    """A province's store (see above): the work report of the whole store is the province's (省委、省政府, 全省 N 个
    乡镇), one county's is the county's; the overview's workbook is headed like the page, 省残联工作总览."""
    from datetime import date

    from data_layer import access
    from data_layer.queries.work_report import build_draft
    from data_layer.views import overview
    from pages.common.context import ViewContext
    from pages.work_report import reporter

    def report(*counties: str) -> tuple[str, str]:
        spec = FilterSpec(2023, "h1", counties=counties)
        ids = [rows(city_url, f"SELECT id FROM county WHERE name = '{name}'")[0]["id"] for name in counties]
        ctx = ViewContext(city_url, spec, make_scope(spec, county_ids=ids), date(2023, 7, 1), counties, (), True)
        draft = build_draft(city_url, ctx.scope, title_unit=reporter(ctx), filter_label="", period_words="")
        body = "".join(p.text for p in draft.paragraphs)
        return draft.title, re.search(r"在(.+?)的正确领导", body)[1] + " " + re.search(
            r"。([^。\d]+)\d+个镇（街道）均有", body
        )[1]

    assert report() == ("省残疾人联合会工作总结", "省委、省政府 全省")
    assert report("沂源县") == ("沂源县残疾人联合会工作总结", "县委、县政府 全县")
    assert report("沂源县", "示范县") == ("沂源县、示范县残联工作总结", "各级党委、政府 所选县区")
    board = overview.build(access.view(city_url, None, FilterSpec(2023, "h1"), date(2023, 7, 1)))
    assert board.sheets()[0].title == "省残联工作总览"


def test_the_whole_store_is_called_what_its_counties_make_it():
    """全县 for one county; 全市 when every county's 行政区划代码 shares its prefecture (the first four digits);
    else 全省 — the label of an unfiltered view and of the county filter."""
    import pandas as pd

    from data_layer.queries.org import whole_area

    def called(*codes: str) -> str:
        return whole_area(pd.DataFrame({"code": list(codes)}))

    assert called("370323") == "全县"
    assert called("370323", "370304", "370305") == "全市"
    assert called("370323", "371102") == "全省"


# the lists read with a limit: table, its date, the column compared, its heading on screen
LISTED = {
    "subsidies": ("disbursement", "paid_date", "id", "编号"),
    "publicity": ("article", "published_on", "title", "标题"),
}


@pytest.mark.parametrize(
    ("module", "kind", "everything"),
    [("subsidies", "条", "“下载 Excel”"), ("levy", "项", "“下载 Excel”"), ("publicity", "篇", "下方的“信息报送台账”")],
)
def test_a_list_longer_than_a_screen_shows_its_first_rows_and_says_where_the_rest_are(
    city_url, monkeypatch, module, kind, everything
):
    """A province's period holds tens of thousands of disbursements and 待办 (3–15 s a visit to send them all):
    the grid gets the first ROWS_ON_SCREEN (here lowered to 5), the caption the count and where the rest are."""
    from data_layer.views import common

    monkeypatch.setattr(common, "ROWS_ON_SCREEN", 5)
    at = AppTest.from_string(page_script(module, city_url), default_timeout=60)
    at.query_params["year"], at.query_params["period"] = "2023", "h1"
    at.run()
    assert not at.exception, at.exception
    told = [c.value for c in at.caption if "这里列出排在最前的 5 " in c.value]
    assert told and all(t.endswith(f"全部见{everything}。") for t in told)
    grids = [d.value for d in at.dataframe if len(d.value) == 5] + [t for t in read_tables(at) if len(t) == 5]
    assert len(grids) >= len(told)
    if module in LISTED:
        table, day, column, shown_as = LISTED[module]
        where = f"FROM {table} WHERE deleted_at IS NULL AND {day} BETWEEN ? AND ?"
        total = rows(city_url, f"SELECT COUNT(*) AS n {where}", H1)[0]["n"]
        assert told == [f"共 {total:,} {kind}，这里列出排在最前的 5 {kind}；全部见{everything}。"]
        newest = rows(city_url, f"SELECT {column} {where} ORDER BY {day} DESC, id DESC LIMIT 5", H1)
        listed = next(t for t in grids if shown_as in t.columns)
        assert list(listed[shown_as]) == [str(r[column]) for r in newest]
    if module == "publicity":
        assert "县（区）" in listed.columns  # township names repeat across counties
    if module == "levy":  # each overdue item names its county, as its employer is registered
        county = {r["name"]: r["county"] for r in rows(city_url, EMPLOYER_COUNTIES)}
        for grid in (g for g in grids if "单位" in g.columns):
            assert all(county[e] == c for e, c in zip(grid["单位"], grid["县（区）"], strict=True))


EMPLOYER_COUNTIES = "SELECT e.name, c.name AS county FROM employer e JOIN county c ON c.id = e.county_id"


TWINS = ["鲁村镇（沂源县）", "鲁村镇（示范县）", "南麻街道（沂源县）", "南麻街道（示范县）"]


def test_townships_of_one_name_in_two_counties_are_told_apart(twins_url, monkeypatch):
    """Two counties of a city each have a 鲁村镇: each is labelled with its county wherever a township is named
    (the filter, the URL, township tables and the downloads), so neither hides the other nor breaks a page."""
    from datetime import date

    from data_layer import access
    from data_layer.queries import org
    from data_layer.views import levy, overview, projects, publicity, subsidies
    from pages.common.downloads import excel_bytes
    from tests.test_pages import run_app

    towns = org.townships(twins_url)
    assert set(TWINS) <= set(towns["label"]) and towns["label"].is_unique
    assert "东里镇" in set(towns["label"]) and "示范第2镇" in set(towns["label"])  # a name of its own stays bare

    at = run_app(twins_url, monkeypatch, year="2023", period="h1", township="鲁村镇（示范县）")
    assert "2023年上半年 · 鲁村镇（示范县）" in at.markdown[0].value
    assert set(TWINS) <= set(at.multiselect(key="f_townships").options)
    ctx = at.session_state["view_context"]
    twin = rows(
        twins_url,
        "SELECT t.id FROM township t JOIN county c ON c.id = t.county_id WHERE t.name = '鲁村镇' AND c.name = '示范县'",
    )[0]["id"]
    assert ctx.scope.township_ids == (twin,)

    for module in ("overview", "projects", "subsidies", "levy", "publicity"):
        page = AppTest.from_string(page_script(module, twins_url), default_timeout=60)
        page.query_params["year"], page.query_params["period"] = "2023", "h1"
        page.run()
        assert not page.exception, (module, page.exception)

    whole = access.view(twins_url, None, FilterSpec(2023, "h1"), date(2023, 7, 1))
    for board in (overview, projects, levy, publicity):
        excel_bytes(board.build(whole))
    amounts = subsidies.build(whole).table("by_township").rows.set_index("乡镇（街道）")
    paid = rows(
        twins_url,
        "SELECT t.name || '（' || c.name || '）' AS label, SUM(d.amount_fen) AS fen FROM disbursement d "
        "JOIN township t ON t.id = d.township_id JOIN county c ON c.id = t.county_id "
        "WHERE d.deleted_at IS NULL AND d.paid_date BETWEEN ? AND ? GROUP BY t.id, t.name, c.name",
        H1,
    )
    for r in paid:
        if r["label"] in TWINS:  # each county's own 鲁村镇, not the two added up
            assert amounts.loc[r["label"], "合计（万元）"] == r["fen"], r["label"]


def test_an_officer_account_names_which_of_two_townships_of_one_name(twins_url, monkeypatch, capsys):
    """``python -m data_layer user add --township 鲁村镇`` in a store with two 鲁村镇 is refused, naming both labels;
    the label picks out one."""
    from data_layer.__main__ import main

    monkeypatch.setenv("DATABASE_URL", twins_url)
    officer = ["user", "add", "--role", "township", "--password", "lucun-2024", "--username"]
    assert main([*officer, "lucun2", "--township", "鲁村镇"]) == 1
    assert (
        "有 2 个乡镇（街道）叫“鲁村镇”，请写明是哪一个：鲁村镇（沂源县）、鲁村镇（示范县）" in capsys.readouterr().err
    )
    assert rows(twins_url, "SELECT id FROM account WHERE username = 'lucun2'") == []
    assert main([*officer, "lucun2", "--township", "<b>鲁村镇</b>"]) == 1
    assert "没有叫“<b>鲁村镇</b>”的乡镇（街道）" in capsys.readouterr().err
    assert main([*officer, "lucun2", "--township", "鲁村镇（示范县）"]) == 0
    got = rows(
        twins_url,
        "SELECT c.name FROM account a JOIN township t ON t.id = a.township_id JOIN county c ON c.id = t.county_id "
        "WHERE a.username = 'lucun2'",
    )
    assert got == [{"name": "示范县"}]
