"""用人单位名录 on screen: the registry's table with short headers, and its line of totals."""

from __future__ import annotations

import pandas as pd

from data_layer.domain import text
from data_layer.services.employers import SIZE_NAMES


def registry_table(found: pd.DataFrame) -> pd.DataFrame:
    """The registry on screen: short headers, size and 规模以上 in one column, so every column fits 1024 pixels."""
    sizes = zip(found["size_class"].map(SIZE_NAMES), found["above_designated_size"], strict=True)
    return pd.DataFrame(
        {
            "单位名称": found["name"],
            "统一社会信用代码": found["credit_code"],
            "乡镇": found["township"].fillna("县本级"),
            "职工": found["staff"],
            "残疾职工": found["disabled_staff"],
            "规模": [f"{size}（规上）" if above else size for size, above in sizes],
            "登记日期": [text.day(d) for d in found["registered_on"]],
        }
    )


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
