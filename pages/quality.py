"""数据质量: every finding of every registered check, with a link to the record. The findings are the board's
(data_layer/views/quality.py)."""

from __future__ import annotations

import streamlit as st

from data_layer.views import quality as board_of
from pages.common import board as draw
from pages.common.context import current
from pages.common.downloads import download_buttons
from pages.common.read_table import read_table
from pages.common.ui import empty


def render() -> None:
    ctx = current()
    st.markdown(
        "系统按下列规则逐条检查库中数据和报告原文数字。**提醒不等于错误**：核实无误的，录入时填写的说明会显示在这里。"
    )
    everything = board_of.build(ctx.view)
    if everything.empty:
        empty(everything.empty)
        return
    areas = [board_of.ALL_AREAS, *everything.note("areas").split("\n")]
    area = st.segmented_control("领域", areas, default=board_of.ALL_AREAS, key="dq_area") or board_of.ALL_AREAS
    board = board_of.build(ctx.view, area)
    cols = st.columns(min(len(board.figures), 4) or 1)
    for i, figure in enumerate(board.figures):
        with cols[i % len(cols)]:
            draw.figure(figure)
    download_buttons(ctx, "数据质量", lambda: board_of.build(ctx.view, area), key="quality", filtered=False)
    findings = board.table("findings")
    read_table(findings, rows=18, columns=["检查", "记录", "数值", "原因", "核实说明", "查看"])
