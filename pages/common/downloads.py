"""The Excel (and CSV) download of a board view, drawn in one call: the file is named after the view, the filter
and the day, and holds the view's tables with the filter, the period and the time of the last change."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from data_layer.export import XLSX_MIME, Sheet, period_text, to_csv, workbook
from data_layer.queries import org
from pages.common.context import ViewContext

Tables = Callable[[], Sequence[Sheet]]


def file_name(ctx: ViewContext, view: str, suffix: str, *, filtered: bool = True) -> str:
    """“补贴发放_2023年上半年_全县_20261129.xlsx”: what, for which filter, downloaded which day."""
    units = ctx.units_label().replace(" ", "")
    chosen = f"{ctx.spec.label()}_{units}_" if filtered else ""
    return f"{view}_{chosen}{ctx.today:%Y%m%d}.{suffix}"


def excel_bytes(ctx: ViewContext, tables: Tables, unfiltered: str = "") -> bytes:
    """The view's tables as one workbook; the as-of time is the store's last write (UTC, shown in Beijing time).
    ``unfiltered``: what the view holds instead, for a view the filter does not narrow (数据质量, 数据来源)."""
    return workbook(
        tables(),
        filter_label=unfiltered or ctx.label(),
        period="不分期间（见各行）" if unfiltered else period_text(ctx.scope.start, ctx.scope.end),
        taken_at=org.last_write(ctx.url),
    )


def download_buttons(
    ctx: ViewContext, view: str, tables: Tables, *, key: str, csv: bool = False, unfiltered: str = "", where=None
) -> None:
    """“下载 Excel” (and, with ``csv``, “下载 CSV” of the first table) at the right of a row of their own, or in
    ``where``. The files are built when clicked, not on every run of the page."""
    holder = st.container(horizontal=True, horizontal_alignment="right") if where is None else where
    holder.download_button(
        "下载 Excel",
        lambda: excel_bytes(ctx, tables, unfiltered),
        file_name=file_name(ctx, view, "xlsx", filtered=not unfiltered),
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",  # a download never reruns the page under the audience's eyes
    )
    if csv:

        def first_table() -> bytes:
            sheet = tables()[0]
            return to_csv(sheet.table, sheet.formats)

        holder.download_button(
            "下载 CSV",
            first_table,
            file_name=file_name(ctx, view, "csv", filtered=not unfiltered),
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
        )
