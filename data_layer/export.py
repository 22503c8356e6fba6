"""Downloads of what a page shows: Excel with Chinese headers, the filter, the period and the time of the last change
above each table, totals only where a sum means something, a frozen header and a print setup one page wide; and
CSV rounded to what the screen shows.

A workbook holds one sheet per table (a view like 总览 or 重点工程 shows several). The layout of every sheet:
row 1 the title, row 2 筛选, row 3 期间, row 4 数据最后更新 (Beijing time), row 5 the header, then the rows
and, where the caller names columns to total, a 合计 row. Importers of exported files (the employer list, the
article ledger) find the header by its words, so they read these files back."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from data_layer.infra.settings import CHINA

HEADER_FILL = PatternFill("solid", fgColor="DDE7FF")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 5  # title, 筛选, 期间, 数据最后更新, then the header

# How a column's numbers read: Excel's number format, and the places a CSV keeps (a percentage is stored as a
# share, 0.526, shown as 52.6%; the CSV writes 52.6 under a header that says “（%）”).
FORMATS = {
    "int": ("#,##0", 0),
    "money": ("#,##0.00", 2),
    "dec1": ("#,##0.0", 1),
    "pct": ("0.0%", 1),
    "text": ("@", None),
    "general": ("General", None),
}
WIDE_SHEET = 100  # characters of column width beyond which a sheet prints landscape


@dataclass(frozen=True)
class Sheet:
    """One table of a workbook. ``formats``: column → a key of FORMATS (numbers not named: integers as "int",
    other numbers as "money"); ``totals``: the columns whose sum means something (never a rate or a
    percentage), written in a 合计 row; ``widths``: columns wider or narrower than their text asks."""

    table: pd.DataFrame
    title: str
    name: str = ""  # the sheet's tab (at most 31 characters); the title's start without it
    totals: Sequence[str] = ()
    formats: Mapping[str, str] = field(default_factory=dict)
    widths: Mapping[str, float] = field(default_factory=dict)


def as_of_text(taken_at: datetime | None) -> str:
    """A time as the office reads it, in Beijing time: the store keeps UTC, so a naive time is UTC too."""
    if taken_at is None:
        return "—"
    aware = taken_at if taken_at.tzinfo else taken_at.replace(tzinfo=UTC)
    local = aware.astimezone(CHINA)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}（北京时间）"


def period_text(start: date, end: date) -> str:
    """“2023年1月1日至2023年6月30日”."""
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def column_kind(table: pd.DataFrame, column: str, formats: Mapping[str, str]) -> str | None:
    if column in formats:
        return formats[column]
    if pd.api.types.is_bool_dtype(table[column]):
        return None
    if pd.api.types.is_integer_dtype(table[column]):
        return "int"
    if pd.api.types.is_float_dtype(table[column]):
        return "money"
    return None


def clean(value: object, kind: str | None) -> object:
    """A cell's value: no NaN, no float noise (9.525999999999998 → 9.526); numpy scalars as Python's."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo:
        value = value.astimezone(CHINA).replace(tzinfo=None)  # Excel has no time zones: Beijing time
    if isinstance(value, float) and kind not in ("text",):
        value = round(value, 8 if kind == "pct" else 6)
    return value


