"""Indicators for the report's other work items, and their values by period and township (entered through the
shared entry workflow as ``INDICATOR_VALUE``)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from data_layer.domain import rules
from data_layer.domain.errors import Checks
from data_layer.domain.roles import Actor
from data_layer.models import County, Indicator, IndicatorValue
from data_layer.queries.indicator_context import indicator_value_context
from data_layer.services._core import (
    NOTE_MAX,
    RecordType,
    check_actor,
    check_count,
    check_text,
    check_township,
    exists,
    insert,
    service,
)


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


def validate_indicator_value(session: Session, checks: Checks, values: dict, *, today: date, current=None) -> dict:
    """The hard rules of an indicator value (errors: nothing is written); returns the values to store."""
    v = {k: values.get(k) for k in ENTERED}
    chosen = isinstance(v["indicator_id"], int) and exists(session, Indicator, v["indicator_id"])
    checks.require(chosen, "indicator_id", "请选择指标")
    checks.require(exists(session, County, v["county_id"]), "county_id", "请选择县区")
    check_township(session, checks, v["township_id"], v["county_id"], current)
    start, end = v["period_start"], v["period_end"]
    if checks.require(isinstance(start, date), "period_start", "请填写期间开始日期"):
        checks.require(start <= today, "period_start", "期间开始日期不能晚于今天")
    ordered = checks.require(isinstance(end, date), "period_end", "请填写期间结束日期") and isinstance(start, date)
    if ordered and checks.require(start <= end, "period_end", "结束日期不能早于开始日期"):
        # a value counts in one year's figures: a period across the new year cannot be split between them
        years = f"期间应在同一年内（开始 {start.year} 年，结束 {end.year} 年）"
        checks.require(start.year == end.year, "period_end", years)
    check_count(checks, "value", v["value"], "数值")
    v["note"] = (v["note"] or "").strip()
    checks.require(len(v["note"]) <= NOTE_MAX, "note", f"备注不能超过 {NOTE_MAX} 字（现有 {len(v['note'])} 字）")
    v["is_demo"] = bool(v["is_demo"])
    return v


# What a person enters (the rest is bookkeeping the writers keep).
BOOKKEEPING = ("id", "warning_note", "created_by", "created_at", "deleted_at")
ENTERED = [name for name in IndicatorValue.model_fields if name not in BOOKKEEPING]


def indicator_value_warnings(session: Session, ids: list[int]) -> dict[int, dict[str, str]]:
    """The soft rules of the given values, from the rule context the data-quality checks use."""
    return {i: rules.indicator_warnings(c) for i, c in indicator_value_context(session, ids).items()}


def indicator_value_fields(
    *,
    indicator_id: int | None,
    county_id: int,
    township_id: int | None,
    period_start: date,
    period_end: date,
    value: int | None,
    note: str = "",
    is_demo: bool = False,
) -> None:
    """A 指标数值's fields and their types: what a page, a grid or a test hands the shared writers is checked
    against them (strictly: "3" is not a number, True not a count) before any rule runs."""


INDICATOR_VALUE = RecordType(
    fields=indicator_value_fields,
    area="other",
    id_field="record_id",
    date_field="period_start",
    model=IndicatorValue,
    validate=validate_indicator_value,
    warnings=indicator_value_warnings,
)
