"""数据质量: every finding of every registered check, with a link to the record."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_layer import checks
from data_layer.export import Sheet
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
from pages.common.ui import big_number, empty


def render() -> None:
    ctx = current()
    found = checks.findings(ctx.url)
    st.markdown(
        "系统按下列规则逐条检查库中数据和报告原文数字。**提醒不等于错误**：核实无误的，录入时填写的说明会显示在这里。"
    )
    if found.empty:
        empty("没有发现问题")
        return
    areas = ["全部", *dict.fromkeys(found["area"])]
    area = st.segmented_control("领域", areas, default="全部", key="dq_area") or "全部"
    shown = found if area == "全部" else found[found["area"] == area]
    counts = shown.groupby("title", sort=False).size()
    cols = st.columns(min(len(counts), 4) or 1)
    for i, (title, n) in enumerate(counts.items()):
        with cols[i % len(cols)]:
            big_number(title, str(n), "条")
    download_buttons(
        ctx,
        "数据质量",
        lambda: [findings_sheet(ctx, area)],
        key="quality",
        unfiltered="全部数据（不受年度、期间和乡镇筛选）",
    )
    table = shown.rename(
        columns={
            "title": "检查",
            "area": "领域",
            "record": "记录",
            "values": "数值",
            "why": "原因",
            "note": "核实说明",
            "link": "查看",
        }
    )
    st.dataframe(
        table[["检查", "记录", "数值", "原因", "核实说明", "查看"]],
        hide_index=True,
        width="stretch",
        height=min(700, 40 + 36 * len(table)),
        column_config={
            "查看": st.column_config.LinkColumn(display_text="打开"),
            "记录": st.column_config.TextColumn(width="large"),
        },
    )


def findings_sheet(ctx: ViewContext, area: str = "全部") -> Sheet:
    """The download: the findings listed (of the area picked), one a row, in words."""
    found = checks.findings(ctx.url)
    shown = found if area == "全部" else found[found["area"] == area]
    table = pd.DataFrame(
        {
            "领域": shown["area"],
            "检查": shown["title"],
            "记录": shown["record"],
            "数值": shown["values"],
            "原因": shown["why"],
            "核实说明": shown["note"],
        }
    )
    title = "数据质量检查发现" + ("" if area == "全部" else f"（{area}）")
    return Sheet(table, f"{title}：共 {len(table)} 条", name="数据质量", formats=dict.fromkeys(table.columns, "text"))
