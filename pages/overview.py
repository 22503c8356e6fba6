"""总览: one card per area, big enough to read from the back of the meeting room."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from data_layer import app_settings
from data_layer.domain import text
from data_layer.domain.money import fen_to_wan
from data_layer.export import Sheet
from data_layer.queries import counties, levy, org, projects, publicity, subsidies
from pages.common import charts
from pages.common.charts import STATUS_MARKS
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
from pages.common.ui import (
    GRID_ROW_PX,
    as_points,
    big_number,
    card_title,
    empty,
    grid_height,
    short_project_name,
)


def render() -> None:
    ctx = current()
    top = st.columns(2, gap="medium")
    bottom = st.columns(2, gap="medium")
    with top[0].container(border=True):
        render_projects(ctx)
    with top[1].container(border=True):
        render_subsidies(ctx)
    with bottom[0].container(border=True):
        render_levy(ctx)
    with bottom[1].container(border=True):
        render_publicity(ctx)
    if ctx.multi_county:  # a city's or a province's leaders compare their counties
        render_counties(ctx)
    download_buttons(ctx, "总览", lambda: overview_sheets(ctx), key="overview")  # under the cards: they keep the top


def render_projects(ctx: ViewContext) -> None:
    card_title("三项重点工程", "projects", "详情", ctx)
    summary = projects.project_summary(ctx.url, ctx.scope, ctx.today, app_settings.pace_thresholds(ctx.url))
    if summary.empty:
        empty(f"{ctx.spec.year}年尚未设置重点工程")
        return
    rates = [0.0 if math.isnan(r) else r for r in summary["completion"]]
    bar_text = [
        f"{STATUS_MARKS[s]} {text.pct(r)} {label}"
        for r, s, label in zip(summary["completion"], summary["status"], summary["status_label"], strict=True)
    ]
    paces = [e * 100 for e in summary["elapsed"]]
    one_pace = len(set(paces)) == 1  # no item follows a plan of its own: one dashed line says it for all
    fig = charts.hbar(
        [short_project_name(n) for n in summary["project"]],
        [r * 100 for r in rates],
        text=bar_text,
        colours=[charts.STATUS_COLOURS[s] for s in summary["status"]],
        x_max=max(100.0, max(rates) * 100 * 1.1),
        marker_at=paces[0] if one_pace else None,
        marker_label=f"序时进度 {text.pct(summary['elapsed'].iloc[0])}",
        targets=None if one_pace else paces,
        height=200,
    )
    charts.show(fig, "overview_projects")
    pace_words = (
        "虚线：全年已过时间（序时进度）"
        if one_pace
        else "竖线：各工程的序时进度（按指标计划实施期），"
        + "，".join(
            f"{short_project_name(n)} {text.pct(e)}"
            for n, e in zip(summary["project"], summary["elapsed"], strict=True)
        )
    )
    st.caption(f"柱：各指标年初至期末累计完成 ÷ 年度目标的平均；{pace_words}")


def render_subsidies(ctx: ViewContext) -> None:
    card_title("社会保障补贴发放", "subsidies", "详情", ctx)
    by_type = subsidies.totals_by_type(ctx.url, ctx.scope)
    paid = by_type[by_type["amount_fen"] > 0]
    households = int(paid.loc[paid["unit"] == "household", "recipients"].sum())
    people = int(paid.loc[paid["unit"] == "person", "recipients"].sum())
    big_number(
        "发放金额",
        text.wan(int(by_type["amount_fen"].sum()), unit=False),
        "万元",
        f"惠及 {text.count(people)} 人 · {text.count(households)} 户",
    )
    if paid.empty:
        empty("本期没有补贴发放记录")
        return
    colours = charts.subsidy_colours(list(by_type["type_code"]))  # each type's colour on every page
    fig = charts.hbar(
        list(paid["type"].str.replace("残疾人", "", regex=False)),
        list(paid["amount_fen"] / 1e6),
        text=[f"{a / 1e6:,.2f} 万元" for a in paid["amount_fen"]],
        colours=[colours[c] for c in paid["type_code"]],
        x_max=float(paid["amount_fen"].max() / 1e6 * 1.5),
        height=24 + 34 * len(paid),
    )
    charts.show(fig, "overview_subsidies")


def render_levy(ctx: ViewContext) -> None:
    card_title("按比例就业与残保金", "levy", "详情", ctx)
    total = levy.summary(ctx.url, ctx.scope).iloc[0]
    if int(total["registered"]) == 0:
        empty("没有登记的用人单位")
        return
    ratios = levy.headline(ctx.url, ctx.scope)
    collection = ratios[-1]
    task = f"征收任务 {text.wan(collection.denominator)}" if collection.denominator else collection.why_none
    big_number("已征收", f"{fen_to_wan(int(collection.numerator)):,}", "万元", f"{task} · {ctx.scope.end.year}年度")
    fig = charts.hbar(
        [r.label for r in ratios],
        [(r.value or 0) * 100 for r in ratios],
        text=[text.pct(r.value) for r in ratios],
        x_max=140,
        height=170,
    )
    charts.show(fig, "overview_levy")
    missing = [f"{r.label}“—”：{r.why_none}" for r in ratios if r.value is None]
    st.caption(
        f"截至{text.day(ctx.scope.end)}：年审完成率＝审核通过÷应年审（非免征）单位；检查覆盖率＝本期检查过÷已登记单位；"
        "达标率＝达到安排比例÷审核通过的非免征单位；征收完成率＝已征收÷征收任务。" + "；".join(missing)
    )


def render_publicity(ctx: ViewContext) -> None:
    card_title("信息宣传", "publicity", "详情", ctx)
    levels = publicity.by_level(ctx.url, ctx.scope, ctx.today)
    target = levels["target"].sum(min_count=1)
    note = "" if math.isnan(target) else f"全年目标 {text.count(target)} 篇"
    big_number("发表稿件", text.count(levels["articles"].sum()), "篇", note)
    targets = [None if math.isnan(t) else t for t in levels["target"]]
    show_targets = ctx.scope.period == "all"
    bar_text = [
        text.count(n) + (f" / {text.count(t)}" if t is not None and show_targets else "")
        for n, t in zip(levels["articles"], targets, strict=True)
    ]
    top = max([*levels["articles"], *[t for t in targets if t is not None and show_targets], 1])
    fig = charts.hbar(
        list(levels["level_label"]),
        list(levels["articles"]),
        text=bar_text,
        colours=[charts.LEVEL_COLOURS[lv] for lv in levels["level"]],
        x_max=top * 1.45,
        targets=targets if show_targets else None,
        height=160,
    )
    charts.show(fig, "overview_publicity")


def county_table(ctx: ViewContext) -> pd.DataFrame:
    rows = counties.by_county(ctx.url, ctx.scope)
    return pd.DataFrame(
        {
            "县（区）": rows["county"],
            "乡镇数": rows["townships"],
            "重点工程完成": rows["projects_completion"],
            "补贴（万元）": rows["subsidy_fen"] / 1e6,
            "残保金（万元）": rows["collected_fen"] / 1e6,
            "征收完成率": rows["collection_rate"],
            "年审完成率": rows["review_rate"],
            "检查覆盖率": rows["inspection_rate"],
            "稿件（篇）": rows["articles"],
        }
    )


RATE_COLUMNS = ("重点工程完成", "征收完成率", "年审完成率", "检查覆盖率")


def render_counties(ctx: ViewContext) -> None:
    """Each county's headline figure of every area, side by side; a row picked narrows the page to that county."""
    st.subheader("各县（区）对比")
    table = county_table(ctx)
    shown = table.assign(**{c: as_points(table[c]) for c in RATE_COLUMNS})
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=grid_height(len(shown)) if len(shown) <= 20 else 640,  # a province's 140 scroll, sorted by any column
        row_height=GRID_ROW_PX,
        column_config={
            # figures, not bars: nine columns must fit a 1024 projector without a sideways scroll
            **{c: st.column_config.NumberColumn(format="%.1f%%") for c in RATE_COLUMNS},
            "补贴（万元）": st.column_config.NumberColumn(format="%,.2f"),
            "残保金（万元）": st.column_config.NumberColumn(format="%,.2f"),
        },
        key="overview_counties",
    )
    st.caption(
        "重点工程完成：各工程（其指标年初至期末累计 ÷ 本县年度目标的平均）的平均；补贴：本期发放；残保金：已征收；"
        "稿件：本期发表；征收完成率：已征收 ÷ 本县征收任务；"
        "年审完成率、检查覆盖率的口径同“残保金征收”页。点列标题可排序。"
    )


