"""Workbooks of the article ledger (信息报送台账) that leave the app: the import template, and the ledger of the
filtered period. The export's headers are the import's own (or their aliases), so a ledger exported, corrected
in Excel and imported again is read as it is (its rows then repeat what is stored: warnings to confirm)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from data_layer.documents import templates
from data_layer.documents.article_sheet import COUNTY_LEVEL, KINDS, LAYOUT
from data_layer.documents.sheets import EXAMPLE_PREFIX
from data_layer.documents.templates import NameList, Template
from data_layer.export import book_bytes, to_xlsx

SHEET = "信息报送台账"
WIDTHS = {"发表日期": 14, "发表媒体": 28, "稿件标题": 60, "乡镇（街道）": 16, "类型": 10, "链接": 40}
TEMPLATE = Template(
    layout=LAYOUT,
    sheet=SHEET,
    title="信息报送台账导入模板：填写说明",
    examples=[],
    widths=WIDTHS,
    choices={"类型": f'"{KINDS.replace(" / ", ",")}"'},
    rules=[
        "标题或链接与已录入的稿件（或本文件中的另一行）相同、发表日期早于媒体的首次使用日期的行需要核实："
        "导入时写一条核实说明，保存在这些稿件上；已结账月份的稿件不能导入（管理员须写明原因）。",
        "乡镇专职干事只能导入本乡镇的稿件。",
    ],
)
# the ledger's export: header → (column of data_layer/queries/article_ledger.py ``ledger``, width)
EXPORT = {
    "发表日期": ("published_on", 14),
    "媒体": ("outlet", 28),
    "级别": ("level", 8),
    "乡镇（街道）": ("township", 16),
    "标题": ("title", 60),
    "类型": ("kind", 8),
    "链接": ("link", 40),
    "录入人": ("created_by", 12),
}


def template_workbook(outlets: Sequence[str], townships: Sequence[str]) -> bytes:
    """The import template: the header, two example rows (marked, never imported), the 类型 drop-down, and the
    填写说明 sheet with the registered outlets and the county's townships (their columns' drop-downs)."""
    outlet = outlets[0] if outlets else "某某媒体"
    town = townships[0] if townships else COUNTY_LEVEL
    examples = [
        ["2023-05-20", outlet, f"{EXAMPLE_PREFIX}：我县开展全国助残日系列活动（本行不导入）", town, "信息", ""],
        ["2023/6/8", outlet, f"{EXAMPLE_PREFIX}：某某镇残联走访慰问困难残疾人家庭（本行不导入）", "", "新闻", ""],
    ]
    lists = [
        NameList("已登记的媒体名称", outlets, "发表媒体"),
        NameList("本县乡镇（街道）名称", [*townships, COUNTY_LEVEL], "乡镇（街道）"),
    ]
    return templates.template_workbook(replace(TEMPLATE, examples=examples), lists)


def ledger_table(ledger: pd.DataFrame, levels: Mapping[str, str]) -> pd.DataFrame:
    """The ledger under the export's headers; ``levels``: level code → words (国家级 …)."""
    table = pd.DataFrame({header: ledger[column] for header, (column, _) in EXPORT.items()}, columns=list(EXPORT))
    table["级别"] = ledger["level"].map(levels)
    return table


def ledger_workbook(ledger: pd.DataFrame, *, levels: Mapping[str, str], filter_label: str, taken_at: datetime) -> bytes:
    """The ledger as an .xlsx: title with the count, the filter and the time taken above the table."""
    title = f"{SHEET}（共 {len(ledger):,} 篇）"
    data = to_xlsx(ledger_table(ledger, levels), title=title, filter_label=filter_label, taken_at=taken_at)
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    sheet.title = SHEET  # the title row carries the count; the sheet's tab keeps its plain name
    for index, (_, width) in enumerate(EXPORT.values(), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for (cell,) in sheet.iter_rows(min_row=6, min_col=1, max_col=1):
        if isinstance(cell.value, (date, datetime)):
            cell.number_format = "yyyy-mm-dd"
    return book_bytes(book)
