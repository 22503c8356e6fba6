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
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from data_layer.domain import text

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

# Stored text is whatever someone typed or imported. A spreadsheet program runs a cell that starts with one of
# these as a formula (=HYPERLINK("http://…","点我领补贴")); OWASP's CSV-injection rule: such text leaves as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")  # −12.5 or +3% stays a number


def inert(value: object) -> object:
    """A CSV cell: text that a spreadsheet would run as a formula gets a leading ' (shown, never run)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def book_bytes(book) -> bytes:
    """A workbook as it is downloaded: every cell a value. A text that starts with = (a title typed or imported
    so) is written as text, never as a formula; the app itself writes no formula into a cell."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV that Chinese Excel opens right (UTF-8 with a byte-order mark), no cell run as a formula."""
    return table.map(inert).to_csv(index=False).encode("utf-8-sig")


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
    total_row: Sequence | None = None  # a 合计 row worked out by the caller (from stored values), not summed here


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
        value = text.local(value).replace(tzinfo=None)  # Excel has no time zones: Beijing time
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
    ws.append([f"数据最后更新：{text.as_of(taken_at)}"])
    ws.append(columns)
    for cell in ws[HEADER_ROW]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in table.itertuples(index=False):
        ws.append([clean(v, kinds[c]) for v, c in zip(row, table.columns, strict=True)])
    last = ws.max_row
    if sheet.total_row is not None and len(table):
        ws.append([clean(v, kinds[c]) for v, c in zip(sheet.total_row, table.columns, strict=True)])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        last = ws.max_row
    elif sheet.totals and len(table):
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
    return book_bytes(wb)


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
    return csv_bytes(csv_table(table, formats))


# --- a board's tables (data_layer/views/board.py) ------------------------------------------------------------

# How a column kind of a board's table is written: Excel's number format (FORMATS) for its cells.
KIND_FORMATS = {"wan": "money", "yuan": "money", "pct": "pct", "count": "int", "decimal": "general", "text": "text"}


def sheet_of(table) -> Sheet:
    """A board's ``Table`` as a sheet: each cell the number a reader sees (万元 and 元 rounded half-up as the text
    module rounds them, a share as 0.526 shown as 52.6%, a stored time in Beijing time), and the 合计 row worked
    out from the stored values (fen), never by adding rounded cells."""
    from data_layer.views.board import cell_number, downloaded

    table = downloaded(table)
    numbers = table.numbers(with_total=False)
    total = table.total_row()
    formats = {c.name: KIND_FORMATS[c.kind] for c in table.columns if c.kind in KIND_FORMATS}
    widths = {c.name: 50.0 for c in table.columns if c.width == "large"}
    return Sheet(
        numbers,
        table.title,
        name=table.sheet or table.title,
        formats=formats,
        widths=widths,
        total_row=None if total is None else [cell_number(c.kind, total[c.name]) for c in table.columns],
    )


def tables_workbook(tables: Sequence, *, filter_label: str, period: str | None, taken_at: datetime | None) -> bytes:
    """A board's download: one sheet per table, each under the filter, the period and the as-of time."""
    return workbook([sheet_of(t) for t in tables], filter_label=filter_label, period=period, taken_at=taken_at)


def table_csv(table) -> bytes:
    """A board's table as CSV, as the screen shows it: money rounded as printed, a share as 52.6 under “（%）”,
    times in Beijing time; the 合计 row too. UTF-8 with a byte-order mark (Chinese Excel opens it right)."""
    from data_layer.views.board import cell_number, downloaded

    table = downloaded(table)
    frame = table.with_total()
    out = {}
    for c in table.columns:
        header = f"{c.name}（%）" if c.kind == "pct" and "%" not in c.name else c.name
        cells = []
        for v in frame[c.name]:
            if text.missing(v):
                cells.append("")
            elif c.kind == "pct":
                cells.append(str(text.pct_number(v)))
            elif c.kind in ("wan", "yuan", "decimal"):
                cells.append(str(text.number(c.kind, v)))
            elif c.kind == "time":
                cells.append(text.short_time(v))
            else:
                cells.append(str(cell_number(c.kind, v)))
        out[header] = cells
    return csv_bytes(pd.DataFrame(out))
