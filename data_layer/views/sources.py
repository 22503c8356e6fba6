"""数据来源: every figure of the source report — as printed, as used, why they differ — and what the store holds for
it now (the county's figure for the report's period; a township officer's board leaves that column out)."""

from __future__ import annotations

from data_layer.access import View
from data_layer.queries import org, provenance
from data_layer.views.board import Board, Column, Figure, table
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
    figures = table(
        "figures",
        "报告数字的出处与核对",
        [
            (Column("领域"), rows["area"]),
            (Column("事项"), rows["item"]),
            (Column("原文数值"), [str(v) for v in rows["value_printed"]]),
            (Column("采用值", "decimal"), rows["value_used"]),
            (Column("单位"), rows["unit"]),
            (Column("库中现值", "decimal"), rows["store_value"] if county_figures else [None] * len(rows)),
            (Column("核对"), [CHECKED.get(m, "—") if county_figures else "—" for m in rows["matches"]]),
            (Column("说明", width="large"), rows["why_differs"]),
            (Column("出处"), rows["section"]),
            (Column("原文", width="large"), rows["quote"]),
            (Column("期间"), rows["period"]),
        ],
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
        tables=(figures,),
    )
