"""信息宣传: articles by outlet level, by outlet and by month."""

from __future__ import annotations

import streamlit as st

from data_layer.queries import publicity
from pages.common import charts
from pages.common.context import ViewContext, current
from pages.common.fmt import num
from pages.common.ui import empty


def render() -> None:
    ctx = current()
    levels = publicity.by_level(ctx.url, ctx.scope)
    cols = st.columns(5)
    cols[0].metric("发表稿件", f"{num(levels['articles'].sum())} 篇")
    for col, row in zip(cols[1:], levels.itertuples(), strict=True):
        target = "" if row.target != row.target else f"年度目标 {row.target:.0f} 篇"
        col.metric(row.level_label, f"{row.articles} 篇", target or None, delta_color="off", delta_arrow="off")
    if levels["articles"].sum() == 0:
        empty("本期没有登记稿件")
        return
    left, right = st.columns(2, gap="large")
    with left:
        render_by_outlet(ctx)
    with right:
        render_by_month(ctx)


def render_by_outlet(ctx: ViewContext) -> None:
    st.subheader("按媒体")
    rows = publicity.by_outlet(ctx.url, ctx.scope)
    fig = charts.hbar(
        list(rows["outlet"]),
        list(rows["articles"]),
        text=[f"{n} 篇" for n in rows["articles"]],
        colours=[charts.LEVEL_COLOURS[lv] for lv in rows["level"]],
        x_max=max(rows["articles"].max(), 1) * 1.3,
        height=60 + 44 * len(rows),
    )
    charts.show(fig, "publicity_by_outlet")


def render_by_month(ctx: ViewContext) -> None:
    st.subheader("按月份")
    rows = publicity.by_month(ctx.url, ctx.scope)
    months = sorted(rows["month"].unique())
    labels = {"national": "国家级", "provincial": "省级", "municipal": "市级", "county": "县级"}
    series = {
        labels[lv]: [int(rows[(rows.month == m) & (rows.level == lv)]["articles"].sum()) for m in months]
        for lv in labels
    }
    charts.show(
        charts.stacked_bars([f"{int(m[5:])}月" for m in months], series, y_title="篇", height=380), "publicity_by_month"
    )
