"""Workbooks of the employer registry that leave the app: the import template, and the registry as the page
shows it. Both use the import's own columns (data_layer/documents/employer_sheet.py), so an exported registry,
corrected in Excel, can be imported again as it is."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from data_layer.documents import templates
from data_layer.documents.employer_sheet import HEADERS, LAYOUT
from data_layer.documents.sheets import EXAMPLE_PREFIX
from data_layer.documents.templates import NameList, Template
from data_layer.domain import text
from data_layer.export import book_bytes, to_xlsx
from data_layer.services.employers import SIZE_NAMES

WIDTHS = {"单位名称": 36, "统一社会信用代码": 24, "所属乡镇（街道）": 18, "上年职工年平均工资（元）": 26}
SHEET = "用人单位名录"
TEMPLATE = Template(
    layout=LAYOUT,
    sheet=SHEET,
    title="用人单位名录导入模板：填写说明",
    examples=[
        [
            f"{EXAMPLE_PREFIX}：沂源县某某机械有限公司（本行不导入）",
            "91370323MA3C00006M",
            "{town}",
            120,
            2,
            58000,
            "小型",
            "是",
            "2023-05-20",
        ],
        [
            f"{EXAMPLE_PREFIX}：沂源县某某商贸有限公司（本行不导入）",
            "91370323MA3C00014G",
            "{town}",
            25,
            0,
            46000.5,
            "微型",
            "否",
            "2023-05-20",
        ],
    ],
    widths=WIDTHS,
    text_columns=("统一社会信用代码",),
    choices={"企业规模": '"大型,中型,小型,微型"', "规模以上企业": '"是,否"'},
)


def template_workbook(townships: Sequence[str]) -> bytes:
    """The import template: the header, two example rows (marked, and never imported), drop-down lists for
    the fixed answers, and a second sheet explaining each column with the county's township names."""
    town = townships[0] if townships else "某某镇"
    examples = [[town if cell == "{town}" else cell for cell in row] for row in TEMPLATE.examples]
    return templates.template_workbook(
        replace(TEMPLATE, examples=examples), [NameList("本县乡镇（街道）名称", townships, "所属乡镇（街道）")]
    )


def _yuan(fen) -> float | None:
    """A cell's 元, to the fen as text.yuan prints it (a number, so the sheet can be imported again)."""
    number = text.yuan_number(fen)
    return None if number is None else float(number)


def registry_table(registry: pd.DataFrame) -> pd.DataFrame:
    """The registry (data_layer/queries/employers.py ``registry``) under the import's headers."""
    return pd.DataFrame(
        {
            "单位名称": registry["name"],
            "统一社会信用代码": registry["credit_code"],
            "所属乡镇（街道）": registry["township"].fillna("县本级"),
            "职工人数": registry["staff"],
            "残疾职工人数": registry["disabled_staff"],
            "上年职工年平均工资（元）": [_yuan(fen) for fen in registry["avg_wage_fen"]],
            "企业规模": registry["size_class"].map(SIZE_NAMES),
            "规模以上企业": ["是" if v else "否" for v in registry["above_designated_size"]],
            "登记日期": registry["registered_on"],
        },
        columns=list(HEADERS),
    )


def registry_workbook(registry: pd.DataFrame, *, filter_label: str, taken_at: datetime) -> bytes:
    """The registry as an .xlsx: the filter above the table, the import's columns (so it can be imported again)."""
    data = to_xlsx(registry_table(registry), title=SHEET, filter_label=filter_label, taken_at=taken_at)
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
    return book_bytes(book)
