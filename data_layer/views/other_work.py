"""其他工作: the report's other work items (rehabilitation, certificates, petitions, 助残日, bases, culture), each for
the filtered period against the same period of last year (同比)."""

from __future__ import annotations

from data_layer.access import View
from data_layer.domain import text
from data_layer.queries import indicators
from data_layer.views.board import Board, Column, table
from data_layer.views.common import frame

AT_LEAST = "按下限计（报告写作“多”）"


def shown_value(value, count: int, at_least: bool) -> str:
    """The value as the report would say it: “200 以上” for its “200多”; “—” when nothing was entered."""
    if count == 0:
        return text.NONE
    return text.count(value) + (" 以上" if at_least else "")


def change(value, count: int, last_value, last_count: int) -> str:
    """同比 in words: 增长 / 下降 x%, 持平; “—” when either period has no value (or last year's was 0)."""
    if count == 0 or last_count == 0 or last_value == 0:
        return text.NONE
    rate = (value - last_value) / last_value
    if rate == 0:
        return "持平"
    return f"{'增长' if rate > 0 else '下降'} {text.pct(abs(rate))}"


def build(view: View) -> Board:
    rows = indicators.year_on_year(view.url, view.scope)
    if rows.empty:
        return frame(view, "other_work", "其他工作", empty="还没有设置工作指标。")
    last = f"{view.scope.year - 1}年同期"
    counted = list(zip(rows["value"], rows["count"], rows["last_value"], rows["last_count"], strict=True))
    everything = table(
        "indicators",
        "其他工作：本期与去年同期",
        [
            (Column("类别"), rows["category"]),
            (Column("指标", width="large"), rows["indicator"]),
            (Column("本期", "decimal"), [float(v) if c else None for v, c, _, _ in counted]),
            (
                Column("本期说明"),
                [AT_LEAST if a and c else "" for a, c in zip(rows["at_least"], rows["count"], strict=True)],
            ),
            (Column(last, "decimal"), [float(lv) if lc else None for _, _, lv, lc in counted]),
            (Column("同比"), [change(*parts) for parts in counted]),
            (Column("单位"), rows["unit"]),
        ],
        sheet="其他工作",  # the indicators' units differ: nothing is totalled
    )
    screens = []
    for category, group in rows.groupby("category", sort=False):
        parts = list(zip(group["value"], group["count"], group["last_value"], group["last_count"], strict=True))
        screens.append(
            table(
                f"category:{category}",
                category,
                [
                    (Column("指标", width="large"), group["indicator"]),
                    (
                        Column("本期", width="small"),
                        [shown_value(v, c, a) for (v, c, _, _), a in zip(parts, group["at_least"], strict=True)],
                    ),
                    (Column(last, width="small"), [shown_value(lv, lc, False) for _, _, lv, lc in parts]),
                    (Column("同比", width="small"), [change(*p) for p in parts]),
                    (Column("单位", width="small"), group["unit"]),
                ],
            )
        )
    notes = {"yoy": "同比“—”：去年同期没有数据，无从比较。数值按期间的开始日期计入。"}
    if rows["at_least"].any():
        notes["at_least"] = "“以上”：上半年工作报告写作“多”（如“200多户”），这里按下限计。"
    nothing = int(rows["count"].sum()) == 0
    return frame(
        view,
        "other_work",
        "其他工作",
        tables=(everything, *screens),
        notes=notes | ({"nothing": "本期没有其他工作数据。下表列出各项指标，本期数值待录入。"} if nothing else {}),
    )
