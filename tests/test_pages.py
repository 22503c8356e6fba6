"""Pages through AppTest: the frame with its URL filter, every page on the demo and on an empty store."""

from __future__ import annotations

import base64
import html
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_layer.domain import text
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.queries import publicity, subsidies
from pages.common.context import today_in_china
from pages.common.navigation import PAGES
from tests.conftest import ENGINES, rows
from tests.test_levy_queries import employer_years, expected_ratios, expected_worklist, totals

REPO = Path(__file__).resolve().parent.parent
ENTRY = str(REPO / "pages" / "common" / "frame.py")  # the Streamlit script dashboard.py serves
PAGE_MODULES = [page.module for page in PAGES]


def run_app(url: str, monkeypatch, **params: str | list[str]) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(ENTRY, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


BIG = re.compile(
    r'class="label">(.*?)</div><div class="value">(.*?)<small>(.*?)</small></div>'
    r'(?:<div class="note">(.*?)</div>)?'
)


def metrics(at: AppTest) -> dict[str, str]:
    """The big numbers (label → value and unit, and label+“说明” → the note under it)."""
    shown = {m.label: m.value for m in at.metric}
    for element in at.get("html"):
        for label, value, unit, note in BIG.findall(element.proto.body):
            shown[label] = f"{value} {unit}".strip()
            shown[label + "说明"] = html.unescape(note)
    return shown


def test_overview_shows_the_report_figures_for_2023_h1(demo_url, monkeypatch):
    at = run_app(demo_url, monkeypatch, year="2023", period="h1")
    assert at.title[0].value == "县残联工作总览"
    assert "2023年上半年 · 全县" in at.markdown[0].value and "演示数据" in at.markdown[0].value
    shown = metrics(at)
    # 54,000 + 531,000 + 6,760 + 300,000 + 324,000 元 = 121.576 万元;
    # 885 低保重度 + 26 燃油 + 1,620 新农保 people; 300 特困 + 50 房屋修缮 households
    assert shown["发放金额"] == "121.58 万元"
    assert shown["发放金额说明"] == "惠及 2,531 人 · 350 户"
    assert shown["发表稿件"] == "72 篇"  # 13+3+4+15+6+20+11, as recorded per outlet
    # Levy: by 30 June no review was finished and nothing collected; a notice is not coverage (was “100.0%”).
    assert shown["已征收"] == "0.00 万元"
    assert shown["已征收说明"] == "征收任务 7,356.00 万元 · 2023年度"
    bars = chart_bars(at, "overview_levy")
    # a chart plots the number the page prints: 1530 ÷ 1536 = 99.609…% drawn as 99.6
    assert bars == {"年审完成率": 0, "检查覆盖率": 99.6, "达标率": 0, "征收完成率": 0}
    assert "达标率“—”：截至期末没有审核通过的非免征单位" in at.caption[-1].value
    assert chart_bars(at, "overview_publicity") == {"国家级": 13, "省级": 7, "市级": 41, "县级": 11}


@pytest.mark.parametrize(
    ("params", "spec", "townships"),
    [
        ({"year": "2023", "period": "h1", "township": "鲁村镇"}, FilterSpec(2023, "h1"), ["鲁村镇"]),
        (
            {"year": "2023", "period": "h2", "township": ["东里镇", "悦庄镇"]},
            FilterSpec(2023, "h2"),
            ["东里镇", "悦庄镇"],
        ),
        ({"year": "2022"}, FilterSpec(2022), []),
        ({"from": "2023-04", "to": "2023-06"}, FilterSpec(2023, "range", 4, 6), []),
    ],
)
def test_overview_honours_the_filter(demo_url, monkeypatch, params, spec, townships):
    at = run_app(demo_url, monkeypatch, **params)
    ids = [r["id"] for r in rows(demo_url, "SELECT id, name FROM township") if r["name"] in townships]
    scope = make_scope(spec, ids)
    shown = metrics(at)
    assert shown["发放金额"] == text.wan(int(subsidies.totals_by_type(demo_url, scope)["amount_fen"].sum()))
    assert shown["已征收"] == text.wan(totals(employer_years(demo_url, scope))["collected_fen"])
    want = expected_ratios(demo_url, scope)
    bars = chart_bars(at, "overview_levy")
    assert list(bars.values()) == [float(text.pct_number(v or 0)) for v in want.values()]
    assert shown["发表稿件"] == f"{text.count(publicity.by_level(demo_url, scope, date.today())['articles'].sum())} 篇"
    assert spec.label() in at.markdown[0].value
    assert at.multiselect(key="f_townships").value == townships


def chart_bars(at: AppTest, key: str) -> dict[str, float]:
    """The bars of a horizontal bar chart as label → value (plotly sends numbers base64-encoded)."""
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if chart.proto.id.endswith(key) or key in chart.proto.id:
            bar = spec["data"][0]
            x = bar["x"]
            values = np.frombuffer(base64.b64decode(x["bdata"]), x["dtype"]) if isinstance(x, dict) else x
            return {label: float(v) for label, v in zip(bar["y"], values, strict=True)}
    raise AssertionError(f"no chart {key}")


def test_changing_a_filter_updates_the_url(demo_url, monkeypatch):
    at = run_app(demo_url, monkeypatch, year="2023", period="h1")
    at.selectbox(key="f_period").select("q3").run()
    at.multiselect(key="f_townships").select("鲁村镇").run()
    assert not at.exception
    assert at.query_params["period"] == "q3" and at.query_params["township"] == "鲁村镇"
    assert "2023年第三季度 · 鲁村镇" in at.markdown[0].value


def test_a_mangled_url_still_opens(demo_url, monkeypatch):
    at = run_app(demo_url, monkeypatch, year="1999", period="h7", township="不存在镇")
    assert at.multiselect(key="f_townships").value == []
    assert "2023年全年 · 全县" in at.markdown[0].value


def test_overview_on_an_empty_store(empty_url, monkeypatch):
    """No county yet (seeding switched off): clear empty states, no error."""
    monkeypatch.setattr("data_layer.infra.store.ensure_ready", lambda url, **_: None)
    at = run_app(empty_url, monkeypatch)
    assert at.title[0].value == "县残联工作总览"
    assert any("尚未设置重点工程" in i.value for i in at.info)
    assert any("没有登记的用人单位" in i.value for i in at.info)


FILTERS_SCRIPT = """
from pages.common.context import render_filters
from tests.conftest import signed_in_as
render_filters({url!r}, signed_in_as("张三", "admin", None, None, None))
"""


def words_on(at: AppTest) -> set[str]:
    """What a reader sees written on the page: headings, text, notices, figures' labels, buttons, tabs, the
    columns of its tables."""
    words = {e.value for kind in ("title", "header", "subheader", "markdown", "caption") for e in at.get(kind)}
    words |= {e.value for kind in ("info", "warning", "error", "success") for e in at.get(kind)}
    words |= {e.label for e in at.get("metric")} | {b.label for b in at.button} | {t.label for t in at.tabs}
    words |= {e.label for e in at.expander} | {h.proto.body for h in at.get("html")}
    words |= {str(c) for d in at.dataframe for c in d.value.columns}
    return {w for w in words if w}


PAGE_SCRIPT = """
import streamlit as st
from pages.common.context import publish, render_filters
from pages import {module}
from tests.conftest import signed_in_as
publish(render_filters({url!r}, signed_in_as({who!r}, {role!r}, {township_id!r}, {township!r}, {areas!r})))
{module}.render()
"""


def page_script(
    module: str, url: str, who: str = "张三", role: str = "admin", township_id=None, township=None, areas=None
) -> str:
    """A page's render() after the filter row, as a signed-in person (an administrator by default)."""
    return PAGE_SCRIPT.format(
        module=module, url=url, who=who, role=role, township_id=township_id, township=township, areas=areas
    )


@pytest.mark.parametrize("module", PAGE_MODULES)
@pytest.mark.parametrize("store", ["demo", "reference", "empty"])
@pytest.mark.parametrize("engine", ENGINES)
def test_every_page_renders(module, store, engine, make_store):
    """Each page's render() on the demo, on reference data only, and on an empty store, on both engines."""
    url = make_store(store, engine)
    at = AppTest.from_string(page_script(module, url), default_timeout=60)
    at.query_params["year"] = "2023"
    at.query_params["period"] = "h1"
    at.run()
    assert not at.exception, at.exception
    filters_only = AppTest.from_string(FILTERS_SCRIPT.format(url=url), default_timeout=60)
    filters_only.query_params["year"], filters_only.query_params["period"] = "2023", "h1"
    own = words_on(at) - words_on(filters_only.run())
    assert any(re.search("[\u4e00-\u9fff]", w) for w in own), f"{module} drew nothing of its own in Chinese: {own}"


@pytest.mark.parametrize("module", PAGE_MODULES)
def test_page_module_on_its_own_renders_nothing(module):
    """Run as an app of its own, a page module only defines functions."""
    at = AppTest.from_file(str(REPO / "pages" / f"{module}.py"), default_timeout=30).run()
    assert not at.exception
    assert len(at.main.children) == 0 and len(at.sidebar.children) == 0


def test_sources_page_lists_every_figure_with_its_check(demo_url):
    at = AppTest.from_string(page_script("sources", demo_url), default_timeout=60).run()
    table = at.dataframe[0].value
    assert len(table) == len(rows(demo_url, "SELECT * FROM seedfigure"))
    assert set(table["核对"]) <= {"一致", "—"}
    wheelchairs = table[table["事项"] == "捐赠轮椅"].iloc[0]
    assert (wheelchairs["原文数值"], wheelchairs["采用值"]) == ("20230", 200)


def test_every_url_path_is_a_page_file(demo_url, monkeypatch):
    """Why: after a restart the first request runs in Streamlit's legacy pages/ mode, which finds a
    page by its file name; a URL path without a file of that name shows “Page not found”."""
    at = run_app(demo_url, monkeypatch)
    paths = set(at.session_state["pages_by_path"]) - {""}  # the default page (home) is at “/”
    files = {f.stem for f in (REPO / "pages").glob("*.py")} - {"__init__"}
    assert paths and paths <= files


# --- 残保金征收 -------------------------------------------------------------------------------------

LATIN = re.compile(r"[A-Za-z]{2,}")


def shown_html(body: str) -> str:
    """An st.html body without what is not read on screen (its style sheet, its script)."""
    return re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", body, flags=re.S)


def read_tables(at: AppTest) -> list[pd.DataFrame]:
    """The tables drawn as HTML (pages/common/read_table.py), each as the rows of words a reader sees: the
    header row as the columns."""
    import html

    tables = []
    for element in at.get("html"):
        for table in re.findall(r"<table>.*?</table>", element.proto.body, flags=re.S):
            rows = [
                [html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
                for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
            ]
            tables.append(pd.DataFrame(rows[1:], columns=rows[0]))
    return tables


def words_on_screen(at: AppTest) -> list[str]:
    """Every text a reader sees: headings, captions, notes, big numbers, expander labels, grid headers and
    cells (but the link targets behind 打开), chart labels and annotations."""
    texts = [e.value for e in (*at.title, *at.subheader, *at.markdown, *at.caption, *at.info)]
    texts += [re.sub(r"<[^>]+>", " ", shown_html(h.proto.body)) for h in at.get("html")]
    texts += [e.label for e in at.expander]
    for grid in at.dataframe:
        shown = grid.value.drop(columns=["打开"], errors="ignore")
        texts += [str(c) for c in shown.columns] + [str(v) for v in shown.to_numpy().ravel()]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for trace in spec["data"]:
            texts += [str(v) for key in ("y", "text") if isinstance(trace.get(key), list) for v in trace[key]]
        texts += [a.get("text", "") for a in spec["layout"].get("annotations", [])]
    return texts


@pytest.mark.parametrize("period", ["all", "h1"])
def test_levy_page_shows_the_ratios_in_chinese(demo_url, period):
    at = AppTest.from_string(page_script("levy", demo_url), default_timeout=60)
    at.query_params["year"] = "2023"
    at.query_params["period"] = period
    at.run()
    assert not at.exception, at.exception
    scope = make_scope(FilterSpec(2023, period))
    shown = metrics(at)
    want = expected_ratios(demo_url, scope)
    labels = {"review": "年审完成率", "inspection": "检查覆盖率", "quota": "达标率", "collection": "征收完成率"}
    for key, label in labels.items():
        assert shown[label] == (text.pct(want[key]) if want[key] is not None else "—"), label
    t = totals(employer_years(demo_url, scope))
    assert shown["检查覆盖率说明"] == f"{text.count(t['inspected'])} ÷ {text.count(t['registered'])} 家"
    if period == "h1":
        assert shown["年审完成率"] == "0.0%" and shown["达标率"] == "—"
        assert shown["达标率说明"] == "截至期末没有审核通过的非免征单位"
    funnel = chart_bars(at, "levy_funnel")
    assert funnel["登记"] == t["registered"] and funnel["审核通过"] == t["approved"]
    assert funnel["已缴清"] == t["paid_up"] and funnel["其中：免征"] == t["approved_exempt"]
    work = expected_worklist(demo_url, scope, today_in_china())
    labels = [e.label for e in at.expander]
    assert f"逾期未缴清：{text.count(len(work['unpaid']))} 项" in labels
    assert f"规上或百人以上单位从未检查：{text.count(len(work['never_inspected']))} 项" in labels
    english = [t for t in words_on_screen(at) if LATIN.search(t)]
    assert not english, english


def test_levy_page_for_one_township_says_the_task_is_per_county(demo_url):
    at = AppTest.from_string(page_script("levy", demo_url), default_timeout=60)
    at.query_params["year"] = "2023"
    at.query_params["township"] = "鲁村镇"
    at.run()
    assert not at.exception, at.exception
    shown = metrics(at)
    assert shown["征收完成率"] == "—" and "征收任务按县下达" in shown["征收完成率说明"]


def test_levy_page_on_an_empty_store(empty_url):
    at = AppTest.from_string(page_script("levy", empty_url), default_timeout=60).run()
    assert not at.exception, at.exception
    shown = metrics(at)
    assert [shown[k] for k in ("年审完成率", "检查覆盖率", "达标率", "征收完成率")] == ["—"] * 4
    assert any("没有登记的用人单位" in i.value for i in at.info)
