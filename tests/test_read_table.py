"""A table read rather than edited (pages/common/read_table.py): a real HTML table with its caption and header
cells, the values written as the grid writes them, the 合计 row, escaped text and the page's links."""

from __future__ import annotations

import re

import pandas as pd

from data_layer.views.board import Column, Table
from pages.common.read_table import table_html


def test_a_table_reads_as_header_cells_rows_and_its_total():
    t = Table(
        "t",
        "发放记录：2 条",
        (Column("乡镇"), Column("金额（元）", "yuan", total=True), Column("状态", "status"), Column("备注")),
        pd.DataFrame(
            {"乡镇": ["东里镇", "鲁村镇"], "金额（元）": [123_450, 5], "状态": ["滞后", None], "备注": ["<b>x</b>", ""]}
        ),
        totals=True,
    )
    html = table_html(t, links={"修改": (["entry_subsidies?record=1", "entry_subsidies?record=2"], "修改")})
    assert "<caption>发放记录：2 条</caption>" in html and 'aria-label="发放记录：2 条"' in html
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', html)
    assert headers == ["乡镇", "金额（元）", "状态", "备注", "修改"]
    rows = re.findall(r"<tr>(.*?)</tr>", html)[1:]
    cells = [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)] for r in rows]
    assert cells[0] == ["东里镇", "1,234.50", "▲ 滞后", "&lt;b&gt;x&lt;/b&gt;", "修改"]
    assert cells[2][:2] == ["合计", "1,234.55"]
    assert html.count('href="entry_subsidies?record=') == 2 and 'scope="row"' in html


def test_rows_beyond_the_sight_scroll_down_inside_the_table():
    t = Table("t", "清单", (Column("事项"),), pd.DataFrame({"事项": [f"第{i}项" for i in range(30)]}))
    assert "max-height" in table_html(t, rows=10) and "max-height" not in table_html(t, rows=None)
    assert [c for c in re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table_html(t, columns=[]))] == []
