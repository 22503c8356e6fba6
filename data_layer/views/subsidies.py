"""补贴发放: money paid and recipients by subsidy type, township and month, and the records behind them."""

from __future__ import annotations

import pandas as pd

from data_layer.access import View
from data_layer.documents.colours import subsidy_colours
from data_layer.domain import text
from data_layer.queries import subsidies
from data_layer.views import common
from data_layer.views.board import Board, Chart, Column, Figure, Series, Table, table
from data_layer.views.common import COUNTY_WIDE, county_names, frame, township_names, township_order

UNIT_WORDS = {"household": "户", "person": "人"}


def short_type(name: str) -> str:
    """低保重度残疾人生活补贴 → 低保重度生活补贴: the name a bar's label has room for."""
    return name.replace("残疾人", "")


def headline_parts(view: View) -> tuple[list[Figure], Chart]:
    """Money paid (in all and per type) and the people and households it reached; the bars of the types."""
    by_type = subsidies.totals_by_type(view.url, view.scope)
    paid = by_type[by_type["amount_fen"] > 0]
    colours = subsidy_colours(list(by_type["type_code"]))
    figures = [
        Figure("paid", "发放金额", "wan", int(by_type["amount_fen"].sum())),
        Figure("people", "惠及人数", "count", int(paid.loc[paid["unit"] == "person", "recipients"].sum()), "人"),
        Figure("households", "惠及户数", "count", int(paid.loc[paid["unit"] == "household", "recipients"].sum()), "户"),
        Figure("payments", "发放笔数", "count", int(by_type["payments"].sum()), "笔"),
    ]
    for r in paid.itertuples():
        reached = text.count(r.recipients, UNIT_WORDS[r.unit])
        figures.append(Figure(f"type:{r.type_code}", r.type, "wan", int(r.amount_fen), note=f"惠及 {reached}"))
    chart = Chart(
        "by_type",
        "各类补贴发放金额（万元）",
        "bars",
        tuple(short_type(t) for t in paid["type"]),
        (
            Series(
                "发放金额",
                "wan",
                tuple(int(a) for a in paid["amount_fen"]),
                colours=tuple(colours[c] for c in paid["type_code"]),
            ),
        ),
    )
    return figures, chart


def build(view: View, *, every_record: bool = False) -> Board:
    """The board; ``every_record``: the records table holds every record of the period (the download), not the
    newest screenful."""
    figures, by_type_chart = headline_parts(view)
    by_type = subsidies.totals_by_type(view.url, view.scope)
    if not (by_type["amount_fen"] > 0).any():
        return frame(view, "subsidies", "社会保障补贴发放", figures=tuple(figures), empty="本期没有补贴发放记录")
    colours = subsidy_colours(list(by_type["type_code"]))
    amounts, people = township_tables(view, by_type)
    months, month_chart = month_parts(view)
    town_chart = Chart(
        "by_township",
        "分乡镇、分类型发放金额（万元）",
        "stacked",
        tuple(amounts.rows["乡镇（街道）"]),
        tuple(
            Series(c.name.removesuffix("（万元）"), "wan", tuple(amounts.rows[c.name]), colours=(colours[code],))
            for c, code in zip(amounts.columns[1:-1], paid_codes(by_type, amounts), strict=True)
        ),
        labels=tuple(text.wan(v, unit=False) for v in amounts.rows["合计（万元）"]),
    )
    return frame(
        view,
        "subsidies",
        "社会保障补贴发放",
        figures=tuple(figures),
        tables=(amounts, people, months, records_table(view, every_record)),
        charts=(by_type_chart, town_chart, month_chart),
        notes={"by_township": "点选一行，只看该乡镇。"},
    )


def paid_codes(by_type: pd.DataFrame, amounts: Table) -> list[str]:
    names = dict(zip(by_type["type"], by_type["type_code"], strict=True))
    return [names[c.name.removesuffix("（万元）")] for c in amounts.columns[1:-1]]


