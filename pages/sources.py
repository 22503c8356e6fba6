"""数据来源: every figure of the source report, as printed, as used, and as the store holds it now."""

from __future__ import annotations

import streamlit as st

from data_layer.queries import org, provenance
from pages.common.context import current
from pages.common.ui import empty


def render() -> None:
    ctx = current()
    st.markdown(
        "报告中的每个数字都登记了出处、原文数值和采用值。**原文与采用值不同的，均说明了原因**；"
        "“库中现值”是按当前数据库重新统计的同期全县数（首个县区）。"
    )
    counties = org.counties(ctx.url)
    if counties.empty:
        empty("数据库中还没有县区")
        return
    rows = provenance.figures_with_store(ctx.url, int(counties["county_id"].iloc[0]))
    if rows.empty:
        empty("没有登记报告数字")
        return
    st.metric(
        "登记数字",
        f"{len(rows)} 个",
        f"其中 {int((rows['why_differs'] != '').sum())} 个采用值与原文不同或需说明",
        delta_color="off",
        delta_arrow="off",
    )
    table = rows.assign(
        核对=rows["matches"].map({True: "一致", False: "不一致"}).fillna("—"),
    ).rename(
        columns={
            "area": "领域",
            "item": "事项",
            "section": "出处",
            "quote": "原文",
            "value_printed": "原文数值",
            "value_used": "采用值",
            "unit": "单位",
            "store_value": "库中现值",
            "why_differs": "说明",
            "period": "期间",
        }
    )
    table["库中现值"] = table["库中现值"].map(lambda v: "" if v is None else f"{v:,}")
    st.dataframe(
        table[["领域", "事项", "原文数值", "采用值", "单位", "库中现值", "核对", "说明", "出处", "原文", "期间"]],
        hide_index=True,
        width="stretch",
        height=620,
        column_config={
            "采用值": st.column_config.NumberColumn(format="localized"),
            "说明": st.column_config.TextColumn(width="large"),
            "原文": st.column_config.TextColumn(width="large"),
        },
    )
