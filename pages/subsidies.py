"""补贴发放: money paid and recipients by township and subsidy type, by month, and the records behind them.
The figures, tables and charts are the board's (data_layer/views/subsidies.py); this page lays them out."""

from __future__ import annotations

import streamlit as st

from data_layer.views import subsidies as board_of
from data_layer.views.board import Board
from pages.common import board as draw
from pages.common import ui
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
from pages.common.entry_fields import edit_link
from pages.common.read_table import read_table
from pages.common.ui import big_number, empty


def render() -> None:
    ctx = current()
    board = board_of.build(ctx.view)
    cols = st.columns(3)
    with cols[0]:
        draw.figure(board.figure("paid"))
    with cols[1]:
        big_number("惠及", f"{board.figure('people').text} · {board.figure('households').text}")
    with cols[2]:
        draw.figure(board.figure("payments"))
    if board.empty:
        empty(f"{board.empty}。发放记录在“数据录入 → 补贴发放录入”中登记。")
        return
    render_by_township(ctx, board)
    render_by_month(board)
    render_records(ctx, board)


def render_by_township(ctx: ViewContext, board: Board) -> None:
    st.subheader("分乡镇、分类型发放金额（万元）")
    amounts = board.table("by_township")
    if not ui.townships_fit(len(amounts.rows)):
        return
    draw.chart(board.chart("by_township"), "subsidies_by_township")
    st.caption(board.note("by_township"))
    draw.grid(amounts, "subsidies_towns", on_select=narrow_to_township)
    people = board.table("people_by_township")
    with st.expander("分乡镇惠及人（户）数"):
        draw.grid(people, "subsidies_people")
        st.caption(people.note)
    download_buttons(
        ctx, "补贴发放", lambda: board_of.build(ctx.view, every_record=True), key="subsidies", csv="by_township"
    )


def narrow_to_township() -> None:
    """A row picked in the township table: narrow the whole page (and its URL) to that township."""
    rows = st.session_state.subsidies_towns.selection.rows
    towns = list(board_of.build(current().view).table("by_township").rows["乡镇（街道）"])
    if rows and rows[0] < len(towns) and towns[rows[0]] in set(ui.township_order(current())):
        st.session_state.f_townships = [towns[rows[0]]]


def render_by_month(board: Board) -> None:
    st.subheader("逐月发放")
    draw.chart(board.chart("by_month"), "subsidies_by_month")
    months = board.table("by_month")
    draw.grid(months, "subsidies_months", rows=12)
    st.caption(months.note)


def render_records(ctx: ViewContext, board: Board) -> None:
    records = board.table("records")
    st.subheader(records.title)
    if records.note:
        st.caption(records.note)
    links = [edit_link(ctx, "entry_subsidies", int(i)) for i in records.rows["编号"]]
    # who entered it and when: in the record that 修改 opens, and in the download (a 1024 screen holds the rest)
    on_screen = [c.name for c in records.columns if c.name not in ("录入人", "录入时间")]
    read_table(records, rows=10, columns=on_screen, links={"修改": (links, "修改")})
