"""重点工程: the three key projects against their targets and the year's pace (序时进度), item by item, by month
and by township, and the entries behind an item."""

from __future__ import annotations

import math

import pandas as pd

from data_layer import app_settings
from data_layer.access import View
from data_layer.documents.colours import STATUS_COLOURS, STATUS_MARKS
from data_layer.domain import text
from data_layer.domain.pacing import STATUS_LABELS
from data_layer.domain.scope import planned_elapsed
from data_layer.queries import projects
from data_layer.views.board import Board, Chart, Column, Figure, Series, Table, table
from data_layer.views.common import frame, township_names


def short_name(project: str) -> str:
    """残疾人民生救助“双百工程” → 双百工程; 阳光家园残疾人托养工程 → 阳光家园."""
    if "“" in project:
        return project.split("“", 1)[1].split("”", 1)[0]
    return project[:4]


def status_words(status: str, label: str) -> str:
    """A status as a shape and a word (“▲ 滞后”): readable without its colour."""
    return f"{STATUS_MARKS[status]} {label}"


def item_key(project_code: str, item_code: str) -> str:
    return f"{project_code}.{item_code}"


def measured(value: float, unit: str) -> str:
    """An item's quantity in its unit (money items count 元): “70 户”, “200,000 元”."""
    return text.count(value, unit)


def summary_parts(view: View) -> tuple[list[Figure], Chart, Table]:
    """Each project's completion against its 序时进度 (figures), the bars of the overview and the slides, and the
    summary table of the download."""
    thresholds = app_settings.pace_thresholds(view.url)
    summary = projects.project_summary(view.url, view.scope, view.today, thresholds)
    figures = []
    for r in summary.itertuples():
        note = f"序时进度 {text.pct(r.elapsed)}，{r.items} 项指标"
        if r.not_started:  # an average never hides an item at zero
            note += f"，{r.not_started} 项尚未开始" + (f"（{r.not_due} 项未到计划期）" if r.not_due else "")
        figures.append(
            Figure(
                f"project:{r.project_code}",
                short_name(r.project),
                "pct",
                r.completion,
                note=note,
                status=r.status,
                status_label=r.status_label,
            )
        )
    paces = [float(e) for e in summary["elapsed"]]
    one_pace = len(set(paces)) <= 1  # no item follows a plan of its own: one line says it for all
    rates = [r for r in summary["completion"] if not math.isnan(r)]
    mean_pace = sum(paces) / len(paces) if paces else None
    figures.append(
        Figure(
            "average",
            "重点工程平均完成",
            "pct",
            sum(rates) / len(rates) if rates else None,
            note=f"序时进度 {text.pct(mean_pace)}",
        )
    )
    chart = Chart(
        "summary",
        "完成进度与序时进度",
        "bars",
        tuple(short_name(p) for p in summary["project"]),
        (
            Series(
                "完成进度",
                "pct",
                tuple(summary["completion"]),
                colours=tuple(STATUS_COLOURS[s] for s in summary["status"]),
            ),
            Series("序时进度", "pct", tuple(paces)),
        ),
        labels=tuple(
            f"{STATUS_MARKS[s]} {text.pct(c)} {label}"
            for c, s, label in zip(summary["completion"], summary["status"], summary["status_label"], strict=True)
        ),
        marker=Figure("elapsed", "序时进度", "pct", paces[0]) if paces and one_pace else None,
        note="柱：各指标年初至期末累计完成 ÷ 年度目标的平均；"
        + (
            "虚线：全年已过时间（序时进度）"
            if one_pace
            else "竖线：各工程的序时进度（按指标计划实施期），"
            + "，".join(f"{short_name(n)} {text.pct(e)}" for n, e in zip(summary["project"], paces, strict=True))
        ),
    )
    budget = "全县预算（万元）" if view.scope.township_ids else "预算（万元）"  # budgets are not split by township
    summary_table = table(
        "summary",
        "三项重点工程：完成进度与序时进度",
        [
            (Column("工程"), summary["project"]),
            (Column("完成进度", "pct"), summary["completion"]),
            (Column("序时进度", "pct"), paces),
            (Column("状态", "status"), summary["status_label"]),
            (Column("已用资金（万元）", "wan", total=True), [int(v) for v in summary["amount_ytd_fen"]]),
            (Column(budget, "wan", total=True), [None if math.isnan(v) else int(v) for v in summary["budget_fen"]]),
        ],
        sheet="工程汇总",
        totals=True,
    )
    return figures, chart, summary_table


