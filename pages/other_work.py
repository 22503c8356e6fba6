"""其他工作: the report's other work items (rehabilitation, certificates, petitions, 助残日, bases, culture),
each for the filtered period against the same period of last year; for those who enter them, a link to 其他工作录入.
The tables are the board's (data_layer/views/other_work.py)."""

from __future__ import annotations

import streamlit as st

from data_layer.views import other_work as board_of
from pages.common import board as draw
from pages.common.context import current
from pages.common.downloads import download_buttons
from pages.common.fmt import escape_markdown
from pages.common.ui import empty, link


def render() -> None:
    ctx = current()
    actor = ctx.actor
    if actor is not None and actor.may_enter("other"):  # the entry page is in their navigation too
        link("entry_other_work", "录入其他工作数据", ctx)
    board = board_of.build(ctx.view)
    if board.empty:
        empty(board.empty)
        return
    if board.note("nothing"):
        empty(board.note("nothing"))
    for table in board.tables:
        if table.key.startswith("category:"):
            st.subheader(escape_markdown(table.title))
            draw.grid(table, f"ow_table_{table.title}")
    for key in ("at_least", "yoy"):
        if board.note(key):
            st.caption(board.note(key))
    download_buttons(ctx, "其他工作", lambda: board_of.build(ctx.view), key="other_work")
