"""其他工作: the report's other work items (rehabilitation, certificates, petitions, 助残日, bases, culture),
each for the filtered period against the same period of last year; for those who enter them, a link to 其他工作录入."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_layer.domain import text
from data_layer.export import Sheet
from data_layer.queries import indicators
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
from pages.common.fmt import escape_markdown
from pages.common.ui import GRID_ROW_PX, empty, grid_height, link


def render() -> None:
    ctx = current()
    actor = ctx.actor
    if actor is not None and actor.may_enter("other"):  # the entry page is in their navigation too
        link("entry_other_work", "录入其他工作数据", ctx)
    rows = indicators.year_on_year(ctx.url, ctx.scope)
    if rows.empty:
        empty("还没有设置工作指标。")
    else:
        if int(rows["count"].sum()) == 0:
            empty("本期没有其他工作数据。下表列出各项指标，本期数值待录入。")
        render_tables(ctx, rows)
        download_buttons(ctx, "其他工作", lambda: [year_on_year_sheet(ctx)], key="other_work")


def shown_value(value: int, count: int, at_least: bool) -> str:
    """The value as the report would say it: “200 以上” for its “200多”; “—” when nothing was entered."""
    if count == 0:
        return "—"
    return text.count(value) + (" 以上" if at_least else "")


def change(value: int, count: int, last_value: int, last_count: int) -> str:
    """同比 in words: 增长 / 下降 x%, 持平; “—” when either period has no value (or last year's was 0)."""
    if count == 0 or last_count == 0 or last_value == 0:
        return "—"
    rate = (value - last_value) / last_value
    if rate == 0:
        return "持平"
    return f"{'增长' if rate > 0 else '下降'} {text.pct(abs(rate))}"


def table(rows: pd.DataFrame, last_label: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "指标": rows["indicator"],
            "本期": [
                shown_value(v, c, a) for v, c, a in zip(rows["value"], rows["count"], rows["at_least"], strict=True)
            ],
            last_label: [shown_value(v, c, False) for v, c in zip(rows["last_value"], rows["last_count"], strict=True)],
            "同比": [
                change(v, c, lv, lc)
                for v, c, lv, lc in zip(
                    rows["value"], rows["count"], rows["last_value"], rows["last_count"], strict=True
                )
            ],
            "单位": rows["unit"],
        }
    )


def render_tables(ctx: ViewContext, rows: pd.DataFrame) -> None:
    last_label = f"{ctx.scope.year - 1}年同期"
    config = {
        "指标": st.column_config.TextColumn(width="large"),
        "本期": st.column_config.TextColumn(width="small"),
        last_label: st.column_config.TextColumn(width="small"),
        "同比": st.column_config.TextColumn(width="small"),
        "单位": st.column_config.TextColumn(width="small"),
    }
    for category, group in rows.groupby("category", sort=False):
        st.subheader(escape_markdown(category))
        st.dataframe(
            table(group, last_label),
            hide_index=True,
            width="stretch",
            height=grid_height(len(group)),  # every row in sight: no indicator hidden below a scroll
            row_height=GRID_ROW_PX,
            column_config=config,
            key=f"ow_table_{category}",
        )
    if rows["at_least"].any():
        st.caption("“以上”：上半年工作报告写作“多”（如“200多户”），这里按下限计。")
    st.caption("同比“—”：去年同期没有数据，无从比较。数值按期间的开始日期计入。")


def year_on_year_sheet(ctx: ViewContext) -> Sheet:
    """The download: every indicator with this period's and last year's value (blank when nothing was entered),
    同比 in words and the unit; the indicators' units differ, so nothing is totalled."""
    rows = indicators.year_on_year(ctx.url, ctx.scope)
    last_label = f"{ctx.scope.year - 1}年同期"
    table = pd.DataFrame(
        {
            "类别": rows["category"],
            "指标": rows["indicator"],
            "本期": [float(v) if c else None for v, c in zip(rows["value"], rows["count"], strict=True)],
            "本期说明": [
                "按下限计（报告写作“多”）" if a and c else ""
                for a, c in zip(rows["at_least"], rows["count"], strict=True)
            ],
            last_label: [float(v) if c else None for v, c in zip(rows["last_value"], rows["last_count"], strict=True)],
            "同比": [
                change(v, c, lv, lc)
                for v, c, lv, lc in zip(
                    rows["value"], rows["count"], rows["last_value"], rows["last_count"], strict=True
                )
            ],
            "单位": rows["unit"],
        }
    )
    return Sheet(table, "其他工作：本期与去年同期", name="其他工作", formats={"本期": "general", last_label: "general"})
