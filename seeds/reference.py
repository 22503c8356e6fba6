"""Load the reference data and the report's figures through the write services."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session

from data_layer.domain.roles import Actor
from data_layer.services import indicators, levy, org, projects, provenance, publicity, subsidies

HERE = Path(__file__).resolve().parent
ACTOR = Actor(username="system", name="系统初始化", role="admin")  # the seed is the system, not a person


def read_yaml(name: str) -> Any:
    """A fresh copy each call (callers may change it); parsed once, as a province seed reads it 140 times."""
    return copy.deepcopy(_parsed(name))


@functools.cache
def _parsed(name: str) -> Any:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


@dataclass
class CountyRefs:
    """The ids a county's demo data needs."""

    county_id: int
    name: str
    township_ids: list[int]
    township_names: list[str]
    items: dict[tuple[int, str, str], int] = field(default_factory=dict)  # (year, project, item) → id


@dataclass
class SharedRefs:
    subsidy_types: dict[str, int]
    outlets: dict[str, int]
    indicators: dict[str, int]


def load_shared(session: Session) -> SharedRefs:
    """Subsidy types with standards, outlets, indicators, levy policies: shared by every county."""
    ref = read_yaml("reference.yaml")
    types = {}
    for i, t in enumerate(ref["subsidy_types"]):
        type_id = subsidies.create_subsidy_type(
            session=session,
            actor=ACTOR,
            code=t["code"],
            name=t["name"],
            unit=t["unit"],
            payment=t["payment"],
            standard_basis=t["basis"],
            sort_order=i,
        )
        for std in t["standards"]:
            subsidies.add_standard(
                session=session, actor=ACTOR, type_id=type_id, effective_from=std["from"], amount_fen=std["yuan"] * 100
            )
        types[t["code"]] = type_id
    outlets = {
        o["name"]: publicity.create_outlet(
            session=session, actor=ACTOR, name=o["name"], level=o["level"], medium=o["medium"], sort_order=i
        )
        for i, o in enumerate(ref["outlets"])
    }
    inds = {
        d["code"]: indicators.create_indicator(
            session=session,
            actor=ACTOR,
            code=d["code"],
            name=d["name"],
            unit=d["unit"],
            category=d["category"],
            sort_order=i,
        )
        for i, d in enumerate(ref["indicators"])
    }
    for p in ref["levy_policies"]:
        levy.set_levy_policy(
            session=session,
            actor=ACTOR,
            year=p["year"],
            quota_ratio=Decimal(p["quota_ratio"]),
            exempt_max_staff=p["exempt_max_staff"],
            tier_ratio=Decimal(p["tier_ratio"]),
            tier_high_share=Decimal(p["tier_high_share"]),
            tier_low_share=Decimal(p["tier_low_share"]),
            wage_cap_multiple=Decimal(p["wage_cap_multiple"]),
            local_avg_wage_fen=p["local_avg_wage_yuan"] * 100,
            note=p["note"],
        )
    return SharedRefs(subsidy_types=types, outlets=outlets, indicators=inds)


def load_county(
    session: Session, *, name: str, code: str, townships: list[dict], sort_order: int = 0, target_factor: float = 1.0
) -> CountyRefs:
    """A county, its townships, and its key projects with targets for every year in the reference."""
    ref = read_yaml("reference.yaml")
    county_id = org.create_county(session=session, actor=ACTOR, name=name, code=code, sort_order=sort_order)
    ids = [
        org.create_township(
            session=session, actor=ACTOR, county_id=county_id, name=t["name"], kind=t["kind"], sort_order=i
        )
        for i, t in enumerate(townships)
    ]
    refs = CountyRefs(county_id, name, ids, [t["name"] for t in townships])
    years = sorted({y for p in ref["projects"] for it in p["items"] for y in it["target"]})
    for year in years:
        for order, p in enumerate(ref["projects"]):
            project_id = projects.create_project(
                session=session,
                actor=ACTOR,
                county_id=county_id,
                year=year,
                code=p["code"],
                name=p["name"],
                sort_order=order,
            )
            for i, it in enumerate(p["items"]):
                cost = it.get("unit_cost_yuan")
                plan = it.get("plan_months") or (None, None)
                target = round(it["target"][year] * target_factor)
                budget = target if it.get("measure") == "money" else it.get("budget_yuan", {}).get(year)
                refs.items[(year, p["code"], it["code"])] = projects.create_item(
                    session=session,
                    actor=ACTOR,
                    project_id=project_id,
                    code=it["code"],
                    name=it["name"],
                    unit=it["unit"],
                    measure=it.get("measure", "count"),
                    scope=it["scope"],
                    annual_target=target,
                    budget_fen=None if budget is None else round(budget * target_factor) * 100,
                    unit_cost_min_fen=cost[0] * 100 if cost else None,
                    unit_cost_max_fen=cost[1] * 100 if cost else None,
                    plan_start_month=plan[0],
                    plan_end_month=plan[1],
                    sort_order=i,
                )
    return refs


def load_publicity_targets(session: Session, county_id: int, factor: float = 1.0) -> None:
    for year, levels in read_yaml("reference.yaml")["publicity_targets"].items():
        for level, target in levels.items():
            publicity.set_publicity_target(
                session=session, actor=ACTOR, county_id=county_id, year=year, level=level, target=round(target * factor)
            )


def home_county() -> dict:
    ref = read_yaml("reference.yaml")
    return {"name": ref["county"]["name"], "code": ref["county"]["code"], "townships": ref["townships"]}


def report_figures() -> list[dict]:
    return read_yaml("report_2023h1.yaml")["figures"]


def load_report_figures(session: Session) -> int:
    """Every figure of the report with its provenance; returns how many."""
    doc = read_yaml("report_2023h1.yaml")
    for f in doc["figures"]:
        _load_figure(session, doc["source"], f)
    return len(doc["figures"])


def _load_figure(session: Session, source: str, f: dict) -> None:
    try:
        provenance.add_seed_figure(
            session=session,
            actor=ACTOR,
            code=f["code"],
            source=source,
            area=f["area"],
            item=f["item"],
            section=f["section"],
            quote=f["quote"],
            value_printed=str(f["printed"]),
            value_used=None if f.get("used") is None else Decimal(str(f["used"])),
            unit=f["unit"],
            why_differs=f.get("why") or "",
            period=f.get("period", ""),
            metric=f.get("metric"),
            metric_rule=f.get("metric_rule", "eq"),
            figure_checks=f.get("checks") or {},
        )
    except ValueError as exc:  # a bad seed row fails loudly, naming the row
        raise ValueError(f"report_2023h1.yaml, {f.get('code')}: {exc}") from exc
