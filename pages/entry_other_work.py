"""其他工作录入: the entry workflow (pages/common/entry.py) declared for the report's other work items.

The subject is the indicator (类别 · 名称（单位）); the unit is a township or 县本级. The period's start and end
stay after a save (a half-year figure and a month's are both entered as a period); the month grid is one
indicator for every township in one month: each row saved from the month's first day to the grid's end date.
"""

from __future__ import annotations

import calendar
from datetime import date

import pandas as pd

from data_layer.domain import text
from data_layer.queries import indicators
from data_layer.services import indicators as service
from data_layer.services.records import services_for
from pages.common.context import ViewContext
from pages.common.entry import render_entry
from pages.common.entry_fields import month_scope, township_choices, unit_choice, whole_year
from pages.common.entry_spec import EntrySpec, Field, GridSpec, Records, Subject, Words
from pages.common.ui import township_names


def choices(ctx: ViewContext) -> pd.DataFrame:
    return indicators.choices(ctx.url)


def indicator_name(indicator: pd.Series) -> str:
    return f"{indicator['category']} · {indicator['indicator']}（{indicator['unit']}）"


def indicator_of(ctx: ViewContext, record: dict) -> pd.Series | None:
    found = choices(ctx)
    found = found[found["indicator_id"] == record["indicator_id"]]
    return None if found.empty else found.iloc[0]


PERIOD_HINT = (
    "期间即数值所统计的起止日期（上半年：1月1日至6月30日；某月：该月1日至月末），保存后保持不变；"
    "数值按期间的开始日期计入各期统计。"
)


def indicator_caption(ctx: ViewContext, indicator: pd.Series) -> str:
    return PERIOD_HINT


def typed_fields(indicator: pd.Series) -> list[Field]:
    return [
        Field("value", f"数值（{indicator['unit']}）", "count", placeholder="整数，如 12"),
        Field("note", "备注（可空）", "text", width=2, placeholder="不超过 200 字"),
    ]


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The month's last day: a new value covers the default day's whole month until changed."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def fields(indicator: pd.Series) -> list[Field]:
    period = [
        Field(
            "period_start",
            "期间开始",
            "date",
            keep=True,
            help="数值按期间的开始日期计入各期统计",
            starts_at=month_start,
        ),
        Field("period_end", "期间结束", "date", keep=True, help="与开始日期在同一年内", starts_at=month_end),
    ]
    return [*period, *typed_fields(indicator)]


def describe(ctx: ViewContext, r: dict) -> str:
    where = township_names(ctx).get(r["township_id"], "县本级")
    period = text.period(r["period_start"], r["period_end"])
    return f"{where} · {r['indicator']} {text.count(r['value'])} {r['unit']}（{period}）"


NAMES = {
    "id": "编号",
    "indicator": "指标",
    "township": "乡镇",
    "note": "备注",
    "warning_note": "核实说明",
    "created_by": "录入人",
}


def table(rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    shown = rows.assign(
        期间=[text.period(s, e) for s, e in zip(rows["period_start"], rows["period_end"], strict=True)],
        数值=[f"{text.count(v)} {u}" for v, u in zip(rows["value"], rows["unit"], strict=True)],
    )
    return shown.rename(columns=NAMES)[columns]


def recent(ctx: ViewContext, indicator: pd.Series) -> pd.DataFrame:
    rows = indicators.values(ctx.url, whole_year(ctx), int(indicator["indicator_id"]))
    rows = rows.sort_values(["created_at", "id"], ascending=False)
    return table(rows, ["编号", "期间", "乡镇", "数值", "备注", "核实说明", "录入人"])


def deleted(ctx: ViewContext) -> pd.DataFrame:
    rows = indicators.values(ctx.url, whole_year(ctx), deleted=True)
    return table(rows, ["编号", "期间", "指标", "乡镇", "数值", "录入人"])


def recorded(ctx: ViewContext, indicator: pd.Series, first: date) -> dict[int, str]:
    """Per unit: the indicator's values whose period starts in the month, summed (and how many, if several)."""
    found = indicators.totals_by_township(ctx.url, month_scope(ctx, first), int(indicator["indicator_id"]))
    return {unit_choice(t): text.count(total) + (f"（{n} 条）" if n > 1 else "") for t, (total, n) in found.items()}


def grid_shared(ctx: ViewContext, indicator: pd.Series, month: date, day: date) -> dict:
    """Every row of the grid: the indicator, the county, the period from the month's first day to the end date
    (the month's last day unless changed; today while the month is still running)."""
    indicator_id = int(indicator["indicator_id"])
    return dict(indicator_id=indicator_id, county_id=ctx.county_id, period_start=month, period_end=day)


GRID_END_HELP = "每行的期间从所选月份的 1 日到这一天：过去的月份默认为月末，本月为今天"

SPEC = EntrySpec(
    key="iv",
    url_path="entry_other_work",
    words=Words(noun="指标数值", subject="指标", missing="尚未设置工作指标。"),
    subject=Subject(
        key="indicator_id", choices=choices, name=indicator_name, of_record=indicator_of, caption=indicator_caption
    ),
    units=lambda ctx, indicator: township_choices(ctx, ctx.county_id),
    fields=fields,
    fixed=lambda ctx, indicator: {"county_id": ctx.county_id},
    services=services_for(service.INDICATOR_VALUE),
    records=Records(load=indicators.value, describe=describe, recent=recent, deleted=deleted, table="indicatorvalue"),
    grid=GridSpec(
        columns=typed_fields,
        day=Field("period_end", "期间结束", "date", help=GRID_END_HELP),
        recorded=recorded,
        shared=grid_shared,
    ),
    year_of=lambda record: record["period_start"].year,
)


def render() -> None:
    render_entry(SPEC)
