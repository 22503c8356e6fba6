"""需要关注: what a meeting should look at — the items behind their pace, the townships with no article in the
period, the open data-quality findings (for county-level accounts)."""

from __future__ import annotations

import pandas as pd

from data_layer import app_settings
from data_layer.access import View
from data_layer.domain import text
from data_layer.domain.pacing import STATUS_LABELS
from data_layer.queries import projects
from data_layer.views import publicity, quality
from data_layer.views.board import Board, Chart, Column, Figure, Series, Table
from data_layer.views.common import frame
from data_layer.views.projects import short_name


def build(view: View) -> Board:
    items = projects.item_pace(view.url, view.scope, view.today, app_settings.pace_thresholds(view.url))
    late = items[items["status"].isin(("far_behind", "behind"))].sort_values("completion")
    lines = [
        f"{short_name(r.project)} · {r.item}：完成 {text.pct(r.completion)}，序时 {text.pct(r.elapsed)}"
        f"（{STATUS_LABELS[r.status]}）"
        for r in late.itertuples()
    ]
    towns = publicity.township_table(view)
    silent = [
        t
        for t, n, k in zip(towns.rows["乡镇"], towns.rows["本期稿件（篇）"], towns.rows["标记"], strict=True)
        if n == 0 and isinstance(k, str)
    ]
    if silent:
        lines.append(f"本期没有稿件的乡镇：{'、'.join(silent)}")
    found = quality.build(view)
    findings = found.table("findings").rows if found.has("findings") else pd.DataFrame({"领域": []})
    by_area = findings.groupby("领域", sort=False).size()
    figures = (
        Figure("late", "滞后的指标", "count", len(late), "项"),
        Figure("silent", "未供稿的乡镇", "count", len(silent), "个"),
        Figure(
            "findings",
            "数据质量待核实",
            "count",
            len(findings) if found.has("findings") else None,
            "条",
            "" if found.has("findings") else "县级账号可见",
        ),
    )
    chart = Chart(
        "findings",
        "待核实的数据问题（条）",
        "bars",
        tuple(str(a) for a in by_area.index),
        (Series("问题", "count", tuple(int(n) for n in by_area), "条"),),
    )
    table = Table(
        "lines", "需要关注", (Column("事项", width="large"),), pd.DataFrame({"事项": lines}), sheet="需要关注"
    )
    return frame(view, "attention", "需要关注", figures=figures, tables=(table,), charts=(chart,))