def money_lines(view: View) -> dict[str, str]:
    """Each project's money in words: spent against its budget (a county's budget is not split by township)."""
    summary = projects.project_summary(view.url, view.scope, view.today, app_settings.pace_thresholds(view.url))
    out = {}
    for r in summary.itertuples():
        budget = None if math.isnan(r.budget_fen) or not r.budget_fen else r.budget_fen
        if budget and view.scope.township_ids:
            out[r.project_code] = f"资金：所选乡镇已用 {text.wan(r.amount_ytd_fen)}；全县预算 {text.wan(budget)}"
        elif budget:
            spent = text.pct(r.amount_ytd_fen / budget)
            out[r.project_code] = f"资金：已用 {text.wan(r.amount_ytd_fen)} / 预算 {text.wan(budget)}（{spent}）"
        elif r.amount_ytd_fen:
            out[r.project_code] = f"资金：已用 {text.wan(r.amount_ytd_fen)}（未设预算）"
    return out


def items_table(view: View) -> Table:
    thresholds = app_settings.pace_thresholds(view.url)
    items = projects.item_pace(view.url, view.scope, view.today, thresholds)
    return table(
        "items",
        "各项指标：年初至期末累计与年度目标",
        [
            (Column("工程"), [short_name(p) for p in items["project"]]),
            (Column("指标"), items["item"]),
            (Column("单位"), items["unit"]),
            (Column("年度目标", "count"), [None if math.isnan(t) else t for t in items["target"]]),
            (Column("年初至期末累计", "count"), items["done_ytd"]),
            (Column("本期完成", "count"), items["done_period"]),
            (Column("计划实施期"), items["plan"]),
            # the screen's one column for both (a 1024 projector has no room for two): “200 / 300 台”
            (
                Column("年初至期末累计 / 年度目标", download=False, short="累计 / 目标"),
                [
                    f"{text.count(d)} / {text.count(t)} {u}"
                    for d, t, u in items[["done_ytd", "target", "unit"]].to_numpy()
                ],
            ),
            (Column("完成进度", "pct"), items["completion"]),
            (Column("序时进度", "pct"), items["elapsed"]),
            (Column("状态", "status"), items["status_label"]),
            # the items' units differ: only money adds up
            (Column("资金（万元）", "wan", total=True), [int(v) for v in items["amount_ytd_fen"]]),
        ],
        extra={"key": [item_key(p, i) for p, i in zip(items["project_code"], items["item_code"], strict=True)]},
        sheet="各项指标",
        totals=True,
        note="序时进度按各指标的计划实施期计算：计划下半年实施的指标，上半年的序时进度为 0。",
    )


def matrix_table(view: View, items: Table) -> Table:
    """Township × item completion with each cell's status in words (items whose targets are split by township)."""
    thresholds = app_settings.pace_thresholds(view.url)
    rates, statuses = projects.completion_matrix(view.url, view.scope, view.today, thresholds)
    labels = dict(zip(items.rows["key"], items.rows["工程"] + "·" + items.rows["指标"], strict=True))
    data = {"乡镇": list(rates.index)}
    columns = [Column("乡镇")]
    for key in rates.columns:
        name = labels.get(key, key)
        data[f"{name} 完成进度"] = list(rates[key])
        data[f"{name} 状态"] = [None if not isinstance(s, str) else STATUS_LABELS[s] for s in statuses[key]]
        data[f"{name} 标记"] = [None if not isinstance(s, str) else s for s in statuses[key]]
        columns += [Column(f"{name} 完成进度", "pct"), Column(f"{name} 状态", "status")]
    return Table(
        "matrix",
        "乡镇 × 指标 完成进度",
        tuple(columns),
        pd.DataFrame(data),
        sheet="乡镇×指标",
        note="● 绿：不落后于序时进度；▲ 黄：滞后；■ 红：严重滞后。点选一行，只看该乡镇。",
    )


