"""The Excel (and CSV) download of a board, drawn in one call: the file is named after the board, the filter and
the day, and holds the board's figures and tables under the filter, the period and the time of the last change."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from data_layer.domain import text
from data_layer.export import XLSX_MIME, table_csv, tables_workbook
from data_layer.views.board import Board
from pages.common.context import ViewContext


def file_name(ctx: ViewContext, view: str, suffix: str, *, filtered: bool = True) -> str:
    """“补贴发放_2023年上半年_全县_20261129.xlsx”: what, for which filter, downloaded which day."""
    units = ctx.units_label().replace(" ", "")
    chosen = f"{ctx.spec.label()}_{units}_" if filtered else ""
    return f"{view}_{chosen}{text.compact_day(ctx.today)}.{suffix}"


def excel_bytes(board: Board) -> bytes:
    """The board as one workbook: its headline figures, then its tables, a sheet each."""
    return tables_workbook(board.sheets(), filter_label=board.filter_label, period=board.period, taken_at=board.as_of)


def download_buttons(
    ctx: ViewContext,
    view: str,
    build: Callable[[], Board],
    *,
    key: str,
    csv: str = "",
    filtered: bool = True,
    where=None,
) -> None:
    """“下载 Excel” (and, with ``csv`` naming one of the board's tables, “下载 CSV” of it) at the right of a row of
    their own, or in ``where``. The files are built when clicked, not on every run of the page."""
    holder = st.container(horizontal=True, horizontal_alignment="right") if where is None else where
    holder.download_button(
        "下载 Excel",
        lambda: excel_bytes(build()),
        file_name=file_name(ctx, view, "xlsx", filtered=filtered),
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",  # a download never reruns the page under the audience's eyes
    )
    if csv:
        holder.download_button(
            "下载 CSV",
            lambda: table_csv(build().table(csv)),
            file_name=file_name(ctx, view, "csv", filtered=filtered),
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
        )
