"""信息宣传录入: the entry workflow (pages/common/entry.py) declared for articles.

The subject is the outlet (kept after a save, with the date published); the unit is the township the
article is about, or 县本级. The workflow's month grid is one row per township with its title, kind and
link: an outlet's articles of one day, typed in at once.
"""

from __future__ import annotations

import pandas as pd

from data_layer.domain import text
from data_layer.models import ARTICLE_KINDS
from data_layer.queries import articles
from data_layer.queries.publicity import LEVEL_LABELS
from data_layer.services import publicity as service
from data_layer.services.records import services_for
from pages.common.context import ViewContext
from pages.common.entry import render_entry
from pages.common.entry_fields import month_scope, township_choices, unit_choice, whole_year
from pages.common.entry_spec import EntrySpec, Field, GridSpec, Records, Subject, Words
from pages.common.ui import township_names


def outlets(ctx: ViewContext) -> pd.DataFrame:
    return articles.outlets(ctx.url)


def outlet_of(ctx: ViewContext, record: dict) -> pd.Series | None:
    found = outlets(ctx)
    found = found[found["outlet_id"] == record["outlet_id"]]
    return None if found.empty else found.iloc[0]


def outlet_name(outlet: pd.Series) -> str:
    return f"{outlet['outlet']}（{LEVEL_LABELS.get(outlet['level'], outlet['level'])}）"


def outlet_caption(ctx: ViewContext, outlet: pd.Series) -> str:
    first = outlet["first_used_on"]
    since = "未登记首次使用日期" if first is None or pd.isna(first) else f"首次使用：{text.day(first)}"
    return f"媒体类型：{outlet['medium']}；{since}"


def typed_fields(outlet: pd.Series) -> list[Field]:
    return [
        Field("title", "稿件标题", "text", width=3, placeholder="不超过 120 字"),
        Field("kind", "稿件类型", "choice", options=ARTICLE_KINDS, help="表格中不选按“信息”"),
        Field("link", "链接（可空）", "text", width=2, placeholder="http:// 或 https:// 开头"),
    ]


def fields(outlet: pd.Series) -> list[Field]:
    return [Field("published_on", "发表日期", "date", keep=True), *typed_fields(outlet)]


def describe(ctx: ViewContext, r: dict) -> str:
    outlet = outlet_of(ctx, r)
    where = township_names(ctx).get(r["township_id"], "县本级")
    name = outlet["outlet"] if outlet is not None else "未知媒体"
    return f"{where} · {name}《{r['title']}》（{r['kind']}，{text.day(r['published_on'])} 发表）"


NAMES = {
    "id": "编号",
    "published_on": "发表日期",
    "outlet": "发表媒体",
    "township": "乡镇",
    "title": "标题",
    "kind": "类型",
    "link": "链接",
    "warning_note": "核实说明",
    "created_by": "录入人",
}


def table(rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return rows.rename(columns=NAMES)[columns]


def recent(ctx: ViewContext, outlet: pd.Series) -> pd.DataFrame:
    rows = articles.articles(ctx.url, whole_year(ctx), int(outlet["outlet_id"]))
    rows = rows.sort_values(["created_at", "id"], ascending=False)
    return table(rows, ["编号", "发表日期", "乡镇", "标题", "类型", "链接", "核实说明", "录入人"])


def deleted(ctx: ViewContext) -> pd.DataFrame:
    rows = articles.articles(ctx.url, whole_year(ctx), deleted=True)
    return table(rows, ["编号", "发表日期", "发表媒体", "乡镇", "标题", "类型", "录入人"])


def recorded(ctx: ViewContext, outlet: pd.Series, first) -> dict[int, str]:
    """Per unit: the outlet's articles already recorded in the month."""
    counts = articles.counts_by_township(ctx.url, month_scope(ctx, first), int(outlet["outlet_id"]))
    return {unit_choice(t): f"{n} 篇" for t, n in counts.items()}


def grid_shared(ctx: ViewContext, outlet: pd.Series, month, day) -> dict:
    """Every row of the grid: the outlet, the county, the day published."""
    return dict(outlet_id=int(outlet["outlet_id"]), county_id=ctx.county_id, published_on=day)


SPEC = EntrySpec(
    key="pa",
    url_path="entry_publicity",
    words=Words(noun="稿件", subject="发表媒体", one_by_one="逐篇录入", missing="尚未登记发表媒体或县区。"),
    subject=Subject(key="outlet_id", choices=outlets, name=outlet_name, of_record=outlet_of, caption=outlet_caption),
    units=lambda ctx, outlet: township_choices(ctx, ctx.county_id),
    fields=fields,
    fixed=lambda ctx, outlet: {"county_id": ctx.county_id},
    services=services_for(service.ARTICLE),
    records=Records(load=articles.article, describe=describe, recent=recent, deleted=deleted, table="article"),
    grid=GridSpec(
        columns=typed_fields,
        day=Field("published_on", "发表日期", "date"),
        recorded=recorded,
        shared=grid_shared,
    ),
    year_of=lambda record: record["published_on"].year,
)


def render() -> None:
    render_entry(SPEC)
