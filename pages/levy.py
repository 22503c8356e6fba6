"""残保金征收: the year's review, inspections and collection as of the period's end — four ratios that mean what a
leader means, the funnel, townships and sizes, the campaign by day, and today's worklist. The figures, tables and
charts are the board's (data_layer/views/levy.py); this page lays them out."""

from __future__ import annotations

import streamlit as st

from data_layer.domain import text
from data_layer.views import levy as board_of
from data_layer.views.board import Board
from pages.common import board as draw
from pages.common import ui
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
from pages.common.fmt import escape_markdown
from pages.common.ui import empty

RATIOS = ("ratio:review", "ratio:inspection", "ratio:quota", "ratio:collection")


def render() -> None:
    ctx = current()
    board = board_of.build(ctx.view, measure=st.session_state.get("levy_measure") or "review_rate")
    st.caption(board.note("as_of"))
    for col, key in zip(st.columns(len(RATIOS)), RATIOS, strict=True):
        with col:
            draw.figure(board.figure(key))
            st.caption(escape_markdown(board.note(key)))
    if board.empty:
        empty(f"{board.empty}。用人单位在“数据录入 → 用人单位名录”中登记或导入。")
        return
    funnel = board.chart("funnel")
    st.subheader(f"{ctx.scope.end.year}年度{funnel.title}")
    draw.chart(funnel, "levy_funnel", room=1.75)
    st.caption(funnel.note)
    render_by_township(board)
    st.subheader("分企业规模")
    sizes = board.table("by_size")
    draw.grid(sizes, "levy_sizes")
    st.caption(sizes.note)
    download_buttons(ctx, "残保金征收", lambda: board_of.build(ctx.view, everything=True), key="levy")
    render_campaigns(board)
    render_worklist(ctx, board)


def render_by_township(board: Board) -> None:
    st.subheader("分乡镇")
    towns = board.table("by_township")
    if not ui.townships_fit(len(towns.rows)):
        return
    st.segmented_control(
        "图中显示",
        list(board_of.MEASURES),
        default="review_rate",
        format_func=board_of.MEASURES.__getitem__,
        key="levy_measure",
    )
    chart = board.chart("by_township")
    draw.chart(chart, "levy_by_township", height=60 + 34 * len(chart.categories))
    st.caption(chart.note)
    draw.grid(towns, "levy_townships")
    st.caption(towns.note)


def render_campaigns(board: Board) -> None:
    if not board.has("campaigns"):
        return
    st.subheader("专项执法检查")
    campaigns = board.table("campaigns")
    lines = board.note("campaigns")
    if not lines:  # a city's or a province's many: one line each, the daily charts per county
        draw.grid(campaigns, "levy_campaigns", rows=12)
        st.caption(campaigns.note)
        return
    for line in lines.split("\n"):
        st.markdown(escape_markdown(line))
    for chart in board.charts:
        if chart.key.startswith("campaign:"):
            draw.chart(chart, f"levy_{chart.key.replace(':', '_')}")
    st.caption("累计现场检查次数，按检查日期逐日累加。")


def render_worklist(ctx: ViewContext, board: Board) -> None:
    st.subheader(f"待办（截至今天，{text.day(ctx.today)}）")
    st.caption(board.note("todo"))
    counts = sorted((f for f in board.figures if f.key.startswith("todo:")), key=lambda f: -f.value)
    if not any(f.value for f in counts):
        empty("没有逾期待办事项")
        return
    for col, figure in zip(st.columns(3) * 2, counts, strict=True):
        with col:
            draw.figure(figure)
    for figure in counts:
        with st.expander(f"{figure.label}：{figure.text}", expanded=False):
            if not figure.value:
                st.markdown("没有。")
                continue
            table = board.table(figure.key)
            if table.note:
                st.caption(table.note)
            draw.grid(table, f"levy_{figure.key.replace(':', '_')}", rows=12)