def text_width(value: object) -> float:
    """Columns of an Excel cell a value needs: a Chinese character takes two."""
    text = "" if value is None else (f"{value:,.2f}" if isinstance(value, float) else str(value))
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _write_sheet(ws, sheet: Sheet, *, filter_label: str, period: str | None, taken_at: datetime | None) -> None:
    table = sheet.table
    columns = [str(c) for c in table.columns]
    kinds = {c: column_kind(table, c, sheet.formats) for c in table.columns}
    ws.append([sheet.title])
    ws["A1"].font = Font(size=14, bold=True)
    ws.append([f"筛选：{filter_label}"])
    ws.append([f"期间：{period or '—'}"])
    ws.append([f"数据最后更新：{as_of_text(taken_at)}"])
    ws.append(columns)
    for cell in ws[HEADER_ROW]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in table.itertuples(index=False):
        ws.append([clean(v, kinds[c]) for v, c in zip(row, table.columns, strict=True)])
    last = ws.max_row
    if sheet.totals and len(table):
        unknown = set(sheet.totals) - set(table.columns)
        if unknown:
            raise ValueError(f"no such column to total: {sorted(unknown)}")
        ws.append(
            [
                "合计" if i == 0 else (clean(float(table[c].sum()), kinds[c]) if c in sheet.totals else None)
                for i, c in enumerate(table.columns)
            ]
        )
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        last = ws.max_row
    total_width = 0.0
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        kind = kinds[column]
        if kind in FORMATS:
            for (cell,) in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=last, min_col=index, max_col=index):
                if isinstance(cell.value, (int, float)) or kind == "text":
                    cell.number_format = FORMATS[kind][0]
        cells = [ws.cell(row=r, column=index).value for r in range(HEADER_ROW + 1, last + 1)]
        shown = [v * 100 if kind == "pct" and isinstance(v, float) else v for v in cells]
        width = sheet.widths.get(column) or min(60, max(8, text_width(column) + 2, *(text_width(v) + 2 for v in shown)))
        ws.column_dimensions[letter].width = width
        total_width += width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"  # the header stays in sight while scrolling
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"  # and is printed on every page
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1  # one page wide, as many pages long as it takes
    ws.page_setup.fitToHeight = 0
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if total_width > WIDE_SHEET or len(columns) > 8 else "portrait"


def workbook(sheets: Sequence[Sheet], *, filter_label: str, period: str | None, taken_at: datetime | None) -> bytes:
    """Several tables as one .xlsx, a sheet each, every sheet with the filter, the period and the as-of time."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        name = tab_name(sheet.name or sheet.title, used)
        _write_sheet(wb.create_sheet(name), sheet, filter_label=filter_label, period=period, taken_at=taken_at)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def tab_name(wanted: str, used: set[str]) -> str:
    """A sheet name Excel accepts: ≤ 31 characters, none of []:*?/\\, unique in the book."""
    base = "".join("（" if c == "[" else "）" if c == "]" else "_" if c in ":*?/\\" else c for c in wanted)[:31]
    name, n = base or "表", 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    return name


def to_xlsx(
    table: pd.DataFrame,
    *,
    title: str,
    filter_label: str,
    taken_at: datetime | None,
    period: str | None = None,
    totals: Sequence[str] | bool = (),
    formats: Mapping[str, str] | None = None,
    widths: Mapping[str, float] | None = None,
) -> bytes:
    """``table`` (its columns are the Chinese headers, with their units) as an .xlsx workbook of one sheet.
    ``totals``: the columns to total, or False for none (True: every summable column, see ``summable``)."""
    formats = dict(formats or {})
    if isinstance(totals, bool):
        totals = summable(table, formats) if totals else ()
    sheet = Sheet(table, title, totals=tuple(totals), formats=formats, widths=dict(widths or {}))
    return workbook([sheet], filter_label=filter_label, period=period, taken_at=taken_at)


NOT_SUMMED = ("率", "%", "进度", "占比", "人均", "平均")  # rates and averages: their sum means nothing


def summable(table: pd.DataFrame, formats: Mapping[str, str]) -> list[str]:
    """The numeric columns whose sum means something: not a percentage, a rate or an average."""
    return [
        c
        for c in table.columns[1:]
        if column_kind(table, c, formats) in ("int", "money", "dec1") and not any(word in str(c) for word in NOT_SUMMED)
    ]


def csv_table(table: pd.DataFrame, formats: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The table as the screen shows it: numbers rounded to their places, percentages as 52.6 under “（%）”."""
    formats = dict(formats or {})
    out = table.copy()
    renamed = {}
    for column in table.columns:
        kind = column_kind(table, column, formats)
        if kind not in FORMATS or FORMATS[kind][1] is None:
            continue
        places = FORMATS[kind][1]
        values = pd.to_numeric(table[column], errors="coerce")
        if kind == "pct":
            values = values * 100
            if "%" not in str(column):
                renamed[column] = f"{column}（%）"
        out[column] = values.map(lambda v, n=places: "" if pd.isna(v) else f"{v:.{n}f}")  # 3.00, as on screen
    return out.rename(columns=renamed)


def to_csv(table: pd.DataFrame, formats: Mapping[str, str] | None = None) -> bytes:
    """CSV that Chinese Excel opens correctly (UTF-8 with a byte-order mark), without float noise."""
    return csv_table(table, formats).to_csv(index=False).encode("utf-8-sig")
