"""重点工程: the three key projects against their targets and the year's pace (read-only)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from data_layer import app_settings
from data_layer.domain import text
from data_layer.domain.pacing import STATUS_LABELS
from data_layer.domain.scope import planned_elapsed
from data_layer.export import Sheet
from data_layer.queries import projects
from pages.common import charts, ui
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
from pages.common.entry_fields import edit_link
from pages.common.fmt import escape_markdown
from pages.common.ui import (
    GRID_ROW_PX,
    as_points,
    big_number,
    empty,
    grid_height,
    percent_column,
    short_project_name,
    status_badge,
    status_words,
    township_order,
)

STATUS_BG = {"on_track": "#dcfce7", "behind": "#fef3c7", "far_behind": "#fee2e2", "no_target": "#f3f4f6"}


def render() -> None:
    ctx = current()
    items = projects.item_progress(ctx.url, ctx.scope)
    if items.empty:
        empty(f"{ctx.spec.year}年尚未设置重点工程。管理员可在“目标任务”页设置工程、指标和年度目标。")
        return
    thresholds = app_settings.pace_thresholds(ctx.url)
    summary = projects.project_summary(ctx.url, ctx.scope, ctx.today, thresholds)
    render_project_cards(summary, bool(ctx.scope.township_ids))
    render_items(ctx, thresholds)
    download_buttons(ctx, "重点工程", lambda: sheets(ctx), key="projects")
    key = choose_item(items)
    render_item_detail(ctx, items, key, thresholds)
    render_matrix(ctx, items, thresholds)
    render_entries(ctx, key)


def render_project_cards(summary: pd.DataFrame, townships_chosen: bool) -> None:
    cols = st.columns(len(summary), gap="medium")
    for col, row in zip(cols, summary.itertuples(), strict=True):
        with col.container(border=True):
            st.markdown(f"#### {escape_markdown(short_project_name(row.project))}")
            big_number("完成进度", text.pct(row.completion), "", f"序时进度 {text.pct(row.elapsed)}")
            st.html(status_badge(row.status, row.status_label))
            if row.not_started:  # an average never hides an item at zero
                due = row.not_started - row.not_due
                words = f"{row.not_started} 项指标尚未开始"
                if row.not_due:
                    words += f"（{row.not_due} 项未到计划实施期" + (f"，{due} 项已到期）" if due else "）")
                st.markdown(f"**{words}**" if due else words)
            if townships_chosen and row.budget_fen == row.budget_fen and row.budget_fen:
                # the budget is the county's and is not split by township: no share of it is computed
                st.markdown(
                    f"资金：所选乡镇已用 **{text.wan(row.amount_ytd_fen)}**；全县预算 {text.wan(row.budget_fen)}"
                )
            elif row.budget_fen == row.budget_fen and row.budget_fen:
                spent = row.amount_ytd_fen / row.budget_fen
                st.markdown(
                    f"资金：已用 **{text.wan(row.amount_ytd_fen)}** / 预算 {text.wan(row.budget_fen)}（{text.pct(spent)}）"
                )
            elif row.amount_ytd_fen:
                st.markdown(f"资金：已用 **{text.wan(row.amount_ytd_fen)}**（未设预算）")


def render_items(ctx: ViewContext, thresholds) -> None:
    st.subheader("各项指标")
    items = projects.item_pace(ctx.url, ctx.scope, ctx.today, thresholds)
    table = pd.DataFrame(
        {
            "工程": items["project"].map(short_project_name),
            "指标": items["item"],
            "计划实施期": items["plan"],
            "完成情况": [f"{text.count(r.done_ytd)} / {text.count(r.target)} {r.unit}" for r in items.itertuples()],
            "完成进度": as_points(items["completion"]),
            "序时进度": [text.pct(e) for e in items["elapsed"]],
            "状态": [status_words(s, label) for s, label in zip(items["status"], items["status_label"], strict=True)],
            "本期": [f"{text.count(r.done_period)} {r.unit}" for r in items.itertuples()],
            "资金": [text.wan(a) if a else "—" for a in items["amount_ytd_fen"]],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=grid_height(len(table)),
        row_height=GRID_ROW_PX,
        column_config={
            "完成进度": percent_column("完成进度"),
            "完成情况": st.column_config.TextColumn("年初至期末累计 / 年度目标"),
            "本期": st.column_config.TextColumn("本期完成"),
        },
    )
    st.caption("序时进度按各指标的计划实施期计算：计划下半年实施的指标，上半年的序时进度为 0。")


def choose_item(items: pd.DataFrame) -> str:
    """The item the lower half of the page is about; kept in the URL as ``item=project.item``."""
    keys = [f"{r.project_code}.{r.item_code}" for r in items.itertuples()]
    labels = {
        f"{r.project_code}.{r.item_code}": f"{short_project_name(r.project)} · {r.item}（{r.unit}）"
        for r in items.itertuples()
    }
    wanted = st.query_params.get("item")
    if st.session_state.get("projects_item") not in keys:
        st.session_state.projects_item = wanted if wanted in keys else keys[0]
    st.divider()
    key = st.selectbox("查看指标", keys, format_func=labels.__getitem__, key="projects_item")
    if st.query_params.get("item") != key:
        st.query_params["item"] = key
    return key


def render_item_detail(ctx: ViewContext, items: pd.DataFrame, key: str, thresholds) -> None:
    project_code, item_code = key.split(".")
    row = items[(items.project_code == project_code) & (items.item_code == item_code)].iloc[0]
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(escape_markdown(f"{row['item']}：逐月累计"))
        monthly = projects.monthly_progress(ctx.url, ctx.scope, project_code, item_code)
        target = row["target"]
        if math.isnan(target) or not target:
            st.caption("所选范围没有目标，无法画序时进度线")
            pace = [None] * len(monthly)
        else:
            first, last = row["plan_start_month"], row["plan_end_month"]
            pace = [
                target * planned_elapsed(ctx.scope.year, month_end(ctx.scope.year, m), ctx.today, first, last)
                for m in monthly["month"]
            ]
        charts.show(
            charts.line_vs_pace(monthly["month"], monthly["cumulative"], pace, unit=row["unit"]), "projects_monthly"
        )
    with right:
        st.subheader(escape_markdown(f"{row['item']}：分乡镇（滞后的在前）"))
        render_by_township(ctx, project_code, item_code, row, thresholds)


def month_end(year: int, month: int):
    return (pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)).date()


def render_by_township(ctx: ViewContext, project_code: str, item_code: str, item_row, thresholds) -> None:
    table = projects.township_completion(ctx.url, ctx.scope, ctx.today, project_code, item_code, thresholds)
    if not ui.townships_fit(len(table)):
        return
    table = table.rename(
        columns={
            "township": "乡镇",
            "target": "目标",
            "done_ytd": "累计完成",
            "completion": "完成进度",
            "status_label": "状态",
        }
    )
    if table.empty:
        empty("没有乡镇")
        return
    has_rate = table["完成进度"].notna().any()
    values = [
        (r * 100 if r == r else 0.0) if has_rate else d
        for r, d in zip(table["完成进度"], table["累计完成"], strict=True)
    ]
    bar_text = [
        text.pct(r) if has_rate and r == r else text.count(d)
        for r, d in zip(table["完成进度"], table["累计完成"], strict=True)
    ]
    elapsed = projects.item_elapsed(ctx.url, ctx.scope, ctx.today, project_code, item_code)
    fig = charts.hbar(
        list(table["乡镇"]),
        values,
        text=bar_text,
        colours=[charts.STATUS_COLOURS[s] for s in table["status"]] if has_rate else charts.PRIMARY,
        x_max=max(max(values, default=0) * 1.3, 1),
        height=50 + 30 * len(table),
        marker_at=elapsed * 100 if has_rate else None,
        marker_label=f"序时 {text.pct(elapsed)}",
    )
    charts.show(fig, "projects_by_township")
    table["完成进度"] = as_points(table["完成进度"])
    table["状态"] = [status_words(s, label) for s, label in zip(table["status"], table["状态"], strict=True)]
    st.dataframe(
        table[["乡镇", "目标", "累计完成", "完成进度", "状态"]],
        hide_index=True,
        width="stretch",
        height=grid_height(len(table)),
        row_height=GRID_ROW_PX,
        column_config={
            "完成进度": percent_column(),
            "目标": st.column_config.NumberColumn(format="localized"),
            "累计完成": st.column_config.NumberColumn(format="localized"),
        },
    )


def render_matrix(ctx: ViewContext, items: pd.DataFrame, thresholds) -> None:
    st.subheader("乡镇 × 指标 完成进度")
    rates, statuses = projects.completion_matrix(ctx.url, ctx.scope, ctx.today, thresholds)
    labels = {
        f"{r.project_code}.{r.item_code}": f"{short_project_name(r.project)}·{r.item}" for r in items.itertuples()
    }
    rates, statuses = rates.rename(columns=labels), statuses.rename(columns=labels)
    rates.index.name = "乡镇"  # the header of the row labels (the query names it in English)
    if not ui.townships_fit(len(rates)):
        return
    if rates.empty:
        empty("没有分解到乡镇的目标")
        return
    # each cell says its status as a shape too: the pastel red and green are one colour to a red–green colour-blind eye
    shown = pd.DataFrame(
        {
            col: [
                text.pct(v) if v != v else f"{charts.STATUS_MARKS.get(st_, '')} {text.pct(v)}"
                for v, st_ in zip(rates[col], statuses[col], strict=True)
            ]
            for col in rates.columns
        },
        index=rates.index,
    )
    styled = shown.style.apply(
        lambda col: [f"background-color: {STATUS_BG.get(s, '#fff')}" for s in statuses[col.name]], axis=0
    )
    st.caption("● 绿：不落后于序时进度；▲ 黄：滞后；■ 红：严重滞后。点选一行，只看该乡镇。")
    st.dataframe(
        styled,
        width="stretch",
        on_select=narrow_to_township,
        selection_mode="single-row",
        key="projects_matrix",
        height=44 + 40 * len(rates),
    )


def narrow_to_township() -> None:
    """Row picked in the matrix: narrow the whole page (and its URL) to that township."""
    rows = st.session_state.projects_matrix.selection.rows
    if rows:
        st.session_state.f_townships = [township_order(current())[rows[0]]]


def render_entries(ctx: ViewContext, key: str) -> None:
    project_code, item_code = key.split(".")
    rows = projects.entries(ctx.url, ctx.scope, project_code, item_code)
    st.subheader(f"明细：{len(rows)} 条记录")
    if rows.empty:
        empty("没有记录")
        return
    table = rows.assign(
        日期=rows["entry_date"],
        金额=[f"{a / 100:,.2f}" for a in rows["amount_fen"]],
        录入时间=rows["created_at"].map(lambda t: t.tz_convert("Asia/Shanghai").strftime("%Y-%m-%d %H:%M")),
        编辑=[edit_link(ctx, "entry_projects", i) for i in rows["id"]],
    ).rename(
        columns={
            "township": "乡镇",
            "quantity": "数量",
            "note": "备注",
            "warning_note": "提醒说明",
            "created_by": "录入人",
            "id": "编号",
        }
    )
    st.dataframe(
        table[["编号", "日期", "乡镇", "数量", "金额", "备注", "提醒说明", "录入人", "录入时间", "编辑"]],
        hide_index=True,
        width="stretch",
        column_config={
            "编辑": st.column_config.LinkColumn("编辑", display_text="修改"),
            "金额": st.column_config.TextColumn("金额（元）"),
        },
    )


def sheets(ctx: ViewContext) -> list[Sheet]:
    """The download: the projects against the pace, their items, and townships × items with each status in words."""
    thresholds = app_settings.pace_thresholds(ctx.url)
    items = projects.item_pace(ctx.url, ctx.scope, ctx.today, thresholds)
    summary = projects.project_summary(ctx.url, ctx.scope, ctx.today, thresholds)
    budget = "全县预算（万元）" if ctx.scope.township_ids else "预算（万元）"  # budgets are not split by township
    money = {"已用资金（万元）": summary["amount_ytd_fen"] / 1e6, budget: summary["budget_fen"] / 1e6}
    overview = pd.DataFrame(
        {
            "工程": summary["project"],
            "完成进度": summary["completion"],
            "序时进度": summary["elapsed"],
            "状态": summary["status_label"],
            **money,
        }
    )
    listed = pd.DataFrame(
        {
            "工程": items["project"].map(short_project_name),
            "指标": items["item"],
            "单位": items["unit"],
            "年度目标": items["target"],
            "年初至期末累计": items["done_ytd"],
            "计划实施期": items["plan"],
            "完成进度": items["completion"],
            "序时进度": items["elapsed"],
            "状态": items["status_label"],
            "本期完成": items["done_period"],
            "资金（万元）": items["amount_ytd_fen"] / 1e6,
        }
    )
    counts = {"年度目标": "general", "年初至期末累计": "general", "本期完成": "general"}
    rates, statuses = projects.completion_matrix(ctx.url, ctx.scope, ctx.today, thresholds)
    labels = {
        f"{r.project_code}.{r.item_code}": f"{short_project_name(r.project)}·{r.item}" for r in items.itertuples()
    }
    matrix = pd.DataFrame({"乡镇": list(rates.index)})
    for key in rates.columns:
        matrix[f"{labels.get(key, key)} 完成进度"] = list(rates[key])
        matrix[f"{labels.get(key, key)} 状态"] = [STATUS_LABELS.get(s, "—") for s in statuses[key]]
    return [
        Sheet(
            overview,
            "三项重点工程：完成进度与序时进度",
            name="工程汇总",
            totals=tuple(money),
            formats={"完成进度": "pct", "序时进度": "pct"},
        ),
        Sheet(
            listed,
            "各项指标：年初至期末累计与年度目标",
            name="各项指标",
            totals=("资金（万元）",),  # the items' units differ: only money adds up
            formats={"完成进度": "pct", "序时进度": "pct", **counts},
        ),
        Sheet(
            matrix,
            "乡镇 × 指标 完成进度",
            name="乡镇×指标",
            formats={c: "pct" for c in matrix.columns if c.endswith("完成进度")},
        ),
    ]
