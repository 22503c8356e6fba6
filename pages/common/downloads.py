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


def masked_download(
    key: str,
    label: str,
    file: str,
    build: Callable[[bool], bytes],
    audit: Callable[[], object],
    *,
    admin: bool,
    toast: str,
) -> None:
    """A file with personal data masked for everyone (``build(False)``); the full one (``build(True)``) only for an
    administrator, after ``audit`` (the service that records the ask in 操作记录) went through ``Action`` —
    ticking alone writes nothing."""
    from pages.common.action import Action
    from pages.common.forms import other_errors

    left, right = st.columns([1, 2], vertical_alignment="center")
    left.download_button(
        f"{label}（Excel，证件号已遮盖）", build(False), file_name=f"{file}.xlsx", mime=XLSX_MIME, key=key
    )
    if not admin or not right.checkbox("导出完整身份证号（将记入操作记录）", key=f"{key}_full"):
        st.session_state.pop(f"{key}_ready", None)
        return
    if st.session_state.get(f"{key}_ready"):
        name, fx = f"{file}（完整）.xlsx", f"{key}_fx"
        right.download_button(
            "下载完整名册（Excel）", build(True), file_name=name, mime=XLSX_MIME, key=fx, type="primary"
        )
        return
    action = Action(f"{key}_audit", toast=toast)
    other_errors(action.errors(), set())
    if right.button("记入操作记录并生成完整名册", key=f"{key}_go"):
        ready = lambda _: st.session_state.__setitem__(f"{key}_ready", True)  # noqa: E731
        action.run(lambda confirm, note: audit(), "已记入操作记录，可下载完整名册", after=ready)
        st.rerun()
