"""Indicators for the report's other work items, and their values by period and township."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from data_layer.errors import Checks
from data_layer.models import County, Indicator, IndicatorValue, Township
from data_layer.roles import Actor
from data_layer.services._core import check_actor, check_count, check_text, insert, service


@service(admin=True)
def create_indicator(
    *, session: Session, actor: Actor, code: str, name: str, unit: str, category: str, sort_order: int = 0
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    check_text(checks, "code", code, "指标代码", 30)
    check_text(checks, "name", name, "指标名称", 80)
    check_text(checks, "unit", unit, "单位", 10)
    check_text(checks, "category", category, "类别", 20)
    if code and session.exec(select(Indicator).where(Indicator.code == code)).first():
        checks.require(False, "code", f"指标代码“{code}”已存在")
    checks.raise_if_any()
    row = Indicator(code=code, name=name.strip(), unit=unit, category=category, sort_order=sort_order)
    return insert(session, row, actor=actor)


@service(area="other")
def add_indicator_value(
    *,
    session: Session,
    actor: Actor,
    indicator_id: int | None,  # None (nothing chosen on a form): refused below, beside its field
    county_id: int,
    township_id: int | None,
    period_start: date,
    period_end: date,
    value: int | None,
    note: str = "",
    is_demo: bool = False,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    chosen = indicator_id is not None and session.get(Indicator, indicator_id) is not None
    checks.require(chosen, "indicator_id", "请选择指标")
    checks.require(session.get(County, county_id) is not None, "county_id", "请选择县区")
    if township_id is not None:
        checks.require(session.get(Township, township_id) is not None, "township_id", "乡镇不存在")
    if checks.require(isinstance(period_start, date) and isinstance(period_end, date), "period_start", "请填写期间"):
        checks.require(period_start <= period_end, "period_end", "结束日期不能早于开始日期")
    check_count(checks, "value", value, "数值")
    checks.raise_if_any()
    row = IndicatorValue(
        indicator_id=indicator_id,
        county_id=county_id,
        township_id=township_id,
        period_start=period_start,
        period_end=period_end,
        value=value,
        note=note,
        is_demo=is_demo,
        created_by=actor.name,
    )
    return insert(session, row, actor=actor)
