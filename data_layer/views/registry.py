"""用人单位名录 on screen: the export's table (the import's columns, data_layer/documents/employer_workbooks.py)
with short headers, size and 规模以上 in one column, and the line of totals above it."""

from __future__ import annotations

import pandas as pd

from data_layer.documents.employer_workbooks import registry_table as export_table
from data_layer.domain import text

SHORT = {"所属乡镇（街道）": "乡镇", "职工人数": "职工", "残疾职工人数": "残疾职工"}
SCREEN = ("单位名称", "统一社会信用代码", "乡镇", "职工", "残疾职工", "规模", "登记日期")


def registry_table(found: pd.DataFrame) -> pd.DataFrame:
    """The registry on screen: every column fits 1024 pixels; “规上” marks 规模以上企业."""
    shown = export_table(found).rename(columns=SHORT)
    above = shown["规模以上企业"] == "是"
    shown["规模"] = [f"{size}（规上）" if up else size for size, up in zip(shown["企业规模"], above, strict=True)]
    shown["登记日期"] = [text.day(d) for d in found["registered_on"]]
    return shown[list(SCREEN)]


def totals_line(where: str, totals: dict, shown: int) -> str:
    """“全县：共 12 家，职工 340 人，残疾职工 5 人” (markdown, ``where`` escaped by the caller), and how many the
    table lists when it lists fewer."""
    line = (
        f"**{where}**：共 **{text.count(totals['employers'])}** 家，"
        f"职工 {text.count(totals['staff'])} 人，残疾职工 {text.count(totals['disabled_staff'])} 人"
    )
    if totals["employers"] > shown:
        line += f"（下表列出前 {text.count(shown)} 家，请用查找或乡镇筛选缩小范围；导出的表格含全部）"
    return line
