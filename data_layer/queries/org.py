"""The org tree, the years on record, and facts about the store itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import exists, select

from data_layer.domain.roles import Actor
from data_layer.domain.scope import Scope
from data_layer.infra.audit import newest_data_entry
from data_layer.infra.cache import cached_query
from data_layer.models import (
    Article,
    AuditLog,
    County,
    Disbursement,
    Employer,
    ProgressEntry,
    Project,
    Township,
)
from data_layer.queries._sql import frame, scalar

TOWNSHIP_COLUMNS = ["township_id", "township", "kind", "county_id", "county", "sort_order", "active"]


@cached_query
def counties(url: str) -> pd.DataFrame:
    stmt = select(County.id, County.name, County.code).order_by(County.sort_order, County.id)
    return frame(url, stmt, ["county_id", "county", "code"])


def whole_area(counties: pd.DataFrame) -> str:
    """What the whole store is called: 全县 (one county), 全市 (counties of one prefecture: the first four digits
    of their 行政区划代码 agree), else 全省."""
    if len(counties) <= 1:
        return "全县"
    return "全市" if counties["code"].str[:4].nunique() == 1 else "全省"


def level(counties: pd.DataFrame) -> str:
    """县, 市 or 省: the level of the office whose dashboard the store is (see :func:`whole_area`)."""
    return whole_area(counties).removeprefix("全")


def office(counties: pd.DataFrame) -> str:
    """The office whose dashboard the store is: 县残联, or 市残联 / 省残联 for a store of several counties."""
    return f"{level(counties)}残联"


def scope_area(url: str, scope: Scope) -> str:
    """The whole a report's scope covers: 全县 for one county (or townships of one), the store's 全县 / 全市 /
    全省 when no county is chosen, else 所选县区."""
    if scope.township_ids or len(scope.county_ids) == 1:
        return "全县"
    return "所选县区" if scope.county_ids else whole_area(counties(url))


@cached_query
def townships(url: str) -> pd.DataFrame:
    """Every township with its county, in the admin's order; ``label`` is what screens, filters and tables call
    it: its name, or where another county of the store has a township of that name (two counties' 城关镇), the
    name with its county — “城关镇（沂源县）” — so a label picks out one township."""
    stmt = (
        select(Township.id, Township.name, Township.kind, County.id, County.name, Township.sort_order, Township.active)
        .join(County, County.id == Township.county_id)
        .order_by(County.sort_order, County.id, Township.sort_order, Township.id)
    )
    out = frame(url, stmt, TOWNSHIP_COLUMNS)
    repeated = out["township"].duplicated(keep=False)
    out["label"] = out["township"].where(~repeated, out["township"] + "（" + out["county"] + "）")
    return out.astype({"active": bool})  # keep the dtype when there are no rows (a mask, not labels)


@cached_query
def years(url: str) -> list[int]:
    """Years the store plans for (a year exists once its key projects are set), newest first."""
    with_years = frame(url, select(Project.year).distinct(), ["year"])
    return sorted((int(y) for y in with_years["year"]), reverse=True)


@cached_query
def demo_present(url: str) -> bool:
    """True while any generated demo row is in the store (the app shows a 演示数据 badge)."""
    tables = (ProgressEntry, Disbursement, Employer, Article)
    stmt = select(*[exists().where(t.is_demo.is_(True)) for t in tables])
    with_rows = frame(url, stmt, [t.__tablename__ for t in tables])
    return bool(len(with_rows) and with_rows.iloc[0].any())


@cached_query
def last_write(url: str) -> datetime | None:
    """When the store's data last changed (数据最后更新): the time of the newest audit entry that changed data —
    the entry the data version is (data_layer/infra/audit.py ``newest_data_entry``), so a sign-in, a sign-out
    or a recorded download moves neither."""
    return scalar(url, newest_data_entry().with_only_columns(AuditLog.at))


def townships_in_scope(url: str, scope: Scope) -> pd.DataFrame:
    """The active townships a view covers, in the admin's order: the chosen ones, within the chosen counties."""
    towns = townships(url)
    towns = towns[towns["active"]]
    if scope.county_ids:
        towns = towns[towns["county_id"].isin(scope.county_ids)]
    if scope.township_ids:
        towns = towns[towns["township_id"].isin(scope.township_ids)]
    return towns.reset_index(drop=True)


@cached_query
def recent_writes(url: str, actor: str, table: str, limit: int = 3) -> pd.DataFrame:
    """What ``actor`` last created in ``table``, newest first (the audit log): after a lost connection,
    the entry page shows it so nobody has to guess whether the last 保存 went through."""
    stmt = (
        select(AuditLog.row_id, AuditLog.at)
        .where(AuditLog.actor == actor, AuditLog.table_name == table, AuditLog.action == "create")
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    )
    return frame(url, stmt, ["row_id", "at"])


@dataclass(frozen=True)
class ActingCounty:
    """Where a form's new records and an imported file's rows belong: one county and its townships."""

    county_id: int
    name: str
    townships: dict[int, str]  # every township of the county (id → name): a file naming a deactivated one is
    # told so by the rules, not “不存在”
    offered: dict[int, str]  # those a form and a template offer: active ones (a township officer's own)


def acting_county(url: str, actor: Actor, scope: Scope) -> ActingCounty | None:
    """A township officer's county; else the filter's one county, or the first with a township; None when no
    township is set up yet. In the administrator's order."""
    towns = townships(url)
    if not actor.kind.every_township:
        chosen = towns.loc[towns["township_id"] == actor.township_id, "county_id"].tolist()
    else:
        chosen = [*scope.county_ids[:1], *towns["county_id"].head(1)]
    towns = towns[towns["county_id"] == int(chosen[0])] if chosen else towns.head(0)
    if towns.empty:
        return None
    offered = towns[towns["active"] & towns["township_id"].map(lambda i: actor.township_allowed(int(i)))]
    return ActingCounty(int(chosen[0]), str(towns["county"].iloc[0]), _named(towns), _named(offered))


def _named(towns: pd.DataFrame) -> dict[int, str]:
    return dict(zip((int(i) for i in towns["township_id"]), towns["township"], strict=True))
