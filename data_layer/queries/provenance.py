"""The report's figures beside what the store holds for them now."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from sqlalchemy import func, select

from data_layer.domain.money import fen_as_yuan
from data_layer.domain.scope import PERIODS, FilterSpec, Scope, make_scope
from data_layer.infra.cache import cached_query
from data_layer.models import Campaign, SeedFigure, SubsidyStandard, SubsidyType, Township
from data_layer.queries import indicators, levy, projects, publicity, subsidies
from data_layer.queries._sql import frame, scalar

FIGURE_COLUMNS = [
    "code",
    "area",
    "item",
    "section",
    "quote",
    "value_printed",
    "value_used",
    "unit",
    "why_differs",
    "period",
    "metric",
    "metric_rule",
]


@cached_query
def figures(url: str) -> pd.DataFrame:
    cols = [getattr(SeedFigure, c) for c in FIGURE_COLUMNS]
    return frame(url, select(*cols).order_by(SeedFigure.id), FIGURE_COLUMNS)


def period_scope(period: str, county_id: int) -> Scope:
    """``2023-h1`` → the scope of that period (a half-year, a quarter, ``all``: the year) in one county."""
    year, part = period.split("-")
    if part not in PERIODS or part == "range":  # every other period was read as the second half-year
        raise ValueError(f"报告期间“{period}”无法识别")
    return make_scope(FilterSpec(int(year), part), county_ids=(county_id,))


def reproduce(url: str, metric: str, scope: Scope) -> Decimal | None:
    """The store's value of ``metric`` (see seeds/report_2023h1.yaml) for ``scope``; None if unknown."""
    kind, _, key = metric.partition(":")
    if kind in ("progress.quantity", "progress.amount"):
        project, item = key.split(".")
        rows = projects.item_progress(url, scope)
        row = rows[(rows.project_code == project) & (rows.item_code == item)]
        if row.empty:
            return None
        if kind == "progress.amount":
            return fen_as_yuan(row.amount_period_fen.iloc[0])
        value = row.done_period.iloc[0]
        return Decimal(int(value)) if float(value).is_integer() else Decimal(str(value))
    if kind == "project.amount":
        rows = projects.item_progress(url, scope)
        return fen_as_yuan(int(rows[rows.project_code == key].amount_period_fen.sum()))
    if kind in ("disb.amount", "disb.recipients"):
        rows = subsidies.totals_by_type(url, scope).set_index("type_code")
        if key not in rows.index:
            return None
        return (
            fen_as_yuan(int(rows.at[key, "amount_fen"]))
            if kind == "disb.amount"
            else Decimal(int(rows.at[key, "recipients"]))
        )
    if kind == "standard":
        stmt = (
            select(SubsidyStandard.amount_fen)
            .join(SubsidyType, SubsidyType.id == SubsidyStandard.type_id)
            .where(SubsidyType.code == key, SubsidyStandard.effective_from <= scope.end)
            .order_by(SubsidyStandard.effective_from.desc())
            .limit(1)
        )
        fen = scalar(url, stmt)
        return None if fen is None else fen_as_yuan(fen)
    if kind.startswith("levy."):
        column = {"levy.onsite": "onsite", "levy.notified": "notified", "levy.campaign_inspected": "campaign_inspected"}
        return Decimal(int(levy.period_activity(url, scope)[column[kind]].iloc[0]))
    if kind == "campaign.start_day":
        start = scalar(
            url,
            select(func.min(Campaign.start_date)).where(
                Campaign.start_date.between(scope.start, scope.end), Campaign.county_id.in_(scope.county_ids)
            ),
        )
        return None if start is None else Decimal(start.day)
    if kind == "articles.total":
        return Decimal(int(publicity.by_outlet(url, scope)["articles"].sum()))
    if kind == "articles.outlet":
        rows = publicity.by_outlet(url, scope).set_index("outlet")
        return Decimal(int(rows.at[key, "articles"])) if key in rows.index else None
    if kind == "indicator":
        rows = indicators.totals(url, scope).set_index("code")
        return Decimal(int(rows.at[key, "value"])) if key in rows.index else None
    if kind == "org.township_units":
        return Decimal(
            int(
                scalar(
                    url, select(func.count()).where(Township.county_id.in_(scope.county_ids), Township.active.is_(True))
                )
            )
        )
    return None


def figures_with_store(url: str, county_id: int) -> pd.DataFrame:
    """Every figure with the store's value now and whether it matches the value used."""
    out = figures(url)
    store_values, matches = [], []
    for f in out.itertuples():
        has_metric = isinstance(f.metric, str) and bool(f.metric) and isinstance(f.period, str) and bool(f.period)
        value = reproduce(url, f.metric, period_scope(f.period, county_id)) if has_metric else None
        store_values.append(value)
        used = None if f.value_used is None else Decimal(str(f.value_used))
        if value is None or used is None:
            matches.append(None)
        else:
            matches.append(value >= used if f.metric_rule == "at_least" else value == used)
    out["store_value"] = store_values
    out["matches"] = matches
    return out
