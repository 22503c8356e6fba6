"""信息宣传: articles per outlet level against the year's targets and its pace, by outlet, month and township (who
contributed, who has not, and the county's own 县本级 articles), and the newest articles."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from data_layer import app_settings
from data_layer.access import View
from data_layer.documents.colours import LEVEL_COLOURS
from data_layer.domain import text
from data_layer.queries import articles, publicity
from data_layer.queries.publicity import LEVEL_LABELS
from data_layer.views import common
from data_layer.views.board import Board, Chart, Column, Figure, Series, Table, table
from data_layer.views.common import COUNTY_WIDE, frame, township_names


def so_far(row) -> str:
    """“全年累计 40 篇 / 目标 80 篇”."""
    target = "未设目标" if math.isnan(row.target) else f"目标 {text.count(row.target, '篇')}"
    return f"全年累计 {text.count(row.year_to_date, '篇')} / {target}"


def level_parts(view: View) -> tuple[list[Figure], pd.DataFrame, pd.Series]:
    """The period's articles in all and per level, each against the year's target and its pace."""
    thresholds = app_settings.pace_thresholds(view.url)
    levels = publicity.by_level(view.url, view.scope, view.today, thresholds)
    total = publicity.all_levels(levels, view.scope, view.today, thresholds)
    figures = [
        Figure(
            "articles",
            "本期发表稿件",
            "count",
            int(total.articles),
            "篇",
            so_far(total),
            total.status,
            total.status_label,
        )
    ]
    for r in levels.itertuples():
        figures.append(
            Figure(
                f"level:{r.level}", r.level_label, "count", int(r.articles), "篇", so_far(r), r.status, r.status_label
            )
        )
    # each one's share of its year's target (the year so far ÷ the target), beside its status
    shares = [Figure("done:articles", "全年完成", "pct", total.completion)]
    shares += [
        Figure(f"done:level:{r.level}", f"{r.level_label}全年完成", "pct", r.completion) for r in levels.itertuples()
    ]
    return figures + shares, levels, total


def level_charts(view: View, levels: pd.DataFrame) -> tuple[Chart, Chart]:
    """The levels' articles of the period (with the year's targets as ticks on a whole year's view), and the
    year so far against the year's target (a meeting's slide)."""
    colours = tuple(LEVEL_COLOURS[lv] for lv in levels["level"])
    whole_year = view.scope.period == "all"
    targets = tuple(None if math.isnan(t) else t for t in levels["target"])
    period = Chart(
        "levels",
        "各级媒体：本期稿件（篇）",
        "bars",
        tuple(levels["level_label"]),
        (
            Series("本期稿件", "count", tuple(int(n) for n in levels["articles"]), "篇", colours),
            *((Series("全年目标", "count", targets, "篇"),) if whole_year else ()),
        ),
        labels=tuple(
            text.count(n) + (f" / {text.count(t)}" if t is not None and whole_year else "")
            for n, t in zip(levels["articles"], targets, strict=True)
        ),
    )
    year = Chart(
        "year_levels",
        "各级媒体：全年累计与年度目标（篇）",
        "bars",
        tuple(levels["level_label"]),
        (
            Series("全年累计", "count", tuple(int(n) for n in levels["year_to_date"]), "篇", colours),
            Series("年度目标", "count", targets, "篇"),
        ),
    )
    return period, year


def paced_cells(first: str, names, paced: pd.DataFrame, target: str) -> list:
    """A row's articles of the period and of the year so far against the year's target or quota, paced: the
    columns beside their values, from a frame of publicity.by_level or by_township."""
    return [
        (Column(first), names),
        (Column("本期稿件（篇）", "count", total=True), [int(n) for n in paced["articles"]]),
        (Column("全年累计（篇）", "count", total=True), [int(n) for n in paced["year_to_date"]]),
        (Column(target, "count", total=True), [None if pd.isna(t) else t for t in paced["target"]]),
        (Column("完成", "pct"), paced["completion"]),
        (Column("序时进度", "pct"), paced["elapsed"]),
        (Column("状态", "status"), paced["status_label"]),
    ]


def level_table(levels: pd.DataFrame, total: pd.Series) -> Table:
    return table(
        "by_level",
        "按级别：本期稿件、全年累计与年度目标",
        paced_cells(
            "级别",
            levels["level_label"],
            levels,
            "年度目标（篇）",
        ),
        sheet="按级别",
        totals=True,
        # the levels together are paced like each level: their completion is computed, never summed
        total_values={
            "年度目标（篇）": None if math.isnan(total.target) else total.target,
            "完成": total.completion,
            "序时进度": total.elapsed,
            "状态": total.status_label,
        },
    )


def outlet_parts(view: View) -> tuple[Table, Chart]:
    rows = publicity.by_outlet(view.url, view.scope)
    outlets = table(
        "by_outlet",
        "按媒体（本期）",
        [
            (Column("媒体"), rows["outlet"]),
            (Column("级别"), [LEVEL_LABELS[lv] for lv in rows["level"]]),
            (Column("本期稿件（篇）", "count", total=True), [int(n) for n in rows["articles"]]),
        ],
        sheet="按媒体",
        totals=True,
    )
    chart = Chart(
        "by_outlet",
        "按媒体（本期）",
        "bars",
        tuple(rows["outlet"]),
        (
            Series(
                "本期稿件",
                "count",
                tuple(int(n) for n in rows["articles"]),
                "篇",
                tuple(LEVEL_COLOURS[lv] for lv in rows["level"]),
            ),
        ),
        labels=tuple(
            f"{text.count(n, '篇')} · {LEVEL_LABELS[lv]}" for n, lv in zip(rows["articles"], rows["level"], strict=True)
        ),
    )
    return outlets, chart


def month_parts(view: View) -> tuple[Table, Chart]:
    """Articles per month of the period (months without any too) and level, as the chart stacks them."""
    rows = publicity.by_month(view.url, view.scope)
    months = _months(view)
    counts = {
        lv: [int(rows[(rows.month == m) & (rows.level == lv)]["articles"].sum()) for m in months] for lv in LEVEL_LABELS
    }
    data = {"月份": [f"{m[:4]}年{int(m[5:])}月" for m in months]}
    for lv, label in LEVEL_LABELS.items():
        data[f"{label}（篇）"] = counts[lv]
    data["合计（篇）"] = [sum(c[i] for c in counts.values()) for i in range(len(months))]
    table = Table(
        "by_month",
        "按月份（本期）",
        (
            Column("月份"),
            *[Column(f"{label}（篇）", "count", total=True) for label in LEVEL_LABELS.values()],
            Column("合计（篇）", "count", total=True),
        ),
        pd.DataFrame(data),
        sheet="按月份",
        totals=True,
    )
    chart = Chart(
        "by_month",
        "按月份（本期，篇）",
        "columns",
        tuple(f"{int(m[5:])}月" for m in months),
        tuple(
            Series(label, "count", tuple(counts[lv]), "篇", (LEVEL_COLOURS[lv],)) for lv, label in LEVEL_LABELS.items()
        ),
    )
    return table, chart


def _months(view: View) -> list[str]:
    """The period's months as “2023-05”."""
    start, end = view.scope.start, view.scope.end
    return [text.month_key(start.replace(month=m)) for m in range(start.month, end.month + 1)]


