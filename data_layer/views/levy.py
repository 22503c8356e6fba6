"""残保金征收: the year's review, inspections and collection as of the period's end — four ratios, the funnel,
townships and sizes, the campaigns, and today's worklist (待办)."""

from __future__ import annotations

import pandas as pd

from data_layer.access import View
from data_layer.domain import text
from data_layer.queries import levy
from data_layer.views import common
from data_layer.views.board import Board, Chart, Column, Figure, Series, Table, table
from data_layer.views.common import county_names, frame, named_townships, township_names

SPLIT_COLOUR = "#60a5fa"  # the three parts of 审核通过, lighter than the steps of the funnel
PRIMARY = "#0b4f8a"
CAMPAIGNS_DRAWN = 3  # more campaigns than this (a province's 140 drew 140 charts: 13 s) become one table
MEASURES = {
    "review_rate": "年审完成率",
    "inspection_rate": "检查覆盖率",
    "quota_rate": "达标率",
    "collected_fen": "已征收",
}


def ratio_parts(r: levy.Ratio) -> str:
    """The line under a ratio: what it was computed from, or why it cannot be."""
    if r.unit == "分":
        collected = f"已征收 {text.wan(r.numerator)}"
        return f"{collected} ÷ 任务 {text.wan(r.denominator)}" if r.value is not None else f"{collected}；{r.why_none}"
    if r.value is None:
        return r.why_none
    return f"{text.count(r.numerator)} ÷ {text.count(r.denominator)} 家"


def headline_parts(view: View) -> tuple[list[Figure], Chart, list[levy.Ratio]]:
    """The money collected against the task, the four ratios (each with its parts, or why it has no value), and
    their bars."""
    ratios = levy.headline(view.url, view.scope)
    collection = ratios[-1]
    year = f"{view.scope.end.year}年度"
    task = f"征收任务 {text.wan(collection.denominator)}" if collection.denominator else collection.why_none
    figures = [
        Figure("collected", "已征收", "wan", int(collection.numerator), note=f"{task} · {year}"),
        Figure("task", "征收任务", "wan", int(collection.denominator) if collection.denominator else None, note=year),
    ]
    figures += [Figure(f"ratio:{r.key}", r.label, "pct", r.value, note=ratio_parts(r)) for r in ratios]
    chart = Chart(
        "ratios",
        "四项比率",
        "bars",
        tuple(r.label for r in ratios),
        (Series("比率", "pct", tuple(r.value for r in ratios)),),
    )
    return figures, chart, ratios


def ratio_table(view: View, ratios: list[levy.Ratio]) -> Table:
    """The four ratios with what they are computed from (money in 万元) or why they cannot be."""

    def part(r: levy.Ratio, side: str, money: bool):
        """A ratio's numerator or denominator in its own column: employers counted, or money in fen."""
        return int(getattr(r, side)) if (r.unit == "分") == money else None

    year = f"{view.scope.end.year}年度，截至{text.day(view.scope.end)}"
    return table(
        "ratios",
        f"残保金征收四项比率（{year}）",
        [
            (Column("指标"), [r.label for r in ratios]),
            (Column("比率", "pct"), [r.value for r in ratios]),
            (Column("分子（家）", "count"), [part(r, "numerator", False) for r in ratios]),
            (Column("分母（家）", "count"), [part(r, "denominator", False) for r in ratios]),
            (Column("分子（万元）", "wan"), [part(r, "numerator", True) for r in ratios]),
            (Column("分母（万元）", "wan"), [part(r, "denominator", True) for r in ratios]),
            (Column("说明", width="large"), [r.definition if r.value is not None else r.why_none for r in ratios]),
        ],
        sheet="四项比率",
    )


def funnel_chart(t: pd.Series) -> Chart:
    steps = [
        ("登记", "registered", ""),
        ("已通知", "notified", ""),
        ("已申报", "declared", ""),
        ("审核通过", "approved", ""),
        ("其中：达标", "meets", ""),
        ("其中：应缴纳", "owes", ""),
        ("其中：免征", "approved_exempt", ""),
        ("已核定", "assessed", f" · {text.wan(t['assessed_fen'])}"),
        ("已缴清", "paid_up", f" · 已缴入 {text.wan(t['collected_fen'])}"),
    ]
    values = tuple(int(t[column]) for _, column, _ in steps)
    return Chart(
        "funnel",
        "年审与征收进度",
        "bars",
        tuple(label for label, _, _ in steps),
        (
            Series(
                "单位",
                "count",
                values,
                "家",
                tuple(SPLIT_COLOUR if label.startswith("其中") else PRIMARY for label, _, _ in steps),
            ),
        ),
        labels=tuple(f"{text.count(v, '家')}{extra}" for (_, _, extra), v in zip(steps, values, strict=True)),
        note=f"审核通过的单位分为达标、应缴纳和免征三类；另有退回待重新申报 {text.count(t['returned'], '家')}。"
        "已缴清：核定金额截至期末已全部缴入。",
    )