def overview_sheets(ctx: ViewContext) -> list[Sheet]:
    sheets = [headline_sheet(ctx)]
    if ctx.multi_county:
        table = county_table(ctx)
        sheets.append(
            Sheet(
                table,
                "各县（区）对比",
                name="各县（区）对比",
                totals=("乡镇数", "补贴（万元）", "残保金（万元）", "稿件（篇）"),
                formats={c: "pct" for c in RATE_COLUMNS},
            )
        )
    return sheets


def rounded(value: float | None, places: int) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), places)


def headline_sheet(ctx: ViewContext) -> Sheet:
    """The four cards' figures as one table: area, figure, value, unit, and its status or note in words."""
    rows: list[tuple] = []
    summary = projects.project_summary(ctx.url, ctx.scope, ctx.today, app_settings.pace_thresholds(ctx.url))
    for r in summary.itertuples():
        note = f"{r.status_label}；序时进度 {text.pct(r.elapsed)}"
        rows.append(
            ("三项重点工程", f"{short_project_name(r.project)}：完成进度", rounded(r.completion * 100, 1), "%", note)
        )
    by_type = subsidies.totals_by_type(ctx.url, ctx.scope)
    paid = by_type[by_type["amount_fen"] > 0]
    rows.append(("社会保障补贴发放", "发放金额", rounded(by_type["amount_fen"].sum() / 1e6, 2), "万元", ""))
    for unit, word in (("person", "人"), ("household", "户")):
        rows.append(
            ("社会保障补贴发放", f"惠及（{word}）", int(paid.loc[paid["unit"] == unit, "recipients"].sum()), word, "")
        )
    for r in paid.itertuples():
        rows.append(("社会保障补贴发放", f"{r.type}：发放金额", rounded(r.amount_fen / 1e6, 2), "万元", ""))
    if int(levy.summary(ctx.url, ctx.scope).iloc[0]["registered"]):
        ratios = levy.headline(ctx.url, ctx.scope)
        collection = ratios[-1]
        year = f"{ctx.scope.end.year}年度"
        rows.append(("按比例就业与残保金", "已征收", rounded(collection.numerator / 1e6, 2), "万元", year))
        if collection.denominator:
            rows.append(("按比例就业与残保金", "征收任务", rounded(collection.denominator / 1e6, 2), "万元", year))
        for r in ratios:
            value = None if r.value is None else rounded(r.value * 100, 1)
            rows.append(("按比例就业与残保金", r.label, value, "%", r.why_none if r.value is None else ""))
    levels = publicity.by_level(ctx.url, ctx.scope, ctx.today)
    target = levels["target"].sum(min_count=1)
    rows.append(("信息宣传", "发表稿件（本期）", int(levels["articles"].sum()), "篇", ""))
    rows.append(("信息宣传", "全年目标", rounded(target, 0), "篇", "" if target == target else "未设目标"))
    for r in levels.itertuples():
        note = "未设目标" if math.isnan(r.target) else f"全年目标 {text.count(r.target)} 篇"
        rows.append(("信息宣传", f"{r.level_label}稿件（本期）", int(r.articles), "篇", note))
    table = pd.DataFrame(rows, columns=["领域", "指标", "数值", "单位", "状态或说明"])
    return Sheet(table, f"{org.office(org.counties(ctx.url))}工作总览", name="总览", formats={"数值": "general"})