def township_tables(view: View, by_type: pd.DataFrame) -> tuple[Table, Table]:
    """Townships × types: amounts (万元, with row and column totals) and recipients (each type in its unit)."""
    rows = subsidies.totals_by_township(view.url, view.scope)
    names = township_names(view)
    rows = rows.assign(township=rows["township_id"].map(names))
    order = township_order(view) + ([COUNTY_WIDE] if (rows["township"] == COUNTY_WIDE).any() else [])
    shown_types = by_type[by_type["type_code"].isin(set(rows["type_code"]))]
    pivots = {}
    for value in ("amount_fen", "recipients"):
        pivot = rows.pivot_table(index="township", columns="type_code", values=value, aggfunc="sum", fill_value=0)
        pivots[value] = pivot.reindex(index=order, columns=list(shown_types["type_code"]), fill_value=0)
    amount_cols = [Column(f"{t}（万元）", "wan", total=True, short=short_type(t)) for t in shown_types["type"]]
    amounts = pd.DataFrame({"乡镇（街道）": order})
    for c, code in zip(amount_cols, shown_types["type_code"], strict=True):
        amounts[c.name] = [int(v) for v in pivots["amount_fen"][code]]
    amounts["合计（万元）"] = amounts[[c.name for c in amount_cols]].sum(axis=1).astype(int)
    amount_table = Table(
        "by_township",
        "社会保障补贴分乡镇、分类型发放金额（万元）",
        (Column("乡镇（街道）"), *amount_cols, Column("合计（万元）", "wan", total=True, short="合计")),
        amounts,
        sheet="分乡镇发放金额",
        totals=True,
    )
    people = pd.DataFrame({"乡镇（街道）": order})
    people_cols = []
    for r in shown_types.itertuples():
        unit = UNIT_WORDS[r.unit]
        column = Column(f"{r.type}（{unit}）", "count", total=True, short=f"{short_type(r.type)}（{unit}）")
        people[column.name] = [int(v) for v in pivots["recipients"][r.type_code]]
        people_cols.append(column)
    people_table = Table(
        "people_by_township",
        "分乡镇惠及人（户）数",
        (Column("乡镇（街道）"), *people_cols),
        people,
        sheet="分乡镇惠及人（户）数",
        totals=True,
        note="按月发放的补贴，人（户）数取本期各月名册的最大值；按年或一次性发放的，逐笔相加。人与户分列，不相加。",
    )
    return amount_table, people_table


def month_parts(view: View) -> tuple[Table, Chart]:
    """Each month and type: recipients, amount, and what one recipient got against the standard; the chart of
    the months' amounts with their recipients."""
    months = subsidies.by_month(view.url, view.scope)
    by_month = table(
        "by_month",
        "逐月发放",
        [
            (Column("月份"), months["month"]),
            (Column("补贴类型"), months["type"]),
            # the same roll every month: a sum over months would count the same heads again
            (Column("人（户）数", "count"), [int(v) for v in months["recipients"]]),
            (Column("金额（万元）", "wan", total=True), [int(v) for v in months["amount_fen"]]),
            (Column("人均实发（元）", "yuan"), months["per_recipient_fen"]),
            (Column("人均应发（按标准，元）", "yuan"), months["standard_per_recipient_fen"]),
        ],
        sheet="逐月发放",
        totals=True,
        note="人（户）数是每月的名册人数，按月发放的同一批人每月都计一次，所以不合计。",
    )
    totals = months.groupby("month", sort=True).agg(amount_fen=("amount_fen", "sum"), recipients=("recipients", "sum"))
    chart = Chart(
        "by_month",
        "逐月发放",
        "bars_line",
        tuple(f"{int(m[5:])}月" for m in totals.index),
        (
            Series("发放金额", "wan", tuple(int(v) for v in totals["amount_fen"])),
            Series("人（户）数", "count", tuple(int(v) for v in totals["recipients"])),
        ),
    )
    return by_month, chart


def records_table(view: View, every_record: bool) -> Table:
    """Disbursement records, the latest paid first: a screen's worth, or (for the download) every one; with the
    county where the store holds several (township names repeat across counties)."""
    total = subsidies.disbursement_count(view.url, view.scope)
    rows = subsidies.disbursements(view.url, view.scope, limit=None if every_record else common.ROWS_ON_SCREEN)
    counties = [(Column("县（区）"), rows["county"])] if county_names(view) is not None else []
    return table(
        "records",
        f"发放记录：{text.count(total)} 条",
        [
            (Column("编号"), [str(int(i)) for i in rows["id"]]),
            (Column("发放日期", "day"), rows["paid_date"]),
            (Column("补贴类型"), rows["type"]),
            *counties,
            (Column("乡镇"), rows["township"]),
            (
                Column("所属月份"),
                [text.month_span(a, b) for a, b in zip(rows["month_from"], rows["month_to"], strict=True)],
            ),
            # a monthly roll paid every month: its heads are not summed
            (Column("人（户）数", "count"), [int(v) for v in rows["recipients"]]),
            (Column("标准（元）", "yuan"), [int(v) for v in rows["standard_fen"]]),
            (Column("金额（元）", "yuan", total=True), [int(v) for v in rows["amount_fen"]]),
            (Column("备注", width="medium"), rows["note"]),
            (Column("说明", width="medium"), rows["warning_note"]),
            (Column("录入人"), rows["created_by"]),
            (Column("录入时间", "time"), rows["created_at"]),
        ],
        sheet="发放记录",
        totals=every_record,
        note=common.first_rows_note(total, len(rows), "条"),
    )