# On screen the counts drop their “（家）” (the note under the table says it): ten columns fit a 1024 screen.
MEASURE_COLUMNS = (
    Column("登记单位（家）", "count", total=True, short="登记单位"),
    Column("应年审（家）", "count", total=True, short="应年审"),
    Column("已通过（家）", "count", total=True, short="已通过"),
    Column("年审完成率", "pct"),
    Column("已检查（家）", "count", total=True, short="已检查"),
    Column("检查覆盖率", "pct"),
    Column("达标率", "pct"),
    Column("核定金额（元）", "yuan", total=True),
    Column("已征收（元）", "yuan", total=True),
)


COUNTED_IN = "登记单位、应年审、已通过、已检查的单位数以“家”计。"


def measure_table(key: str, title: str, first: str, names, rows: pd.DataFrame, total: pd.Series, **options) -> Table:
    """Rows of the levy's measures with a 合计 row whose rates are computed over the whole (levy.summary), never a
    sum of the rows' rates."""
    return Table(
        key,
        title,
        (Column(first), *MEASURE_COLUMNS),
        measures(rows, first, list(names)),
        totals=True,
        total_values={
            "年审完成率": total["review_rate"],
            "检查覆盖率": total["inspection_rate"],
            "达标率": total["quota_rate"],
        },
        **options,
    )


def measures(rows: pd.DataFrame, first: str, names: list) -> pd.DataFrame:
    return pd.DataFrame(
        {
            first: names,
            "登记单位（家）": [int(v) for v in rows["registered"]],
            "应年审（家）": [int(v) for v in rows["liable"]],
            "已通过（家）": [int(v) for v in rows["approved_liable"]],
            "年审完成率": list(rows["review_rate"]),
            "已检查（家）": [int(v) for v in rows["inspected"]],
            "检查覆盖率": list(rows["inspection_rate"]),
            "达标率": list(rows["quota_rate"]),
            "核定金额（元）": [int(v) for v in rows["assessed_fen"]],
            "已征收（元）": [int(v) for v in rows["collected_fen"]],
        }
    )


def township_parts(view: View, total: pd.Series, measure: str) -> tuple[Table, Chart]:
    """The townships with the whole's 合计 row (its rates computed over the whole, never summed), and the chart of
    one measure, lowest first."""
    rows = named_townships(view, levy.by_township(view.url, view.scope))
    year = f"{view.scope.end.year}年度，截至{text.day(view.scope.end)}"
    towns = measure_table(
        "by_township",
        f"分乡镇（{year}）",
        "乡镇（街道）",
        rows["township"],
        rows,
        total,
        sheet="分乡镇",
        note=f"{COUNTED_IN}应年审：期末已登记、不属于免征的单位；已通过：其中年审审核通过的；"
        "已检查：本期接受过执法检查的；核定金额、已征收：本年度，截至期末。",
    )
    ranked = rows.sort_values(measure, na_position="last", kind="stable")
    kind = "wan" if measure == "collected_fen" else "pct"
    values = tuple(None if pd.isna(v) else v for v in ranked[measure])
    chart = Chart(
        "by_township",
        f"{MEASURES[measure]}，由低到高",
        "bars",
        tuple(ranked["township"]),
        (Series(MEASURES[measure], kind, values),),
        note=f"{MEASURES[measure]}，由低到高；“—”表示没有可计算的单位。",
    )
    return towns, chart


def size_table(view: View) -> Table:
    rows = levy.by_size(view.url, view.scope)
    year = f"{view.scope.end.year}年度，截至{text.day(view.scope.end)}"
    total = levy.summary(view.url, view.scope).iloc[0]
    return measure_table(
        "by_size", f"分企业规模（{year}）", "企业规模", rows["size"], rows, total, sheet="分企业规模", note=COUNTED_IN
    )


def campaign_parts(view: View) -> tuple[Table | None, list[Chart], list[str]]:
    """The campaigns: a line each (a few) with a chart of inspections by day, or one table (a city's many)."""
    rows = levy.campaigns(view.url, view.scope)
    days = levy.campaign_by_day(view.url, view.scope)
    if rows.empty and days.empty:
        return None, [], []
    listed = table(
        "campaigns",
        "专项执法检查",
        [
            (Column("县（区）"), rows["county"]),
            (Column("检查活动"), rows["campaign"]),
            (Column("文号"), rows["document"]),
            (Column("起止日期"), list(map(text.period, rows["start_date"], rows["end_date"]))),
            (Column("检查单位（家）", "count"), [int(v) for v in rows["inspected"]]),
            (Column("其中现场检查（家）", "count"), [int(v) for v in rows["onsite"]]),
        ],
        note=f"共 {text.count(len(rows))} 次专项检查；逐日检查进度图请先在筛选中选择一个县（区）。",
    )
    if len(rows) > CAMPAIGNS_DRAWN:
        return listed, [], []
    lines = [
        f"{r.campaign}（{r.document}），{text.period(r.start_date, r.end_date)}："
        f"检查用人单位 {text.count(r.inspected, '家')}，其中现场检查 {text.count(r.onsite, '家')}。"
        for r in rows.itertuples()
    ]
    charts = []
    for campaign_id, one in days.groupby("campaign_id", sort=False):
        counts = tuple(int(v) for v in one["cumulative"])
        charts.append(
            Chart(
                f"campaign:{campaign_id}",
                "累计现场检查次数",
                "steps",
                tuple(text.iso_day(d) for d in one["day"]),
                (Series("累计现场检查", "count", counts, "次"),),
                labels=tuple(
                    f"{text.day(d)}：累计 {text.count(n, '次')}" for d, n in zip(one["day"], counts, strict=True)
                ),
            )
        )
    return listed, charts, lines


