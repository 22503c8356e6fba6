"""重点工程进度录入: the entry workflow (pages/common/entry.py) declared for progress entries."""

from __future__ import annotations

import pandas as pd

from data_layer.domain import text
from data_layer.queries import projects
from data_layer.services import projects as service
from data_layer.services.records import services_for
from pages.common.context import ViewContext
from pages.common.entry import render_entry
from pages.common.entry_fields import month_scope, township_choices, unit_choice, whole_year
from pages.common.entry_spec import EntrySpec, Field, GridSpec, Records, Subject, Words
from pages.common.ui import short_project_name, township_names


def items(ctx: ViewContext) -> pd.DataFrame:
    return projects.items_for_entry(ctx.url, ctx.spec.year, ctx.scope.county_ids)


def item_name(item: pd.Series) -> str:
    return f"{short_project_name(item['project'])} · {item['item']}（{item['unit']}）"


def item_of(ctx: ViewContext, record: dict) -> pd.Series | None:
    found = projects.items_for_entry(ctx.url, int(record["year"]))
    found = found[found["item_id"] == record["item_id"]]
    return None if found.empty else found.iloc[0]


def townships(ctx: ViewContext, item: pd.Series) -> dict[int, str]:
    """An item's scope says whether its entries name a township, 县本级, or either."""
    return township_choices(
        ctx, item["county_id"], townships=item["scope"] != "county", county_wide=item["scope"] != "township"
    )


def fields(item: pd.Series) -> list[Field]:
    money = [Field("amount_fen", "金额（元）", "money", placeholder="例如 1350 或 1350.50")]
    if item["measure"] == "money":
        return [Field("entry_date", "日期", "date", keep=True), *money, Field("note", "备注", "text", width=2)]
    count = Field("quantity", f"数量（{item['unit']}）", "count", placeholder="整数")
    return [Field("entry_date", "日期", "date", keep=True), count, *money, Field("note", "备注", "text", width=2)]


def describe(ctx: ViewContext, r: dict) -> str:
    where = township_names(ctx).get(r["township_id"], "县本级")
    amount = text.yuan(r["amount_fen"])
    done = amount if r["measure"] == "money" else f"{text.count(r['quantity'])} {r['unit']}，{amount}"
    return f"{where} · {r['item']} {done}（{text.iso_day(r['entry_date'])}）"


def recent(ctx: ViewContext, item: pd.Series) -> pd.DataFrame:
    rows = projects.entries(ctx.url, whole_year(ctx), item["project_code"], item["item_code"])
    rows = rows.sort_values(["created_at", "id"], ascending=False)
    return entry_table(rows, ["编号", "日期", "乡镇", "数量", "金额", "备注", "核实说明", "录入人"])


def deleted(ctx: ViewContext) -> pd.DataFrame:
    rows = projects.entries(ctx.url, whole_year(ctx), deleted=True)
    return entry_table(rows, ["编号", "日期", "乡镇", "指标", "数量", "金额", "录入人"])


def entry_table(rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    table = rows.assign(金额=[text.yuan(a) for a in rows["amount_fen"]])
    names = {"id": "编号", "entry_date": "日期", "township": "乡镇", "item": "指标", "quantity": "数量"}
    names |= {"note": "备注", "warning_note": "核实说明", "created_by": "录入人"}
    return table.rename(columns=names)[columns]


def recorded(ctx: ViewContext, item: pd.Series, first) -> dict[int, str]:
    done = projects.township_progress(ctx.url, month_scope(ctx, first))
    done = done[(done.project_code == item["project_code"]) & (done.item_code == item["item_code"])]
    return {unit_choice(t): text.count(v) for t, v in zip(done["township_id"], done["done_period"], strict=True)}


SPEC = EntrySpec(
    key="pe",
    url_path="entry_projects",
    words=Words(noun="进度记录", subject="指标", missing="本年度尚未设置重点工程，请先在“目标任务”页设置。"),
    subject=Subject(key="item_id", choices=items, name=item_name, of_record=item_of),
    units=townships,
    fields=fields,
    services=services_for(service.PROGRESS),
    records=Records(load=projects.entry, describe=describe, recent=recent, deleted=deleted, table="progressentry"),
    grid=GridSpec(
        columns=lambda item: [f for f in fields(item) if not f.keep],
        day=Field("entry_date", "记录日期", "date"),
        recorded=recorded,
        shared=lambda ctx, item, month, day: {"item_id": int(item["item_id"]), "entry_date": day},
    ),
)


def render() -> None:
    render_entry(SPEC)
