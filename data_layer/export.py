"""Downloads of what a page shows: Excel with Chinese headers, the filter above the table, a totals row."""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FILL = PatternFill("solid", fgColor="DDE7FF")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_xlsx(
    table: pd.DataFrame,
    *,
    title: str,
    filter_label: str,
    taken_at: datetime,
    totals: bool = True,
    number_format: str = "#,##0.00",
) -> bytes:
    """``table`` (its columns are the Chinese headers) as an .xlsx workbook of one sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([title])
    ws["A1"].font = Font(size=14, bold=True)
    ws.append([f"筛选：{filter_label}"])
    ws.append([f"数据截至：{taken_at:%Y-%m-%d %H:%M}"])
    ws.append([])
    ws.append(list(table.columns))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in table.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and v != v) else v for v in row])
    if totals and len(table):
        sums = [
            "合计" if i == 0 else (float(table[c].sum()) if pd.api.types.is_numeric_dtype(table[c]) else None)
            for i, c in enumerate(table.columns)
        ]
        ws.append(sums)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
    for col_index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(col_index)
        ws.column_dimensions[letter].width = max(10, len(str(column)) * 2 + 4)
        if pd.api.types.is_float_dtype(table[column]):
            for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=col_index, max_col=col_index):
                cell.number_format = number_format
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def to_csv(table: pd.DataFrame) -> bytes:
    """CSV that Chinese Excel opens correctly (UTF-8 with a byte-order mark)."""
    return table.to_csv(index=False).encode("utf-8-sig")
