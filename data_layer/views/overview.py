"""总览: one card per area for the projector — the key projects against their pace, subsidies paid, the levy
collected with its four ratios, articles by level — and, for a city's or a province's store, each county's
headline figures side by side. Each card is the same figure and chart its area's board shows."""

from __future__ import annotations

import math

import pandas as pd

from data_layer.access import View
from data_layer.domain import text
from data_layer.queries import counties, org
from data_layer.views import levy, projects, publicity, subsidies
from data_layer.views.board import Board, Column, Figure, Table, figures_table
from data_layer.views.common import frame

AREAS = {
    "projects": "三项重点工程",
    "subsidies": "社会保障补贴发放",
    "levy": "按比例就业与残保金",
    "publicity": "信息宣传",
}
RATE_COLUMNS = ("重点工程完成", "征收完成率", "年审完成率", "检查覆盖率")


def county_table(view: View) -> Table:
    rows = counties.by_county(view.url, view.scope)
    return Table(
        "counties",
        "各县（区）对比",
        (
            Column("县（区）"),
            Column("乡镇数", "count", total=True),
            Column("重点工程完成", "pct"),
            Column("补贴（万元）", "wan", total=True),
            Column("残保金（万元）", "wan", total=True),
            Column("征收完成率", "pct"),
            Column("年审完成率", "pct"),
            Column("检查覆盖率", "pct"),
            Column("稿件（篇）", "count", total=True),
        ),
        pd.DataFrame(
            {
                "县（区）": list(rows["county"]),
                "乡镇数": [int(v) for v in rows["townships"]],
                "重点工程完成": list(rows["projects_completion"]),
                "补贴（万元）": [int(v) for v in rows["subsidy_fen"]],
                "残保金（万元）": [int(v) for v in rows["collected_fen"]],
                "征收完成率": list(rows["collection_rate"]),
                "年审完成率": list(rows["review_rate"]),
                "检查覆盖率": list(rows["inspection_rate"]),
                "稿件（篇）": [int(v) for v in rows["articles"]],
            }
        ),
        sheet="各县（区）对比",
        totals=True,
        note="重点工程完成：各工程（其指标年初至期末累计 ÷ 本县年度目标的平均）的平均；补贴：本期发放；"
        "残保金：已征收；稿件：本期发表；征收完成率：已征收 ÷ 本县征收任务；"
        "年审完成率、检查覆盖率的口径同“残保金征收”页。点列标题可排序。",
    )


def build(view: View) -> Board:
    project_figures, project_chart, _ = projects.summary_parts(view)
    subsidy_figures, subsidy_chart = subsidies.headline_parts(view)
    levy_figures, levy_chart, ratios = levy.headline_parts(view)
    level_figures, levels, total = publicity.level_parts(view)
    level_chart, _ = publicity.level_charts(view, levels)
    target = levels["target"].sum(min_count=1)
    publicity_figures = [f for f in level_figures if f.key == "articles" or f.key.startswith("level:")] + [
        Figure(
            "year_target",
            "全年目标",
            "count",
            None if math.isnan(target) else target,
            "篇",
            "" if not math.isnan(target) else "未设目标",
        )
    ]
    groups = [
        (
            "projects",
            [replace_label(f, f"{f.label}：完成进度") if f.key.startswith("project:") else f for f in project_figures],
        ),
        ("subsidies", [f for f in subsidy_figures if f.key != "payments"]),
        ("levy", [f for f in levy_figures if not (f.key == "task" and f.value is None)]),
        ("publicity", publicity_figures),
    ]
    listed = [(AREAS[area], f) for area, figures in groups for f in figures]
    office = org.office(org.counties(view.url))
    figures_sheet = figures_table([f for _, f in listed], f"{office}工作总览", [a for a, _ in listed], sheet="总览")
    missing = [f"{r.label}“—”：{r.why_none}" for r in ratios if r.value is None]
    notes = {
        "projects": project_chart.note,
        "levy": f"截至{text.day(view.scope.end)}：年审完成率＝审核通过÷应年审（非免征）单位；"
        "检查覆盖率＝本期检查过÷已登记单位；达标率＝达到安排比例÷审核通过的非免征单位；"
        "征收完成率＝已征收÷征收任务。" + "；".join(missing),
        "levy_year": f"{view.scope.end.year}年度",
        "projects_empty": ""
        if any(f.key.startswith("project:") for f in project_figures)
        else f"{view.spec.year}年尚未设置重点工程",
        "subsidies_empty": "本期没有补贴发放记录" if subsidy_chart.categories == () else "",
        "levy_empty": "没有登记的用人单位" if not levy.registered(view) else "",
    }
    return frame(
        view,
        "overview",
        f"{office}工作总览",
        figures=tuple(f for _, f in listed),
        tables=(figures_sheet, *((county_table(view),) if view.multi_county else ())),
        charts=(project_chart, subsidy_chart, levy_chart, level_chart),
        notes=notes,
    )


def replace_label(f: Figure, label: str) -> Figure:
    from dataclasses import replace

    return replace(f, label=label)
