"""信息报送台账: the articles of the filtered period as the office's ledger lists them, and its Excel export;
for accounts that enter publicity, the import of a whole ledger through the shared import component (a dry run
that lists every row's problems and the rows to confirm, then all or nothing) and the log of imports.

The rules are the entry form's (data_layer/services/article_import.py through services/publicity.py), the file
format the reader's (data_layer/documents/article_sheet.py); this page declares them.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from data_layer.documents.article_workbooks import ledger_workbook
from data_layer.domain import text
from data_layer.export import XLSX_MIME
from data_layer.queries import article_ledger
from data_layer.queries.publicity import LEVEL_LABELS
from data_layer.services import list_imports
from pages.common.context import ViewContext, current
from pages.common.file_import import ImportSpec, grid, render_import
from pages.common.fmt import escape_markdown
from pages.common.ui import empty

TABS = ("台账", "批量导入")
SHOWN_AT_MOST = 2_000  # rows in the on-screen table (the export holds every row)
IMPORT = ImportSpec(
    "al",
    list_imports.ARTICLES,
    "先下载模板，把台账填进去（或把已有台账的列名改成模板的列名），再选择文件。系统按录入表单的同样规则"
    "逐行检查：有问题的行必须改正，全部没有问题才能导入；标题或链接重复等需要核实的行，导入时写一条核实说明；"
    "已录入且完全相同的稿件不会重复导入。",
)


def render() -> None:
    ctx = current()
    actor = ctx.actor
    if actor is None or not actor.may_enter("publicity"):  # leaders and visitors: the ledger, read-only
        render_ledger(ctx)
        return
    tabs = st.tabs(TABS, key="al_tab", on_change="rerun")  # only the open tab runs
    for tab, draw in zip(tabs, (render_ledger, lambda c: render_import(IMPORT, c)), strict=True):
        if tab.open:
            with tab:
                draw(ctx)


# --- 台账 ---------------------------------------------------------------------------------------------------


def ledger_table(ledger: pd.DataFrame) -> pd.DataFrame:
    """The ledger on screen: dates in Chinese, levels in words; who entered each is in the export (the screen
    keeps the title whole at 1024 pixels)."""
    return pd.DataFrame(
        {
            "发表日期": [text.day(d) for d in ledger["published_on"]],
            "媒体": ledger["outlet"],
            "级别": ledger["level"].map(LEVEL_LABELS),
            "乡镇": ledger["township"],
            "标题": ledger["title"],
            "类型": ledger["kind"],
            "链接": ledger["link"].replace("", None),
        }
    )


def render_ledger(ctx: ViewContext) -> None:
    ledger = article_ledger.ledger(ctx.url, ctx.scope)
    by_level = ledger["level"].value_counts()
    levels = "，".join(
        f"{name} {text.count(int(by_level[lv]))} 篇" for lv, name in LEVEL_LABELS.items() if lv in by_level
    )
    line = f"**{escape_markdown(ctx.label())}**：共 **{text.count(len(ledger))}** 篇" + (
        f"（{levels}）" if levels else ""
    )
    if len(ledger) > SHOWN_AT_MOST:
        line += f"。下表列出最早的 {text.count(SHOWN_AT_MOST)} 篇，导出的表格含全部"
    st.markdown(line)
    if ledger.empty:
        empty("所选期间和乡镇没有录入的稿件。")
        return
    links = st.column_config.LinkColumn(display_text="打开", width="small")
    grid(ledger_table(ledger.head(SHOWN_AT_MOST)), {"链接": links})
    taken = datetime.now(text.CHINA)
    st.download_button(
        "导出台账表格（Excel，含录入人）",
        lambda: ledger_workbook(
            ledger, levels=LEVEL_LABELS, filter_label=f"{ctx.label()}，共 {text.count(len(ledger))} 篇", taken_at=taken
        ),
        file_name=f"信息报送台账_{text.stamp(taken)}.xlsx",
        mime=XLSX_MIME,
        icon=":material/download:",
        key="al_export",
    )
