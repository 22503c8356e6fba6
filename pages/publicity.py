"""信息宣传: articles per outlet level against the year's targets and its pace, by outlet, by month, by
township (who contributed, who has not) and the list of articles with their links."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from data_layer import app_settings
from data_layer.domain import text
from data_layer.export import Sheet
from data_layer.queries import articles, publicity
from pages.common import charts, ui
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
from pages.common.fmt import escape_markdown
from pages.common.ui import (
    GRID_ROW_PX,
    as_points,
    big_number,
    empty,
    grid_height,
    level_key,
    link,
    percent_column,
    status_badge,
    status_words,
)

LIST_ROWS = 12  # the article list shows this many rows before it scrolls (its count is written above it)


def render() -> None:
    ctx = current()
    thresholds = app_settings.pace_thresholds(ctx.url)
    levels = publicity.by_level(ctx.url, ctx.scope, ctx.today, thresholds)
    render_levels(ctx, levels)
    if levels["year_to_date"].sum() == 0 and levels["target"].isna().all():
        empty(f"{ctx.spec.year}年还没有登记稿件，也没有设置宣传目标。")
        return
    level_key()
    left, right = st.columns(2, gap="large")
    with left:
        render_by_outlet(ctx)
    with right:
        render_by_month(ctx)
    render_by_township(ctx, thresholds)
    download_buttons(ctx, "信息宣传", lambda: sheets(ctx), key="publicity")
    render_list(ctx)


def so_far(row) -> str:
    """“全年累计 40 / 目标 80 篇”."""
    target = "未设目标" if math.isnan(row.target) else f"目标 {text.count(row.target)} 篇"
    return f"全年累计 {text.count(row.year_to_date)} 篇 / {target}"


def pace_line(row) -> str:
    """The status in shape, word and colour, and the share done (HTML)."""
    done = "" if math.isnan(row.completion) else f'<span class="pace-done">完成 {text.pct(row.completion)}</span>'
    return f"{status_badge(row.status, row.status_label)}{done}"


def render_levels(ctx: ViewContext, levels: pd.DataFrame) -> None:
    total = publicity.all_levels(levels, ctx.scope, ctx.today, app_settings.pace_thresholds(ctx.url))
    cols = st.columns(5, gap="small")
    with cols[0].container(border=True):
        big_number("本期发表稿件", text.count(total.articles), "篇", so_far(total))
        st.html(pace_line(total))
    for col, row in zip(cols[1:], levels.itertuples(), strict=True):
        with col.container(border=True):
            big_number(row.level_label, text.count(row.articles), "篇", so_far(row))
            st.html(pace_line(row))
    as_of = text.day(min(ctx.scope.end, ctx.today))
    words = f"完成＝全年累计÷年度目标；序时进度 {text.pct(float(total.elapsed))}（截至{as_of}已过全年的比例）。"
    if ctx.scope.township_ids:
        words += "各级目标按全县设置，选了乡镇时不比较；乡镇的报送任务见下方“按乡镇”。"
    st.caption(words)


def render_by_outlet(ctx: ViewContext) -> None:
    st.subheader("按媒体（本期）")
    rows = publicity.by_outlet(ctx.url, ctx.scope)
    names = dict(zip(publicity.LEVEL_LABELS, publicity.LEVEL_LABELS.values(), strict=True))
    fig = charts.hbar(
        list(rows["outlet"]),
        list(rows["articles"]),
        text=[f"{text.count(n)} 篇 · {names[lv]}" for n, lv in zip(rows["articles"], rows["level"], strict=True)],
        colours=[charts.LEVEL_COLOURS[lv] for lv in rows["level"]],
        x_max=max(rows["articles"].max(), 1) * 1.05,
        height=60 + 44 * len(rows),
        text_room=150,  # “20 篇 · 国家级” beside the longest bar
    )
    charts.show(fig, "publicity_by_outlet")


def render_by_month(ctx: ViewContext) -> None:
    st.subheader("按月份（本期，篇）")
    rows = publicity.by_month(ctx.url, ctx.scope)
    months = pd.period_range(ctx.scope.start, ctx.scope.end, freq="M").strftime("%Y-%m")
    series = {
        label: [int(rows[(rows.month == m) & (rows.level == lv)]["articles"].sum()) for m in months]
        for lv, label in publicity.LEVEL_LABELS.items()
    }
    colours = [charts.LEVEL_COLOURS[lv] for lv in publicity.LEVEL_LABELS]
    fig = charts.stacked_bars([f"{int(m[5:])}月" for m in months], series, height=400, colours=colours)
    charts.show(fig, "publicity_by_month")


def render_by_township(ctx: ViewContext, thresholds) -> None:
    st.subheader("按乡镇：报送任务与完成")
    towns = publicity.by_township(ctx.url, ctx.scope, ctx.today, thresholds)
    if towns.empty:
        st.caption("没有启用的乡镇")
        return
    if not ui.townships_fit(len(towns)):
        return
    silent = list(towns.loc[towns["articles"] == 0, "township"])
    if silent:
        st.markdown(escape_markdown(f"本期未供稿（{len(silent)} 个）：{'、'.join(silent)}"))
    else:
        st.markdown("本期每个乡镇都有稿件。")
    elapsed = float(towns["elapsed"].iloc[0])
    table = pd.DataFrame(
        {
            "乡镇": towns["township"],
            "本期稿件（篇）": towns["articles"],
            "全年累计 / 任务（篇）": [
                f"{text.count(d)} / {'未设' if math.isnan(t) else text.count(t)}"
                for d, t in zip(towns["year_to_date"], towns["target"], strict=True)
            ],
            "完成进度": as_points(towns["completion"]),
            "状态": [status_words(s, label) for s, label in zip(towns["status"], towns["status_label"], strict=True)],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=grid_height(len(table)),  # every township in sight: none hidden below a scroll
        row_height=GRID_ROW_PX,
        column_config={
            "完成进度": percent_column(f"完成进度（序时 {text.pct(elapsed)}）"),
        },
        key="publicity_townships",
    )
    if not ctx.scope.township_ids:
        st.caption(f"另有县本级稿件 {text.count(publicity.county_wide(ctx.url, ctx.scope))} 篇（不属于任何乡镇）。")


def render_list(ctx: ViewContext) -> None:
    total = articles.article_count(ctx.url, ctx.scope)
    st.subheader(f"稿件列表（本期 {text.count(total)} 篇）")
    if not total:
        st.caption("本期没有登记稿件")
        return
    # a province's period holds ten thousand: the newest first, read only as far as shown
    latest = articles.articles(ctx.url, ctx.scope, limit=ui.ROWS_ON_SCREEN)
    found = ui.first_rows(latest, "篇", total, everything="下方的“信息报送台账”")
    table = pd.DataFrame(
        {
            "发表日期": [text.day(d) for d in found["published_on"]],
            "媒体": found["outlet"],
            "级别": [publicity.LEVEL_LABELS[lv] for lv in found["level"]],
            **({"县（区）": found["county"]} if ctx.multi_county else {}),
            "乡镇": found["township"],
            "标题": found["title"],
            "类型": found["kind"],
            "链接": found["link"],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=grid_height(min(len(table), LIST_ROWS)),
        row_height=GRID_ROW_PX,
        column_config={
            "标题": st.column_config.TextColumn(width="large"),
            "链接": st.column_config.LinkColumn("链接", display_text="打开"),
        },
        key="publicity_list",
    )
    link("publicity_ledger", "导出稿件列表（信息报送台账）", ctx)


def month_table(ctx: ViewContext) -> pd.DataFrame:
    """Articles per month of the period (every month, those without any too) and level, as the chart stacks them."""
    rows = publicity.by_month(ctx.url, ctx.scope)
    months = pd.period_range(ctx.scope.start, ctx.scope.end, freq="M").strftime("%Y-%m")
    table = pd.DataFrame({"月份": [f"{m[:4]}年{int(m[5:])}月" for m in months]})
    for lv, label in publicity.LEVEL_LABELS.items():
        table[f"{label}（篇）"] = [int(rows[(rows.month == m) & (rows.level == lv)]["articles"].sum()) for m in months]
    table["合计（篇）"] = table.iloc[:, 1:].sum(axis=1)
    return table


def sheets(ctx: ViewContext) -> list[Sheet]:
    """The download: by level against target and pace (with the levels together as 合计), by outlet, by month,
    by township; statuses in words."""
    thresholds = app_settings.pace_thresholds(ctx.url)
    levels = publicity.by_level(ctx.url, ctx.scope, ctx.today, thresholds)
    total = publicity.all_levels(levels, ctx.scope, ctx.today, thresholds)
    both = pd.concat([levels, total.to_frame().T.assign(level_label="合计")], ignore_index=True)
    paced = {"完成": "pct", "序时进度": "pct", "年度目标（篇）": "general"}
    by_level = pd.DataFrame(
        {
            "级别": both["level_label"],
            "本期稿件（篇）": both["articles"].astype(int),
            "全年累计（篇）": both["year_to_date"].astype(int),
            "年度目标（篇）": both["target"].astype(float),
            "完成": both["completion"].astype(float),
            "序时进度": both["elapsed"].astype(float),
            "状态": both["status_label"],
        }
    )
    outlets = publicity.by_outlet(ctx.url, ctx.scope)
    by_outlet = pd.DataFrame(
        {
            "媒体": outlets["outlet"],
            "级别": outlets["level"].map(publicity.LEVEL_LABELS),
            "本期稿件（篇）": outlets["articles"].astype(int),
        }
    )
    towns = publicity.by_township(ctx.url, ctx.scope, ctx.today, thresholds)
    by_township = pd.DataFrame(
        {
            "乡镇": towns["township"],
            "本期稿件（篇）": towns["articles"].astype(int),
            "全年累计（篇）": towns["year_to_date"].astype(int),
            "全年任务（篇）": towns["target"].astype(float),
            "完成": towns["completion"].astype(float),
            "序时进度": towns["elapsed"].astype(float),
            "状态": towns["status_label"],
        }
    )
    by_month = month_table(ctx)
    return [
        Sheet(by_level, "按级别：本期稿件、全年累计与年度目标", name="按级别", formats=paced),
        Sheet(by_outlet, "按媒体（本期）", name="按媒体", totals=("本期稿件（篇）",)),
        Sheet(by_month, "按月份（本期）", name="按月份", totals=tuple(by_month.columns[1:])),
        Sheet(
            by_township,
            "按乡镇：报送任务与完成",
            name="按乡镇",
            totals=("本期稿件（篇）", "全年累计（篇）"),
            formats={"完成": "pct", "序时进度": "pct", "全年任务（篇）": "general"},
        ),
    ]
