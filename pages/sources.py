"""数据来源: every figure of the source report, as printed, as used, and as the store holds it now. The table is
the board's (data_layer/views/sources.py)."""

from __future__ import annotations

import streamlit as st

from data_layer.views import sources as board_of
from pages.common import board as draw
from pages.common.context import current
from pages.common.downloads import download_buttons
from pages.common.ui import empty


def render() -> None:
    ctx = current()
    st.markdown(
        "报告中的每个数字都登记了出处、原文数值和采用值。**原文与采用值不同的，均说明了原因**；"
        "“库中现值”是按当前数据库重新统计的同期全县数（首个县区）。"
    )
    board = board_of.build(ctx.view)
    if board.empty:
        empty(board.empty)
        return
    draw.figure(board.figure("figures"))
    download_buttons(ctx, "数据来源", lambda: board_of.build(ctx.view), key="sources", filtered=False)
    table = board.table("figures")
    if table.note:
        st.caption(table.note)
    draw.grid(table, "sources_figures", rows=15)
