"""数据来源: every figure of the source report — as printed, as used, why they differ — and what the store holds for
it now (the county's figure for the report's period; a township officer's board leaves that column out)."""

from __future__ import annotations

import pandas as pd

from data_layer.access import View
from data_layer.queries import org, provenance
from data_layer.views.board import Board, Column, Figure, Table
from data_layer.views.common import frame

WHAT = "报告的全部数字；库中现值为各数字所属期间的全县数"
CHECKED = {True: "一致", False: "不一致"}


def build(view: View) -> Board:
    counties = org.counties(view.url)
    if counties.empty:
        return frame(view, "sources", "数据来源", unfiltered=WHAT, empty="数据库中还没有县区")
    rows = provenance.figures_with_store(view.url, int(counties["county_id"].iloc[0]))
    if rows.empty:
        return frame(view, "sources", "数据来源", unfiltered=WHAT, empty="没有登记报告数字")
    county_figures = view.access.every_township  # the store's value is the whole county's
    differs = int((rows["why_differs"] != "").sum())
    table = Table(
        "figures",
        "报告数字的出处与核对",
        (
            Column("领域"),
            Column("事项"),
            Column("原文数值"),
            Column("采用值", "decimal"),
            Column("单位"),
            Column("库中现值", "decimal"),
            Column("核对"),
            Column("说明", width="large"),
            Column("出处"),
            Column("原文", width="large"),
            Column("期间"),
        ),
        pd.DataFrame(
            {
                "领域": list(rows["area"]),
                "事项": list(rows["item"]),
                "原文数值": [str(v) for v in rows["value_printed"]],
                "采用值": list(rows["value_used"]),
                "单位": list(rows["unit"]),
                "库中现值": list(rows["store_value"]) if county_figures else [None] * len(rows),
                "核对": [CHECKED.get(m, "—") if county_figures else "—" for m in rows["matches"]],
                "说明": list(rows["why_differs"]),
                "出处": list(rows["section"]),
                "原文": list(rows["quote"]),
                "期间": list(rows["period"]),
            }
        ),
        sheet="数据来源",
        note="" if county_figures else "库中现值是全县的数字，乡镇账号不显示。",
    )
    return frame(
        view,
        "sources",
        "数据来源",
        unfiltered=WHAT,
        figures=(
            Figure("figures", "登记数字", "count", len(rows), "个", f"其中 {differs} 个采用值与原文不同或需说明"),
        ),
        tables=(table,),
    )
