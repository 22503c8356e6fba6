"""The template workbook an import offers for download: the header, marked example rows (never imported),
drop-down lists for the fixed answers, and a 填写说明 sheet explaining each column with the names to choose
from (townships, outlets). One builder for every import (data_layer/documents/sheets.py reads them back)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from data_layer.documents.sheets import EXAMPLE_PREFIX, HEADER_WITHIN, MAX_BYTES, MAX_ROWS, Layout
from data_layer.export import HEADER_FILL, book_bytes

EXAMPLE_FILL = PatternFill("solid", fgColor="FFF3C4")
NOTES = "填写说明"
FORMAT_ROWS = 5_000  # rows below the header that offer the drop-down lists


@dataclass(frozen=True)
class Template:
    """What one import's template holds beyond its columns."""

    layout: Layout
    sheet: str  # the first sheet's name
    title: str  # the heading of the 填写说明 sheet
    examples: Sequence[Sequence[Any]]  # each starts (in ``layout.example_field``) with ``EXAMPLE_PREFIX``
    widths: Mapping[str, int] = field(default_factory=dict)  # header → column width
    text_columns: Sequence[str] = ()  # headers whose column is formatted as text
    choices: Mapping[str, str] = field(default_factory=dict)  # header → a fixed list ('"是,否"')
    rules: Sequence[str] = ()  # more lines for the 填写说明, after the shared ones


@dataclass(frozen=True)
class NameList:
    """Names listed on the 填写说明 sheet, and the column whose drop-down offers them (if any)."""

    heading: str
    names: Sequence[str]
    header: str | None = None


def template_workbook(template: Template, lists: Sequence[NameList]) -> bytes:
    """The import template as an .xlsx workbook."""
    headers = list(template.layout.headers)
    book = Workbook()
    sheet = book.active
    sheet.title = template.sheet
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in template.examples:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = Font(italic=True, color="6B7280"), EXAMPLE_FILL
    for index, header in enumerate(headers, start=1):
        width = template.widths.get(header, max(12, len(header) * 2 + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
    # typed into a number column, an all-digit code loses its last digits: such columns are text
    for header in template.text_columns:
        sheet.column_dimensions[get_column_letter(headers.index(header) + 1)].number_format = "@"
    sheet.freeze_panes = "A2"
    for header, formula in template.choices.items():
        _choices(sheet, headers, header, formula)
    notes = book.create_sheet(NOTES)
    for names, first in zip(lists, _write_notes(notes, template, lists), strict=True):
        if names.header is not None and names.names:
            last = first + len(names.names) - 1
            _choices(sheet, headers, names.header, f"='{NOTES}'!$A${first}:$A${last}")
    return book_bytes(book)


def _choices(sheet, headers: list[str], header: str, formula: str) -> None:
    """A drop-down list on a column (typing another value is still possible: the import checks every cell)."""
    letter = get_column_letter(headers.index(header) + 1)
    check = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
    check.add(f"{letter}2:{letter}{FORMAT_ROWS + 1}")
    sheet.add_data_validation(check)


def _write_notes(notes, template: Template, lists: Sequence[NameList]) -> list[int]:
    """The explanation sheet; returns the row where each list's names start."""
    layout = template.layout
    notes.append([template.title])
    notes["A1"].font = Font(size=14, bold=True)
    notes.append([])
    notes.append(["列名", "说明"])
    for cell in notes[3]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for column in layout.columns:
        notes.append([column.header, column.note])
    notes.append([])
    rules = [
        f"以“{EXAMPLE_PREFIX}”开头的行是示例，不会导入，可以直接覆盖或删除。",
        f"只读第一张工作表；表头可以在前 {HEADER_WITHIN} 行内（上面可以有标题行），列的顺序不限。",
        f"一次最多 {MAX_ROWS:,} 行，文件不超过 {MAX_BYTES // 1024 // 1024} MB；"
        "也可以导入 CSV 文件（UTF-8 或 GBK 编码）。",
        "导入前先检查：每一行的问题都会列出（行号与 Excel 中一致），有问题的行改正后重新上传；"
        "全部没有问题才能导入，导入时全部写入或全部不写入。",
        *template.rules,
    ]
    for rule in rules:
        notes.append([rule])
    starts = []
    for names in lists:
        notes.append([])
        notes.append([names.heading])
        notes.cell(notes.max_row, 1).font = Font(bold=True)
        starts.append(notes.max_row + 1)
        for name in names.names:
            notes.append([name])
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 100
    for (cell,) in notes.iter_rows(min_row=4, max_row=3 + len(layout.columns), min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return starts