def township_table(view: View) -> Table:
    """Every township of the view against its quota, and (for a whole county) its 县本级 articles, so the rows add
    up to the period's articles."""
    thresholds = app_settings.pace_thresholds(view.url)
    towns = publicity.by_township(view.url, view.scope, view.today, thresholds)
    names = township_names(view)
    towns = towns.assign(township=[names.get(int(t), n) for t, n in towns[["township_id", "township"]].to_numpy()])
    if not view.scope.township_ids:  # the county's own articles, so the rows add up to the period's
        scope = view.scope
        wide = publicity.county_wide(view.url, scope)
        wide_ytd = publicity.county_wide(view.url, replace(scope, start=scope.year_start))
        if wide or wide_ytd:
            county = {
                "township": COUNTY_WIDE,
                "articles": wide,
                "year_to_date": wide_ytd,
                "target": None,
                "completion": None,
                "elapsed": None,
                "status_label": "不属于任何乡镇",
                "status": None,
            }
            towns = pd.concat([towns, pd.DataFrame([county])], ignore_index=True)
    silent = [t for t, n, k in zip(towns["township"], towns["articles"], towns["status"], strict=True) if n == 0 and k]
    return table(
        "by_township",
        "按乡镇：报送任务与完成",
        paced_cells("乡镇", towns["township"], towns, "全年任务（篇）"),
        extra={"标记": towns["status"]},
        sheet="按乡镇",
        totals=True,
        note=(f"本期未供稿（{len(silent)} 个）：{'、'.join(silent)}" if silent else "本期每个乡镇都有稿件。"),
    )


def list_table(view: View) -> Table:
    """The period's newest articles (a screen's worth; every one is in 信息报送台账)."""
    total = articles.article_count(view.url, view.scope)
    found = articles.articles(view.url, view.scope, limit=common.ROWS_ON_SCREEN)
    data = {
        "发表日期": list(found["published_on"]),
        "媒体": list(found["outlet"]),
        "级别": [LEVEL_LABELS[lv] for lv in found["level"]],
        "乡镇": list(found["township"]),
        "标题": list(found["title"]),
        "类型": list(found["kind"]),
        "链接": list(found["link"]),
    }
    columns = [
        Column("发表日期", "day"),
        Column("媒体"),
        Column("级别"),
        Column("乡镇"),
        Column("标题", width="large"),
        Column("类型"),
        Column("链接", "link"),
    ]
    if view.multi_county:
        data["县（区）"] = list(found["county"])
        columns.insert(3, Column("县（区）"))
    note = common.first_rows_note(total, len(found), "篇", "下方的“信息报送台账”")
    return Table(
        "list",
        f"稿件列表（本期 {text.count(total, '篇')}）",
        tuple(columns),
        pd.DataFrame(data),
        note=note,
    )


def build(view: View) -> Board:
    figures, levels, total = level_parts(view)
    period_chart, year_chart = level_charts(view, levels)
    outlets, outlet_chart = outlet_parts(view)
    months, month_chart = month_parts(view)
    as_of = text.day(min(view.scope.end, view.today))
    pace = f"完成＝全年累计÷年度目标；序时进度 {text.pct(float(total.elapsed))}（截至{as_of}已过全年的比例）。"
    if view.scope.township_ids:
        pace += "各级目标按全县设置，选了乡镇时不比较；乡镇的报送任务见下方“按乡镇”。"
    nothing = int(levels["year_to_date"].sum()) == 0 and levels["target"].isna().all()
    return frame(
        view,
        "publicity",
        "信息宣传",
        figures=tuple(figures),
        tables=(level_table(levels, total), outlets, months, township_table(view), list_table(view)),
        charts=(period_chart, year_chart, outlet_chart, month_chart),
        notes={"levels": pace, "elapsed": text.pct(float(total.elapsed))},
        empty=f"{view.spec.year}年还没有登记稿件，也没有设置宣传目标。" if nothing else "",
    )
