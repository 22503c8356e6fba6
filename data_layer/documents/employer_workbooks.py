"""Workbooks of the employer registry that leave the app: the import template, and the registry as the page
shows it. Both use the import's own columns (data_layer/documents/employer_sheet.py), so an exported registry,
corrected in Excel, can be imported again as it is."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from data_layer.documents.employer_sheet import COLUMNS, EXAMPLE_PREFIX, HEADER_WITHIN, HEADERS, MAX_BYTES, MAX_ROWS
from data_layer.export import HEADER_FILL, to_xlsx
from data_layer.services.employers import SIZE_NAMES

WIDTHS = {"单位名称": 36, "统一社会信用代码": 24, "所属乡镇（街道）": 18, "上年职工年平均工资（元）": 26}
EXAMPLE_FILL = PatternFill("solid", fgColor="FFF3C4")
SHEET = "用人单位名录"
NOTES = "填写说明"
FORMAT_ROWS = 5_000  # rows below the header that offer the drop-down lists


def template_workbook(townships: Sequence[str]) -> bytes:
    """The import template: the header, two example rows (marked, and never imported), drop-down lists for
    the fixed answers, and a second sheet explaining each column with the county's township names."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    town = townships[0] if townships else "某某镇"
    examples = [
        [
            f"{EXAMPLE_PREFIX}：沂源县某某机械有限公司（本行不导入）",
            "91370323MA3C00006M",
            town,
            120,
            2,
            58000,
            "小型",
            "是",
        ],
        [
            f"{EXAMPLE_PREFIX}：沂源县某某商贸有限公司（本行不导入）",
            "91370323MA3C00014G",
            town,
            25,
            0,
            46000.5,
            "微型",
            "否",
        ],
    ]
    for row in examples:
        sheet.append([*row, "2023-05-20"])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = Font(italic=True, color="6B7280"), EXAMPLE_FILL
    for index, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(header, max(12, len(header) * 2 + 4))
    # the credit-code column as text: typed into a number column, an all-digit code loses its last digits
    sheet.column_dimensions[get_column_letter(HEADERS.index("统一社会信用代码") + 1)].number_format = "@"
    sheet.freeze_panes = "A2"
    _choices(sheet, "企业规模", '"大型,中型,小型,微型"')
    _choices(sheet, "规模以上企业", '"是,否"')
    notes = book.create_sheet(NOTES)
    first_town = _write_notes(notes, townships)
    if townships:
        _choices(sheet, "所属乡镇（街道）", f"='{NOTES}'!$A${first_town}:$A${first_town + len(townships) - 1}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _choices(sheet, header: str, formula: str) -> None:
    """A drop-down list on a column (typing another value is still possible: the import checks every cell)."""
    letter = get_column_letter(HEADERS.index(header) + 1)
    check = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
    check.add(f"{letter}2:{letter}{FORMAT_ROWS + 1}")
    sheet.add_data_validation(check)


def _write_notes(notes, townships: Sequence[str]) -> int:
    """The explanation sheet; returns the row where the township names start."""
    notes.append(["用人单位名录导入模板：填写说明"])
    notes["A1"].font = Font(size=14, bold=True)
    notes.append([])
    notes.append(["列名", "说明"])
    for cell in notes[3]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for column in COLUMNS:
        notes.append([column.header, column.note])
    notes.append([])
    rules = [
        f"以“{EXAMPLE_PREFIX}”开头的行是示例，不会导入，可以直接覆盖或删除。",
        f"只读第一张工作表；表头可以在前 {HEADER_WITHIN} 行内（上面可以有标题行），列的顺序不限。",
        f"一次最多 {MAX_ROWS:,} 行，文件不超过 {MAX_BYTES // 1024 // 1024} MB；"
        "也可以导入 CSV 文件（UTF-8 或 GBK 编码）。",
        "导入前先检查：每一行的问题都会列出（行号与 Excel 中一致），有问题的行改正后重新上传；"
        "全部没有问题才能导入，导入时全部写入或全部不写入。",
    ]
    for rule in rules:
        notes.append([rule])
    notes.append([])
    notes.append(["本县乡镇（街道）名称"])
    notes.cell(notes.max_row, 1).font = Font(bold=True)
    first = notes.max_row + 1
    for name in townships:
        notes.append([name])
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 100
    for (cell,) in notes.iter_rows(min_row=4, max_row=3 + len(COLUMNS), min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return first


def registry_table(registry: pd.DataFrame) -> pd.DataFrame:
    """The registry (data_layer/queries/employers.py ``registry``) under the import's headers."""
    return pd.DataFrame(
        {
            "单位名称": registry["name"],
            "统一社会信用代码": registry["credit_code"],
            "所属乡镇（街道）": registry["township"].fillna("县本级"),
            "职工人数": registry["staff"],
            "残疾职工人数": registry["disabled_staff"],
            "上年职工年平均工资（元）": registry["avg_wage_fen"].astype(float) / 100,
            "企业规模": registry["size_class"].map(SIZE_NAMES),
            "规模以上企业": ["是" if v else "否" for v in registry["above_designated_size"]],
            "登记日期": registry["registered_on"],
        },
        columns=list(HEADERS),
    )


def registry_workbook(registry: pd.DataFrame, *, filter_label: str, taken_at: datetime) -> bytes:
    """The registry as an .xlsx: the filter above the table, the import's columns (so it can be imported again)."""
    data = to_xlsx(registry_table(registry), title=SHEET, filter_label=filter_label, taken_at=taken_at, totals=False)
    book = load_workbook(io.BytesIO(data))  # wider name and code columns than the shared export gives
    sheet = book.active
    for index, header in enumerate(HEADERS, start=1):
        if header in WIDTHS:
            sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[header]
    date_column = get_column_letter(HEADERS.index("登记日期") + 1)
    sheet.column_dimensions[date_column].width = 14
    for (cell,) in sheet.iter_rows(
        min_row=6, min_col=HEADERS.index("登记日期") + 1, max_col=HEADERS.index("登记日期") + 1
    ):
        cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
