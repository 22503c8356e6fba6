"""总览: one card per area, big enough to read from the back of the meeting room. The figures and charts are the
board's (data_layer/views/overview.py), the same its area's board, slide and deck show; this page lays them out."""

from __future__ import annotations

import streamlit as st

from data_layer.views import overview as board_of
from data_layer.views.board import Board
from pages.common import board as draw
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
from pages.common.ui import card_title, empty


def render() -> None:
    ctx = current()
    board = board_of.build(ctx.view)
    top = st.columns(2, gap="medium")
    bottom = st.columns(2, gap="medium")
    with top[0].container(border=True):
        render_projects(ctx, board)
    with top[1].container(border=True):
        render_subsidies(ctx, board)
    with bottom[0].container(border=True):
        render_levy(ctx, board)
    with bottom[1].container(border=True):
        render_publicity(ctx, board)
    if ctx.multi_county:  # a city's or a province's leaders compare their counties
        render_counties(board)
    download_buttons(
        ctx, "总览", lambda: board_of.build(ctx.view), key="overview"
    )  # under the cards: they keep the top


def render_projects(ctx: ViewContext, board: Board) -> None:
    card_title("三项重点工程", "projects", "详情", ctx)
    if board.note("projects_empty"):
        empty(board.note("projects_empty"))
        return
    draw.chart(board.chart("summary"), "overview_projects", height=200)
    st.caption(board.note("projects"))


def render_subsidies(ctx: ViewContext, board: Board) -> None:
    card_title("社会保障补贴发放", "subsidies", "详情", ctx)
    reached = f"惠及 {board.figure('people').text} · {board.figure('households').text}"
    draw.figure(board.figure("paid"), reached)
    if board.note("subsidies_empty"):
        empty(board.note("subsidies_empty"))
        return
    chart = board.chart("by_type")
    draw.chart(chart, "overview_subsidies", height=24 + 34 * len(chart.categories), room=1.5)


def render_levy(ctx: ViewContext, board: Board) -> None:
    card_title("按比例就业与残保金", "levy", "详情", ctx)
    if board.note("levy_empty"):
        empty(board.note("levy_empty"))
        return
    draw.figure(board.figure("collected"))
    draw.chart(board.chart("ratios"), "overview_levy", height=170)
    st.caption(board.note("levy"))


def render_publicity(ctx: ViewContext, board: Board) -> None:
    card_title("信息宣传", "publicity", "详情", ctx)
    target = board.figure("year_target")
    draw.figure(board.figure("articles"), "" if target.value is None else f"全年目标 {target.text}", label="发表稿件")
    draw.chart(board.chart("levels"), "overview_publicity", height=160, room=1.45)


def render_counties(board: Board) -> None:
    """Each county's headline figure of every area, side by side; a row picked narrows the page to that county."""
    st.subheader("各县（区）对比")
    table = board.table("counties")
    # a province's 140 scroll, sorted by any column; figures, not bars: nine columns must fit a 1024 projector
    draw.grid(table, "overview_counties", rows=None if len(table.rows) <= 20 else 16, total=False)
    st.caption(table.note)
