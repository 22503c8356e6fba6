"""总览: one card per area, big enough to read from the back of the meeting room."""

from __future__ import annotations

import math

import streamlit as st

from data_layer.queries import levy, projects, publicity, subsidies
from pages.common import charts
from pages.common.context import ViewContext, current
from pages.common.fmt import num, pct, wan
from pages.common.frame import handover
from pages.common.ui import empty, header, link, short_project_name


def render() -> None:
    ctx = current()
    header("县残联工作总览", ctx)
    top = st.columns(2, gap="large")
    bottom = st.columns(2, gap="large")
    with top[0].container(border=True):
        render_projects(ctx)
    with top[1].container(border=True):
        render_subsidies(ctx)
    with bottom[0].container(border=True):
        render_levy(ctx)
    with bottom[1].container(border=True):
        render_publicity(ctx)


def render_projects(ctx: ViewContext) -> None:
    st.subheader("三项重点工程")
    summary = projects.project_summary(ctx.url, ctx.scope, ctx.today)
    if summary.empty:
        empty(f"{ctx.spec.year}年尚未设置重点工程")
        return
    elapsed = float(summary["elapsed"].iloc[0])
    rates = [0.0 if math.isnan(r) else r for r in summary["completion"]]
    text = [f"{pct(r)} {label}" for r, label in zip(summary["completion"], summary["status_label"], strict=True)]
    fig = charts.hbar(
        [short_project_name(n) for n in summary["project"]],
        [r * 100 for r in rates],
        text=text,
        colours=[charts.STATUS_COLOURS[s] for s in summary["status"]],
        x_max=max(100.0, max(rates) * 100 * 1.35, elapsed * 100 * 1.1),
        marker_at=elapsed * 100,
        marker_label=f"序时进度 {pct(elapsed)}",
        height=250,
    )
    charts.show(fig, "overview_projects")
    st.caption("完成进度：各指标年初至期末累计完成 ÷ 年度目标的平均；虚线：序时进度（全年已过时间）")
    link("projects", "重点工程详情", ctx)


def render_subsidies(ctx: ViewContext) -> None:
    st.subheader("社会保障补贴发放")
    by_type = subsidies.totals_by_type(ctx.url, ctx.scope)
    paid = by_type[by_type["amount_fen"] > 0]
    households = int(paid.loc[paid["unit"] == "household", "recipients"].sum())
    people = int(paid.loc[paid["unit"] == "person", "recipients"].sum())
    cols = st.columns([2, 1, 1])
    cols[0].metric("发放金额", wan(int(by_type["amount_fen"].sum())))
    cols[1].metric("惠及人数", num(people))
    cols[2].metric("惠及户数", num(households))
    if paid.empty:
        empty("本期没有补贴发放记录")
    else:
        fig = charts.hbar(
            list(paid["type"]),
            list(paid["amount_fen"] / 1e6),
            text=[wan(a) for a in paid["amount_fen"]],
            x_max=float(paid["amount_fen"].max() / 1e6 * 1.6),
            height=60 + 42 * len(paid),
        )
        charts.show(fig, "overview_subsidies")
    link("subsidies", "补贴发放详情", ctx)


def render_levy(ctx: ViewContext) -> None:
    st.subheader("按比例就业 · 残保金执法检查")
    row = levy.coverage(ctx.url, ctx.scope).iloc[0]
    if int(row["registered"]) == 0:
        empty("没有登记的用人单位")
        link("levy", "残保金征收详情", ctx)
        return
    cols = st.columns(2)
    cols[0].metric("覆盖率", pct(row["coverage"]), help="本期发放年审通知或开展执法检查的单位 ÷ 登记单位")
    cols[1].metric("登记用人单位", f"{num(row['registered'])} 家")
    cols = st.columns(3)
    cols[0].metric("年审通知", f"{num(row['notified'])} 家")
    cols[1].metric("执法检查", f"{num(row['inspected'])} 家")
    cols[2].metric("现场检查", f"{num(row['onsite'])} 家")
    link("levy", "残保金征收详情", ctx)


def render_publicity(ctx: ViewContext) -> None:
    st.subheader("信息宣传")
    levels = publicity.by_level(ctx.url, ctx.scope)
    st.metric("发表稿件", f"{num(levels['articles'].sum())} 篇")
    targets = [None if math.isnan(t) else t for t in levels["target"]]
    text = [
        f"{n} 篇" + (f" / 目标 {t:.0f}" if t is not None else "")
        for n, t in zip(levels["articles"], targets, strict=True)
    ]
    top = max([*levels["articles"], *[t for t in targets if t is not None], 1])
    fig = charts.hbar(
        list(levels["level_label"]),
        list(levels["articles"]),
        text=text,
        colours=[charts.LEVEL_COLOURS[lv] for lv in levels["level"]],
        x_max=top * 1.7,
        targets=targets if ctx.scope.period == "all" else None,
        height=230,
    )
    charts.show(fig, "overview_publicity")
    link("publicity", "信息宣传详情", ctx)


handover(__name__)
