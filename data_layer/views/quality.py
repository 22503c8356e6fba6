"""数据质量: every finding of every registered check, with the record it is about and the note that confirmed it.
Findings cover every township: the board is for county-level accounts (a township officer's is empty)."""

from __future__ import annotations

from data_layer import checks
from data_layer.access import View
from data_layer.views.board import Board, Column, Figure, table
from data_layer.views.common import frame

EVERYTHING = "全部数据（不受年度、期间和乡镇筛选）"
ALL_AREAS = "全部"


def build(view: View, area: str = ALL_AREAS) -> Board:
    """The findings (of one area, or all); a count per check."""
    if not view.access.every_township:
        return frame(
            view, "quality", "数据质量", unfiltered=EVERYTHING, empty="数据质量检查涵盖全县的数据，只对县级账号开放。"
        )
    found = checks.findings(view.url)
    areas = list(dict.fromkeys(found["area"]))
    shown = found if area == ALL_AREAS else found[found["area"] == area]
    counts = shown.groupby("title", sort=False).size()
    figures = tuple(Figure(f"check:{title}", title, "count", int(n), "条") for title, n in counts.items())
    title = "数据质量检查发现" + ("" if area == ALL_AREAS else f"（{area}）")
    found_table = table(
        "findings",
        f"{title}：共 {len(shown)} 条",
        [
            (Column("领域"), shown["area"]),
            (Column("检查"), shown["title"]),
            (Column("记录", width="large"), shown["record"]),
            (Column("数值"), shown["values"]),
            (Column("原因", width="large"), shown["why"]),
            (Column("核实说明"), shown["note"]),
            (Column("查看", "link"), shown["link"]),
        ],
        sheet="数据质量",
    )
    return frame(
        view,
        "quality",
        "数据质量",
        unfiltered=EVERYTHING,
        figures=figures,
        tables=(found_table,),
        notes={"areas": "\n".join(areas)},
        empty="" if len(found) else "没有发现问题",
    )
