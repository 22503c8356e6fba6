"""信息宣传: articles per outlet level against the year's targets and its pace, by outlet, by month, by township
(who contributed, who has not) and the newest articles with their links. The figures, tables and charts are the
board's (data_layer/views/publicity.py); this page lays them out."""

from __future__ import annotations

import streamlit as st

from data_layer.views import publicity as board_of
from data_layer.views.board import Board, Figure
from pages.common import board as draw
from pages.common import ui
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
from pages.common.fmt import escape_markdown
from pages.common.ui import empty, level_key, link, status_badge

LIST_ROWS = 12  # the article list shows this many rows before it scrolls (its count is written above it)


def render() -> None:
    ctx = current()
    board = board_of.build(ctx.view)
    render_levels(board)
    if board.empty:
        empty(board.empty)
        return
    level_key()
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("按媒体（本期）")
        outlets = board.chart("by_outlet")
        draw.chart(outlets, "publicity_by_outlet", height=60 + 44 * len(outlets.categories), room=1.05, text_room=150)
    with right:
        st.subheader("按月份（本期，篇）")
        draw.chart(board.chart("by_month"), "publicity_by_month")
    render_by_township(board)
    download_buttons(ctx, "信息宣传", lambda: board_of.build(ctx.view), key="publicity")
    render_list(ctx, board)


def pace_line(f: Figure, done: Figure) -> str:
    """The status in shape, word and colour, and the share of the year's target done (HTML)."""
    share = "" if done.value is None or done.text == "—" else f'<span class="pace-done">完成 {done.text}</span>'
    return status_badge(f.status, f.status_label) + share


def render_levels(board: Board) -> None:
    shown = [f for f in board.figures if not f.key.startswith("done:")]
    for col, figure in zip(st.columns(5, gap="small"), shown, strict=True):
        with col.container(border=True):
            draw.figure(figure)
            st.html(pace_line(figure, board.figure(f"done:{figure.key}")))
    st.caption(board.note("levels"))


def render_by_township(board: Board) -> None:
    st.subheader("按乡镇：报送任务与完成")
    towns = board.table("by_township")
    if towns.rows.empty:
        st.caption("没有启用的乡镇")
        return
    if not ui.townships_fit(len(towns.rows)):
        return
    st.markdown(escape_markdown(towns.note))
    draw.grid(towns, "publicity_townships", bars=("完成",))
    st.caption(f"完成＝全年累计÷全年任务；序时进度 {board.note('elapsed')}。县本级：不属于任何乡镇的稿件。")


def render_list(ctx: ViewContext, board: Board) -> None:
    found = board.table("list")
    st.subheader(found.title)
    if found.rows.empty:
        st.caption("本期没有登记稿件")
        return
    if found.note:
        st.caption(found.note)
    draw.grid(found, "publicity_list", rows=LIST_ROWS, link_text="打开")
    link("publicity_ledger", "导出稿件列表（信息报送台账）", ctx)