def worklist_tables(view: View, everything: bool) -> tuple[list[Table], list[Figure]]:
    """One table per kind of overdue item: the first of each kind on screen, every one for the download; with the
    county where the store holds several (township names repeat)."""
    rows = levy.worklist(view.url, view.scope, view.today, limit=None if everything else common.ROWS_ON_SCREEN)
    names, counties = township_names(view), county_names(view)
    out, counts = [], []
    for kind, label in levy.WORKLIST_KINDS.items():
        mine = rows[rows["kind"] == kind]
        count = int(mine["of_kind"].iloc[0]) if len(mine) else 0
        data = {"单位": list(mine["employer"])}
        columns = [Column("单位", width="medium")]
        if counties is not None:
            data["县（区）"] = list(mine["county_id"].map(counties))
            columns.append(Column("县（区）"))
        data["乡镇（街道）"] = [names.get(None if pd.isna(t) else int(t), "县本级") for t in mine["township_id"]]
        columns.append(Column("乡镇（街道）"))
        since, days = list(mine["since"]), [None if pd.isna(d) else int(d) for d in mine["days"]]
        if kind == "unpaid":
            data |= {"尚欠金额（元）": [int(v) for v in mine["owed_fen"]], "缴纳期限": since, "逾期天数": days}
            columns += [
                Column("尚欠金额（元）", "yuan", total=True),
                Column("缴纳期限", "day"),
                Column("逾期天数", "count"),
            ]
        else:
            data["职工人数"] = [int(v) for v in mine["staff"]]
            columns.append(Column("职工人数", "count"))
        extra = {
            "not_declared": [("申报截止", "day", since), ("逾期天数", "count", days)],
            "returned": [("退回日期", "day", since), ("退回原因", "text", list(mine["note"]))],
            "awaiting": [("申报日期", "day", since), ("已等待天数", "count", days)],
            "open_finding": [
                ("整改期限", "day", since),
                ("逾期天数", "count", days),
                ("检查发现", "text", list(mine["note"])),
            ],
            "never_inspected": [("登记日期", "day", since)],
        }.get(kind, [])
        for name, column_kind, values in extra:
            data[name] = values
            columns.append(Column(name, column_kind))
        data["打开"] = list(mine["link"])
        out.append(
            Table(
                f"todo:{kind}",
                f"{label}：{text.count(count)} 项",
                tuple(columns),
                pd.DataFrame(data),
                sheet=f"待办-{label}" if count else None,
                totals=kind == "unpaid" and everything,
                note=common.first_rows_note(count, len(mine), "项"),
            )
        )
        counts.append(Figure(f"todo:{kind}", label, "count", count, "项"))
    return out, counts


def registered(view: View) -> int:
    """Employers registered by the period's end (none: the board has nothing to show but why)."""
    return int(levy.summary(view.url, view.scope).iloc[0]["registered"])


def build(view: View, *, measure: str = "review_rate", everything: bool = False) -> Board:
    """The board; ``measure``: what the township chart shows; ``everything``: every overdue item (the download)."""
    figures, ratio_chart, ratios = headline_parts(view)
    total = levy.summary(view.url, view.scope).iloc[0]
    if int(total["registered"]) == 0:
        return frame(
            view,
            "levy",
            "残保金征收",
            figures=tuple(figures),
            charts=(ratio_chart,),
            tables=(ratio_table(view, ratios),),
            empty="没有登记的用人单位",
        )
    towns, town_chart = township_parts(view, total, measure)
    campaigns, campaign_charts, lines = campaign_parts(view)
    todo, counts = worklist_tables(view, everything)
    notes = {f"ratio:{r.key}": r.definition for r in ratios}
    notes["as_of"] = f"{view.scope.end.year}年度，截至{text.day(view.scope.end)}（所选期间的最后一天）"
    notes["campaigns"] = "\n".join(lines)
    notes["todo"] = (
        f"年审和缴纳为{view.scope.end.year}年度；检查整改和从未检查的单位不分年度。单位按规模（欠缴按金额）由大到小排列。"
    )
    return frame(
        view,
        "levy",
        "残保金征收",
        figures=tuple(figures + counts),
        tables=(ratio_table(view, ratios), towns, size_table(view), *([campaigns] if campaigns else []), *todo),
        charts=(ratio_chart, funnel_chart(total), town_chart, *campaign_charts),
        notes=notes,
    )
