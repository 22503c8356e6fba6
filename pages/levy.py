"""残保金征收: how far the review and the inspections reached the registered employers."""

from __future__ import annotations

import streamlit as st

from data_layer.queries import levy
from pages.common import charts
from pages.common.context import ViewContext, current
from pages.common.fmt import cn_date, escape_markdown, num, pct
from pages.common.ui import empty, township_names, township_order


def render() -> None:
    ctx = current()
    total = levy.coverage(ctx.url, ctx.scope).iloc[0]
    if int(total["registered"]) == 0:
        empty("没有登记的用人单位")
        return
    cols = st.columns(5)
    cols[0].metric("覆盖率", pct(total["coverage"]))
    cols[1].metric("登记用人单位", f"{num(total['registered'])} 家")
    cols[2].metric("年审通知", f"{num(total['notified'])} 家")
    cols[3].metric("执法检查", f"{num(total['inspected'])} 家")
    cols[4].metric("现场检查", f"{num(total['onsite'])} 家")
    render_campaigns(ctx)
    render_by_township(ctx)


def render_campaigns(ctx: ViewContext) -> None:
    rows = levy.campaigns(ctx.url, ctx.scope)
    if rows.empty:
        return
    st.subheader("专项执法检查")
    for r in rows.itertuples():
        st.markdown(
            f"**{escape_markdown(r.campaign)}**（{escape_markdown(r.document)}），"
            f"{cn_date(r.start_date)}至{cn_date(r.end_date)}："
            f"检查用人单位 **{num(r.inspected)}** 家，其中现场检查 **{num(r.onsite)}** 家。"
        )


def render_by_township(ctx: ViewContext) -> None:
    st.subheader("分乡镇覆盖率")
    rows = levy.coverage(ctx.url, ctx.scope, by_township=True)
    rows = rows.assign(township=rows["township_id"].map(township_names(ctx)))
    order = [t for t in township_order(ctx) + ["县本级"] if t in set(rows["township"])]
    rows = rows.set_index("township").reindex(order).reset_index().sort_values("coverage")
    fig = charts.hbar(
        list(rows["township"]),
        list(rows["coverage"] * 100),
        text=[pct(c) for c in rows["coverage"]],
        x_max=115,
        height=60 + 34 * len(rows),
    )
    charts.show(fig, "levy_by_township")
    table = rows.rename(
        columns={
            "township": "乡镇（街道）",
            "registered": "登记单位",
            "notified": "年审通知",
            "inspected": "执法检查",
            "onsite": "现场检查",
            "covered": "已覆盖",
            "coverage": "覆盖率",
        }
    )
    st.dataframe(
        table[["乡镇（街道）", "登记单位", "年审通知", "执法检查", "现场检查", "已覆盖", "覆盖率"]],
        hide_index=True,
        width="stretch",
        column_config={"覆盖率": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)},
    )
