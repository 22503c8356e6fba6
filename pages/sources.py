"""数据来源: every figure of the source report, as printed, as used, and as the store holds it now."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_layer.export import Sheet
from data_layer.queries import org, provenance
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
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
    download_buttons(
        ctx,
        "数据来源",
        lambda: [figures_sheet(ctx)],
        key="sources",
        unfiltered="报告的全部数字；库中现值为各数字所属期间的全县数",
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


def figures_sheet(ctx: ViewContext) -> Sheet:
    """The download: every registered figure of the report, as printed, as used and as the store holds it now."""
    rows = provenance.figures_with_store(ctx.url, int(org.counties(ctx.url)["county_id"].iloc[0]))
    table = pd.DataFrame(
        {
            "领域": rows["area"],
            "事项": rows["item"],
            "原文数值": rows["value_printed"],
            "采用值": rows["value_used"],
            "单位": rows["unit"],
            "库中现值": rows["store_value"],
            "核对": rows["matches"].map({True: "一致", False: "不一致"}).fillna("—"),
            "说明": rows["why_differs"],
            "出处": rows["section"],
            "原文": rows["quote"],
            "期间": rows["period"],
        }
    )
    numbers = {"原文数值": "general", "采用值": "general", "库中现值": "general"}
    return Sheet(table, "报告数字的出处与核对", name="数据来源", formats=numbers, widths={"原文": 60, "说明": 40})
