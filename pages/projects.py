"""重点工程: the three key projects against their targets and the year's pace (read-only). The figures, tables and
charts are the board's (data_layer/views/projects.py); this page lays them out."""

from __future__ import annotations

from functools import partial

import streamlit as st

from data_layer.domain import text
from data_layer.views import projects as board_of
from data_layer.views.board import Board
from pages.common import board as draw
from pages.common import ui
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
from pages.common.entry_fields import edit_link
from pages.common.fmt import escape_markdown
from pages.common.read_table import read_table
from pages.common.ui import GRID_ROW_PX, empty

STATUS_BG = {"on_track": "#dcfce7", "behind": "#fef3c7", "far_behind": "#fee2e2", "no_target": "#f3f4f6"}
# the screen's columns, that a 1024 projector holds (the download has every column: this period's, money)
ITEM_COLUMNS = ["工程", "指标", "计划实施期", "年初至期末累计 / 年度目标", "完成进度", "序时进度", "状态"]


def render() -> None:
    ctx = current()
    board = board_of.build(ctx.view)
    if board.empty:
        empty(board.empty)
        return
    render_project_cards(board)
    items = board.table("items")
    st.subheader("各项指标")
    draw.grid(items, "projects_items", bars=("完成进度",), columns=ITEM_COLUMNS, total=False)  # units differ: no 合计
    st.caption(items.note)
    download_buttons(ctx, "重点工程", lambda: board_of.build(ctx.view), key="projects")
    key = choose_item(items)
    detail = board_of.build(ctx.view, item=key)
    render_item_detail(detail)
    render_matrix(ctx, board)
    render_entries(ctx, detail)


def render_project_cards(board: Board) -> None:
    shown = [f for f in board.figures if f.key.startswith("project:")]
    cols = st.columns(len(shown), gap="medium")
    for col, figure in zip(cols, shown, strict=True):
        code = figure.key.split(":", 1)[1]
        with col.container(border=True):
            st.markdown(f"#### {escape_markdown(figure.label)}")
            draw.figure(figure, label="完成进度", status=True)
            if board.note(f"money:{code}"):
                st.markdown(escape_markdown(board.note(f"money:{code}")))


def choose_item(items) -> str:
    """The item the lower half of the page is about; kept in the URL as ``item=project.item``."""
    rows = items.rows
    keys = list(rows["key"])
    labels = {k: f"{p} · {i}（{u}）" for k, p, i, u in zip(keys, rows["工程"], rows["指标"], rows["单位"], strict=True)}
    wanted = st.query_params.get("item")
    if st.session_state.get("projects_item") not in keys:
        st.session_state.projects_item = wanted if wanted in keys else keys[0]
    st.divider()
    key = st.selectbox("查看指标", keys, format_func=labels.__getitem__, key="projects_item")
    if st.query_params.get("item") != key:
        st.query_params["item"] = key
    return key


def render_item_detail(detail: Board) -> None:
    left, right = st.columns(2, gap="large")
    with left:
        monthly = detail.chart("item_monthly")
        st.subheader(escape_markdown(monthly.title))
        if monthly.note:
            st.caption(monthly.note)
        draw.chart(monthly, "projects_monthly")
    with right:
        towns = detail.chart("item_townships")
        st.subheader(escape_markdown(towns.title))
        if not ui.townships_fit(len(towns.categories)):
            return
        if not towns.categories:
            empty("没有乡镇")
            return
        draw.chart(towns, "projects_by_township", height=50 + 30 * len(towns.categories))
        read_table(detail.table("item_township_table"))  # the chart above draws the bars: here the numbers, whole


def render_matrix(ctx: ViewContext, board: Board) -> None:
    st.subheader("乡镇 × 指标 完成进度")
    matrix = board.table("matrix")
    if not ui.townships_fit(len(matrix.rows)):
        return
    if len(matrix.columns) == 1 or matrix.rows.empty:
        empty("没有分解到乡镇的目标")
        return
    rates = [c.name.removesuffix(" 完成进度") for c in matrix.columns if c.kind == "pct"]
    st.caption(matrix.note)
    # one tab per project, its items' names as headers: the whole matrix is wider than a 1024 projector
    projects = list(dict.fromkeys(name.split("·", 1)[0] for name in rates))
    for number, (project, tab) in enumerate(zip(projects, st.tabs(projects), strict=True)):
        with tab:
            matrix_grid(matrix.rows, [n for n in rates if n.split("·", 1)[0] == project], f"projects_matrix_{number}")


def matrix_grid(rows, names: list[str], key: str) -> None:
    """The townships × ``names`` (one project's items): each cell its rate with its status's shape and colour."""
    shown = rows[["乡镇"]].copy()
    marks = {}
    for name in names:
        header = name.split("·", 1)[-1]
        marks[header] = list(rows[f"{name} 标记"])
        shown[header] = [
            f"{board_of.STATUS_MARKS[s]} {text.pct(v)}" if isinstance(s, str) and s != "no_target" else text.pct(v)
            for v, s in zip(rows[f"{name} 完成进度"], marks[header], strict=True)
        ]
    # each cell says its status as a shape too: the pastel red and green are one colour to a red–green colour-blind eye
    styled = shown.style.apply(
        lambda col: (
            [f"background-color: {STATUS_BG.get(s, '#fff')}" for s in marks[col.name]]
            if col.name in marks
            else [""] * len(col)
        ),
        axis=0,
    )
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        on_select=partial(narrow_to_township, key),
        selection_mode="single-row",
        key=key,
        height=44 + 40 * len(shown),
        row_height=GRID_ROW_PX,
    )


def narrow_to_township(key: str) -> None:
    """Row picked in the matrix: narrow the whole page (and its URL) to that township."""
    rows = st.session_state[key].selection.rows
    towns = list(board_of.build(current().view).table("matrix").rows["乡镇"])
    if rows and rows[0] < len(towns):
        st.session_state.f_townships = [towns[rows[0]]]


def render_entries(ctx: ViewContext, detail: Board) -> None:
    entries = detail.table("entries")
    st.subheader(entries.title)
    if entries.rows.empty:
        empty("没有记录")
        return
    links = [edit_link(ctx, "entry_projects", int(i)) for i in entries.rows["编号"]]
    # who entered it and when: in the record that 修改 opens, and in the download (a 1024 screen holds the rest)
    on_screen = [c.name for c in entries.columns if c.name not in ("录入人", "录入时间")]
    read_table(entries, rows=10, columns=on_screen, links={"修改": (links, "修改")})
