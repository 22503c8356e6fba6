"""补贴发放录入: the entry workflow (pages/common/entry.py) declared for disbursements."""

from __future__ import annotations

import pandas as pd

from data_layer.domain import text
from data_layer.domain.rules import standard_factor
from data_layer.queries import subsidies
from data_layer.services import subsidies as service
from data_layer.services.records import services_for
from pages.common.context import ViewContext
from pages.common.entry import render_entry
from pages.common.entry_fields import township_choices, unit_choice, whole_year
from pages.common.entry_spec import EntrySpec, Field, GridSpec, Preview, Records, Subject, Words
from pages.common.ui import township_names

UNIT = {"household": "户", "person": "人"}
PER = {"month": "月", "payment": "次"}


def types(ctx: ViewContext) -> pd.DataFrame:
    return subsidies.types_and_standards(ctx.url).drop_duplicates("type_id").reset_index(drop=True)


def type_of(ctx: ViewContext, record: dict) -> pd.Series | None:
    found = types(ctx)
    found = found[found["type_id"] == record["type_id"]]
    return None if found.empty else found.iloc[0]


def standards(ctx: ViewContext, kind: pd.Series) -> str:
    rows = subsidies.types_and_standards(ctx.url)
    rows = rows[(rows["type_id"] == kind["type_id"]) & rows["effective_from"].notna()]
    per = f"{UNIT[kind['unit']]}/{PER[kind['standard_basis']]}"
    listed = "；".join(
        f"{text.iso_day(r.effective_from)} 起 {text.yuan(r.standard_fen)}/{per}" for r in rows.itertuples()
    )
    return f"标准：{listed or '未设置'}（不填标准时，按发放日有效的标准）"


def typed_fields(kind: pd.Series) -> list[Field]:
    return [
        Field("recipients", f"人（户）数（{UNIT[kind['unit']]}）", "count", placeholder="整数"),
        Field("standard_fen", "标准（元，可空）", "money", placeholder="按发放日标准"),
        Field("amount_fen", "实发金额（元，可空）", "money", placeholder="按 人数×标准×月数"),
        Field("note", "备注", "text", width=1.5),
    ]


def fields(kind: pd.Series) -> list[Field]:
    return [
        Field("month_from", "所属月份：从", "month", keep=True),
        Field("month_to", "至", "month", keep=True),
        Field("paid_date", "发放日期", "date", keep=True),
        *typed_fields(kind),
    ]


def preview(ctx: ViewContext, kind: pd.Series, kept: dict) -> Preview | None:
    month_from, month_to, paid = kept.get("month_from"), kept.get("month_to"), kept.get("paid_date")
    if month_from is None or month_to is None or paid is None or month_from > month_to:
        return None
    return Preview(
        count="recipients",
        rate="standard_fen",
        total="amount_fen",
        rate_default_fen=subsidies.standard_on(ctx.url, int(kind["type_id"]), paid),
        factor=standard_factor(kind["standard_basis"], month_from, month_to),
        per_month=kind["standard_basis"] == "month",
        unit=UNIT[kind["unit"]],
    )


def describe(ctx: ViewContext, r: dict) -> str:
    kind = type_of(ctx, r)
    where = township_names(ctx).get(r["township_id"], "县本级")
    count = f"{text.count(r['recipients'])} {UNIT[kind['unit']]}"
    paid = f"{text.month_span(r['month_from'], r['month_to'])}，{text.iso_day(r['paid_date'])} 发放"
    return f"{where} · {kind['type']} {count}，{text.yuan(r['amount_fen'])}（{paid}）"


def table(rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = rows.assign(
        所属月份=[text.month_span(a, b) for a, b in zip(rows["month_from"], rows["month_to"], strict=True)],
        标准=[text.yuan(v) for v in rows["standard_fen"]],
        金额=[text.yuan(v) for v in rows["amount_fen"]],
    )
    names = {"id": "编号", "paid_date": "发放日期", "type": "补贴类型", "township": "乡镇", "recipients": "人（户）数"}
    names |= {"note": "备注", "warning_note": "核实说明", "created_by": "录入人"}
    return out.rename(columns=names)[columns]


def recent(ctx: ViewContext, kind: pd.Series) -> pd.DataFrame:
    rows = subsidies.disbursements(ctx.url, whole_year(ctx), kind["type_code"])
    rows = rows.sort_values(["created_at", "id"], ascending=False)
    columns = ["编号", "发放日期", "乡镇", "所属月份", "人（户）数", "标准", "金额", "备注", "核实说明", "录入人"]
    return table(rows, columns)


def deleted(ctx: ViewContext) -> pd.DataFrame:
    rows = subsidies.disbursements(ctx.url, whole_year(ctx), deleted=True)
    return table(rows, ["编号", "发放日期", "补贴类型", "乡镇", "所属月份", "人（户）数", "金额", "录入人"])


def recorded(ctx: ViewContext, kind: pd.Series, first) -> dict[int, str]:
    """Per unit: the recipients of the type's records that cover the month."""
    rows = subsidies.disbursements(ctx.url, whole_year(ctx), kind["type_code"])
    rows = rows[(rows["month_from"] <= first) & (rows["month_to"] >= first)]
    totals = rows.groupby(rows["township_id"].map(unit_choice))["recipients"].sum()
    return {int(t): f"{text.count(n)} {UNIT[kind['unit']]}" for t, n in totals.items()}


def grid_shared(ctx: ViewContext, kind: pd.Series, month, day) -> dict:
    """Every row of the grid: the type, the county, the one month it covers, the day it was paid."""
    return dict(type_id=int(kind["type_id"]), county_id=ctx.county_id, month_from=month, month_to=month, paid_date=day)


SPEC = EntrySpec(
    key="ps",
    url_path="entry_subsidies",
    words=Words(noun="发放记录", subject="补贴类型", one_by_one="逐笔录入", missing="尚未设置补贴类型或县区。"),
    subject=Subject(key="type_id", choices=types, name=lambda kind: kind["type"], of_record=type_of, caption=standards),
    units=lambda ctx, kind: township_choices(ctx, ctx.county_id),
    fields=fields,
    fixed=lambda ctx, kind: {"county_id": ctx.county_id},
    preview=preview,
    services=services_for(service.DISBURSEMENT),
    records=Records(
        load=subsidies.disbursement, describe=describe, recent=recent, deleted=deleted, table="disbursement"
    ),
    grid=GridSpec(
        columns=lambda kind: [f for f in typed_fields(kind) if f.name != "standard_fen"],
        day=Field("paid_date", "发放日期", "date"),
        recorded=recorded,
        shared=grid_shared,
    ),
    year_of=lambda record: record["month_from"].year,
)


def render() -> None:
    render_entry(SPEC)