def item_parts(view: View, items: Table, key: str) -> tuple[Chart, Chart, Table, Table]:
    """One item: its cumulative progress by month against the pace line, its townships (laggards first), and the
    entries behind it."""
    project_code, item_code = key.split(".")
    thresholds = app_settings.pace_thresholds(view.url)
    pace_rows = projects.item_pace(view.url, view.scope, view.today, thresholds)
    row = pace_rows[(pace_rows.project_code == project_code) & (pace_rows.item_code == item_code)].iloc[0]
    scope = view.scope
    monthly = projects.monthly_progress(view.url, scope, project_code, item_code)
    target = row["target"]
    if math.isnan(target) or not target:
        pace = [None] * len(monthly)
    else:
        first, last = row["plan_start_month"], row["plan_end_month"]
        pace = [
            target * planned_elapsed(scope.year, month_end(scope.year, m), view.today, first, last)
            for m in monthly["month"]
        ]
    month_chart = Chart(
        "item_monthly",
        f"{row['item']}：逐月累计",
        "pace",
        tuple(int(m) for m in monthly["month"]),
        (
            Series(f"累计完成（{row['unit']}）", "decimal", tuple(monthly["cumulative"]), unit=row["unit"]),
            Series("序时进度线", "decimal", tuple(pace), unit=row["unit"]),
        ),
        note="" if pace[0] is not None or not len(pace) else "所选范围没有目标，无法画序时进度线",
    )
    towns = projects.township_completion(view.url, scope, view.today, project_code, item_code, thresholds)
    has_rate = bool(towns["completion"].notna().any())
    elapsed = projects.item_elapsed(view.url, scope, view.today, project_code, item_code)
    town_chart = Chart(
        "item_townships",
        f"{row['item']}：分乡镇（滞后的在前）",
        "bars",
        tuple(towns["township"]),
        (
            Series(
                "完成进度",
                "pct",
                tuple(0.0 if math.isnan(r) else r for r in towns["completion"]),
                colours=tuple(STATUS_COLOURS[s] for s in towns["status"]),
            )
            if has_rate
            else Series("累计完成", "decimal", tuple(towns["done_ytd"]), unit=row["unit"]),
        ),
        labels=tuple(
            text.pct(r) if has_rate and not math.isnan(r) else measured(d, row["unit"])
            for r, d in zip(towns["completion"], towns["done_ytd"], strict=True)
        ),
        marker=Figure("elapsed", "序时", "pct", elapsed) if has_rate else None,
    )
    town_table = table(
        "item_township_table",
        f"{row['item']}：分乡镇",
        [
            (Column("乡镇"), towns["township"]),
            (Column("目标", "count"), towns["target"]),
            (Column("累计完成", "count"), towns["done_ytd"]),
            (Column("完成进度", "pct"), towns["completion"]),
            (Column("状态", "status"), towns["status_label"]),
        ],
    )
    return month_chart, town_chart, town_table, entries_table(view, project_code, item_code)


def entries_table(view: View, project_code: str, item_code: str) -> Table:
    rows = projects.entries(view.url, view.scope, project_code, item_code)
    names = township_names(view)
    return table(
        "entries",
        f"明细：{text.count(len(rows))} 条记录",
        [
            (Column("编号"), [str(int(i)) for i in rows["id"]]),
            (Column("日期", "day"), rows["entry_date"]),
            (Column("乡镇"), [names.get(None if pd.isna(t) else int(t), "县本级") for t in rows["township_id"]]),
            (Column("数量", "count"), rows["quantity"]),
            (Column("金额（元）", "yuan"), [int(v) for v in rows["amount_fen"]]),
            (Column("备注", width="medium"), rows["note"]),
            (Column("提醒说明", width="medium"), rows["warning_note"]),
            (Column("录入人"), rows["created_by"]),
            (Column("录入时间", "time"), rows["created_at"]),
        ],
    )


def month_end(year: int, month: int):
    return (pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)).date()


def build(view: View, item: str | None = None) -> Board:
    """The board; with ``item`` (project.item) the lower half about that item: its months, townships, entries."""
    items = items_table(view)
    if items.rows.empty:
        return frame(
            view,
            "projects",
            "三项重点工程",
            empty=f"{view.spec.year}年尚未设置重点工程。管理员可在“目标任务”页设置工程、指标和年度目标。",
        )
    figures, chart, summary = summary_parts(view)
    tables = [summary, items, matrix_table(view, items)]
    charts = [chart]
    if item in set(items.rows["key"]):
        month_chart, town_chart, town_table, entries = item_parts(view, items, item)
        charts += [month_chart, town_chart]
        tables += [town_table, entries]
    return frame(
        view,
        "projects",
        "三项重点工程",
        figures=tuple(figures),
        tables=tuple(tables),
        charts=tuple(charts),
        notes={f"money:{code}": words for code, words in money_lines(view).items()},
    )
